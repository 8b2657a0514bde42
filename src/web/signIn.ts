// Signing in and out: the sign-in form (password, and single sign-on when configured), its own
// CSRF token, a new session at every sign-in, and where to go afterwards.
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { units } from '../store/cases.js';
import { logFailedSignIn, logSignIn } from './accessLog.js';
import { checkPassword, createSession, endSession, sameToken, type User } from './accounts.js';
import { clockOf, deny, secureCookies, sessionCookie, type Routes, type WebDeps } from './app.js';
import { html } from './html.js';
import { page } from './layout.js';
import { swedishOrder } from './names.js';

const loginCookie = 'arshjul_login';
const now = (deps: WebDeps) => clockOf(deps)();

/**
 * Where to go after signing in: only a path of our own. One slash and then neither another nor a
 * backslash (browsers read `/\\host` as `//host`), and no control characters (browsers drop a tab,
 * so `/<TAB>/host` is `//host` too). Printable ASCII only: a browser's own addresses are
 * percent-encoded, and anything else cannot go in a Location header. Anything else goes to the
 * start page: never an open redirect.
 */
export function safeNext(next: string | undefined): string {
  return next !== undefined && /^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/.test(next) ? next : '/';
}

/**
 * Login CSRF: a sign-in (by password or single sign-on) must come from our own form, whose token
 * matches a cookie another site's form cannot send. Otherwise refused; else `then`.
 */
export async function fromSignInForm(request: FastifyRequest, reply: FastifyReply, token: string | undefined, then: () => Promise<unknown>): Promise<unknown> {
  const expected = request.cookies[loginCookie];
  if (!expected || !sameToken(token ?? '', expected)) {
    return deny(request, reply, 403, 'Inloggningsformuläret var för gammalt eller kom inte från Årshjul. Ladda om sidan och logga in igen.');
  }
  return then();
}

/** A new session id at every sign-in; the one this browser had (perhaps someone else's) ends. */
export async function startSession(deps: WebDeps, request: FastifyRequest, reply: FastifyReply, user: Pick<User, 'unitId' | 'staffId'>): Promise<void> {
  const previous = request.cookies[sessionCookie];
  if (previous) await endSession(deps.db, previous);
  const session = await createSession(deps.db, user, now(deps));
  reply.setCookie(sessionCookie, session.id, { path: '/', httpOnly: true, sameSite: 'strict', secure: secureCookies(deps), maxAge: 10 * 3600 });
  await logSignIn(deps, request, user, session.id);
}

export function signInView(routes: Routes, deps: WebDeps): void {
  routes.add({
    method: 'GET', url: '/logga-in', access: 'public',
    schema: { querystring: Type.Object({ fel: Type.Optional(Type.String({ maxLength: 8 })), nasta: Type.Optional(Type.String({ maxLength: 2048 })) }) },
    handler: async (request, reply) => {
      const unitList = await units(deps.db);
      const { fel, nasta } = request.query;
      const token = randomBytes(24).toString('base64url');
      reply.setCookie(loginCookie, token, { path: '/logga-in', httpOnly: true, sameSite: 'strict', secure: secureCookies(deps), maxAge: 3600 });
      // One form: the unit and the token go with either button; single sign-on needs no password.
      const password = html`<p><label for="anvandare">Användar-id</label><br><input id="anvandare" name="anvandare" autocomplete="username" required${deps.oidc ? '' : ' autofocus'}></p>
<p><label for="losenord">Lösenord</label><br><input id="losenord" name="losenord" type="password" autocomplete="current-password" required></p>
<p><button>Logga in</button></p>`;
      return reply.type('text/html').send(page({
        title: 'Logga in',
        notice: fel ? { kind: 'error', text: 'Fel användare eller lösenord, eller för många försök härifrån: vänta en stund och försök igen.' } : undefined,
        body: html`<form method="post" action="/logga-in">
<input type="hidden" name="_login" value="${token}"><input type="hidden" name="nasta" value="${nasta ?? ''}">
<p><label for="enhet">Enhet</label><br><select id="enhet" name="enhet">${[...unitList].sort((a, b) => swedishOrder(a.name, b.name)).map((u) => html`<option value="${u.id}">${u.name}</option>`)}</select></p>
${deps.oidc
  ? html`<p><button formaction="/logga-in/sso" formnovalidate autofocus>Logga in med kommunens konto</button></p>
<details><summary>Logga in med lösenord</summary>${password}</details>`
  : password}</form>`,
      }));
    },
  });
  routes.add({
    method: 'POST', url: '/logga-in', access: 'public',
    schema: {
      // Bounded fields: an id, a password (a long one is fine, a megabyte for scrypt is not), a path.
      body: Type.Object({
        enhet: Type.Optional(Type.String({ maxLength: 64 })), anvandare: Type.Optional(Type.String({ maxLength: 64 })), losenord: Type.Optional(Type.String({ maxLength: 256 })),
        nasta: Type.Optional(Type.String({ maxLength: 2048 })), _login: Type.Optional(Type.String({ maxLength: 64 })),
      }),
    },
    handler: async (request, reply) => fromSignInForm(request, reply, request.body._login, async () => {
      const { body } = request;
      // Where to go, settled before any session is made: printable ASCII, so the redirect cannot fail after it.
      const next = safeNext(body.nasta);
      const user = await checkPassword(deps.db, { unitId: body.enhet ?? '', staffId: body.anvandare ?? '', password: body.losenord ?? '', address: request.ip, now: now(deps) });
      if (!user) await logFailedSignIn(deps, request, { unitId: body.enhet ?? '', staffId: body.anvandare });
      if (!user) return reply.redirect(`/logga-in?fel=1${next === '/' ? '' : `&nasta=${encodeURIComponent(next)}`}`);
      await startSession(deps, request, reply, user);
      return reply.redirect(next);
    }),
  });
  routes.add({
    method: 'POST', url: '/logga-ut', access: ['caseworker', 'deputy', 'head', 'admin'],
    handler: async (request, reply) => {
      await endSession(deps.db, request.cookies[sessionCookie]!);
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.redirect('/logga-in');
    },
  });
}
