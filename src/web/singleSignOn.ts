// Single sign-on by OpenID Connect (authorization code with PKCE, openid-client): the municipality's
// own sign-in (Entra ID, ADFS, an eID broker) says who the person is; a claim of theirs is the staff
// id in the unit's case file, and the unit's staff list says what they may do.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import { Type } from 'typebox';
import type { OidcConfig } from '../platform/config.js';
import type { Queryable } from '../store/db.js';
import { serverSecret } from '../store/secrets.js';
import { logFailedSignIn } from './accessLog.js';
import { staffUser } from './accounts.js';
import { html } from './html.js';
import { page } from './layout.js';
import { secureCookies, type Routes, type WebDeps } from './app.js';
import { fromSignInForm, safeNext, startSession } from './signIn.js';

const callbackPath = '/logga-in/sso/svar';
const flowCookie = 'arshjul_sso';

/** What the browser keeps between leaving for the provider and coming back: sealed, so it can neither be read nor changed. */
interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  unitId: string;
  next: string;
}

async function sealKey(db: Queryable): Promise<Buffer> {
  return createHash('sha256').update(await serverSecret(db, 'sso-flow')).digest();
}

async function seal(db: Queryable, flow: Flow): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await sealKey(db), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

async function unseal(db: Queryable, value: string | undefined): Promise<Flow | undefined> {
  if (!value) return undefined;
  try {
    const bytes = Buffer.from(value, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', await sealKey(db), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8')) as Flow;
  } catch {
    return undefined;
  }
}

/** The provider's metadata, fetched at the first sign-in and kept; fetched again after a failure. */
function provider(oidc: OidcConfig): () => Promise<client.Configuration> {
  let found: Promise<client.Configuration> | undefined;
  return () => {
    found ??= client
      .discovery(oidc.issuer, oidc.clientId, undefined, client.ClientSecretBasic(oidc.clientSecret), {
        // Plain http only where the configuration allows it: a provider on this machine, in tests.
        execute: oidc.issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        found = undefined;
        throw error;
      });
    return found;
  };
}

/** The kind of failure, for the log: never a claim, a code or anything the provider said about the person. */
const kindOf = (error: unknown) => (error instanceof Error ? `${error.name}${'code' in error ? ` ${String(error.code)}` : ''}` : 'okänt fel');

export function singleSignOnView(routes: Routes, deps: WebDeps): void {
  const oidc = deps.oidc;
  if (!oidc) return;
  const configuration = provider(oidc);
  const redirectUri = `${deps.baseUrl}${callbackPath}`;

  const refuse = (status: number, title: string, text: string) => ({
    status,
    body: page({ title, notice: { kind: 'error', text }, body: html`<p><a href="/logga-in">Till inloggningen</a></p>` }),
  });
  const unavailable = refuse(502, 'Inloggningen gick inte', 'Kommunens inloggningstjänst svarar inte just nu. Försök igen om en stund, eller kontakta IT-supporten om det består.');

  // Started from the sign-in form (its own CSRF token, its unit), so another site cannot start it for the person.
  routes.add({
    method: 'POST', url: '/logga-in/sso', access: 'public',
    schema: { body: Type.Object({ enhet: Type.Optional(Type.String({ maxLength: 64 })), nasta: Type.Optional(Type.String({ maxLength: 2048 })), _login: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: true }) },
    handler: async (request, reply) => fromSignInForm(request, reply, request.body._login, async () => {
      let config: client.Configuration;
      try {
        config = await configuration();
      } catch (error) {
        console.warn(`Enkel inloggning: inloggningstjänsten svarar inte (${kindOf(error)}).`);
        return reply.code(unavailable.status).type('text/html').send(unavailable.body);
      }
      const flow: Flow = {
        state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(),
        unitId: request.body.enhet ?? '', next: safeNext(request.body.nasta),
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri, scope: oidc.scope, state: flow.state, nonce: flow.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(flow.verifier), code_challenge_method: 'S256',
      });
      // Lax, not Strict: the provider's redirect back is another site's navigation, which must carry it.
      reply.setCookie(flowCookie, await seal(deps.db, flow), { path: callbackPath, httpOnly: true, sameSite: 'lax', secure: secureCookies(deps), maxAge: 600 });
      return reply.redirect(url.href, 303);
    }),
  });

  routes.add({
    method: 'GET', url: callbackPath, access: 'public',
    schema: { querystring: Type.Object({}, { additionalProperties: Type.String() }) },
    handler: async (request, reply) => {
      const flow = await unseal(deps.db, request.cookies[flowCookie]);
      reply.clearCookie(flowCookie, { path: callbackPath });
      const failed = refuse(400, 'Inloggningen gick inte', 'Inloggningen avbröts eller tog för lång tid. Börja om från inloggningssidan.');
      if (!flow) return reply.code(failed.status).type('text/html').send(failed.body);
      let claims: client.IDToken | undefined;
      let staffId: unknown;
      try {
        const config = await configuration();
        const tokens = await client.authorizationCodeGrant(config, new URL(request.url, deps.baseUrl), {
          pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true,
        });
        claims = tokens.claims();
        staffId = claims?.[oidc.staffClaim];
        // Not in the ID token (Entra ID and others keep some claims to userinfo): ask there.
        if (staffId === undefined && claims) staffId = (await client.fetchUserInfo(config, tokens.access_token, claims.sub))[oidc.staffClaim];
      } catch (error) {
        console.warn(`Enkel inloggning misslyckades (${kindOf(error)}).`);
        return reply.code(failed.status).type('text/html').send(failed.body);
      }
      const user = typeof staffId === 'string' && staffId !== '' ? await staffUser(deps.db, flow.unitId, staffId) : undefined;
      if (!user) {
        await logFailedSignIn(deps, request, { unitId: flow.unitId, staffId: typeof staffId === 'string' ? staffId : undefined });
        const unknown = refuse(
          403, 'Inget konto i Årshjul',
          'Du är inloggad hos kommunens inloggningstjänst, men ditt konto hör inte till någon i personallistan för den enhet du valde, eller så är din inloggning avstängd. '
            + 'Välj rätt enhet och försök igen, eller be enhetens administratör lägga in ditt användar-id.',
        );
        return reply.code(unknown.status).type('text/html').send(unknown.body);
      }
      await startSession(deps, request, reply, user);
      // A page of our own moves on: the session cookie (SameSite=Strict) goes with a navigation from here, not with the provider's redirect.
      return reply.type('text/html').send(page({ title: 'Inloggad', goTo: flow.next, body: html`<p><a href="${flow.next}">Fortsätt</a></p>` }));
    },
  });
}
