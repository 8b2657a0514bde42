// The web app: Fastify with server-rendered pages and a JSON API over the same store. Every route
// says who may use it; sign-in, sessions, CSRF and the role check live here, the views in their
// own files. Changes to tasks go through Temporal like the CLI's, so the rounds hear of them.
import { randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { Client } from '@temporalio/client';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifySchema, type RawRequestDefaultExpression, type RawServerDefault, type RouteGenericInterface,
} from 'fastify';
import type { OidcConfig } from '../platform/config.js';
import type { Db } from '../store/db.js';
import { isHead, sameToken, sessionUser, type Access, type User } from './accounts.js';
import { html } from './html.js';
import { page } from './layout.js';
import { recordAnswer } from './metrics.js';

export interface WebDeps {
  db: Db;
  client: Client;
  taskQueue: string;
  rulesDir: string;
  baseUrl: string;
  /** Single sign-on by OpenID Connect, when configured. */
  oidc?: OidcConfig;
  /** A clock, so tests can sign in at a given time. */
  now?: () => Date;
  /** The proxies (CIDRs) whose X-Forwarded-For is believed (`ARSHJUL_TRUSTED_PROXIES`); none: the socket's address. */
  trustedProxies?: string[];
  /** Shorter limits on slow clients, for tests; the installation's are `webTimeouts`. */
  timeouts?: Partial<typeof webTimeouts>;
}

/**
 * How long a client may take (milliseconds): to send its headers, to send the whole request, and
 * between two bytes. A slow client is cut off rather than waited for: slow connections held open
 * by the hundred would otherwise take the process's sockets.
 */
export const webTimeouts = { headersMs: 10_000, requestMs: 30_000, idleMs: 60_000 };

/** `path`: the page the request is for (no query), so the menu can mark where the person is. */
export type SignedIn = User & { csrf: string; unitName?: string; path?: string };

declare module 'fastify' {
  interface FastifyRequest {
    user?: SignedIn;
  }
}

export interface RouteSpec {
  method: 'GET' | 'POST';
  url: string;
  /** Who may use it: any of these; 'public' for sign-in and the token-guarded calendar feed. */
  access: Access[] | 'public';
}

/** A request typed by its route's schema (TypeBox): body, querystring and params as validated. */
export type Request<S extends FastifySchema = FastifySchema> = FastifyRequest<RouteGenericInterface, RawServerDefault, RawRequestDefaultExpression, S, TypeBoxTypeProvider>;
export type Handler<S extends FastifySchema = FastifySchema> = (request: Request<S>, reply: FastifyReply) => Promise<unknown>;

/** A smaller body than the app's 1 MiB, refused by its length before it is read, with words that say the limit. */
export interface BodyLimit {
  bytes: number;
  message: string;
}

export interface Routes {
  add<S extends FastifySchema>(spec: RouteSpec & { schema?: S & { summary?: string }; bodyLimit?: BodyLimit; handler: Handler<S> }): void;
  list: RouteSpec[];
}

export class Forbidden extends Error {}
/** A request the user can mend: shown on the page or returned as 400 with the message. */
export class BadRequest extends Error {}

export const sessionCookie = 'arshjul_session';
/** Cookies only over https when the app is reached over https (`ARSHJUL_BASE_URL`). */
export const secureCookies = (deps: WebDeps): boolean => deps.baseUrl.startsWith('https:');
export const clockOf = (deps: WebDeps): (() => Date) => deps.now ?? (() => new Date());
export const isApi = (url: string) => url.startsWith('/api/');
const isSignIn = (url: string) => url === '/logga-in' || url.startsWith('/logga-in/');

const titles: Record<number, string> = { 400: 'Kontrollera uppgifterna', 401: 'Logga in', 403: 'Ingen behörighet', 404: 'Finns inte', 500: 'Något gick fel' };
const parts: Record<string, string> = { body: 'formuläret', querystring: 'adressen', params: 'adressen' };

/** A refusal: JSON for the API, a Swedish page otherwise, with our words only. */
export async function deny(request: FastifyRequest, reply: FastifyReply, status: number, message: string) {
  if (isApi(request.url)) return reply.code(status).send({ error: message });
  return reply.code(status).type('text/html').send(page({ title: titles[status] ?? 'Det gick inte', user: request.user, body: html``, notice: { kind: 'error', text: message } }));
}

/**
 * A request the schema refused, in words: which part, which field, and what to do. The field's name
 * is the schema's (never a name the request made up), and nothing of its value is repeated.
 */
function validationMessage(error: FastifyError): string {
  const [first] = error.validation ?? [];
  const params = first?.params as { missingProperty?: string; limit?: number } | undefined;
  const field = params?.missingProperty ?? /^#\/properties\/([^/]+)/.exec(first?.schemaPath ?? '')?.[1];
  const named = field ? ` (${field})` : '';
  if (first?.keyword === 'maxItems') return `För många på en gång${named}: högst ${params?.limit} åt gången. Gå tillbaka, välj färre och försök igen.`;
  if (first?.keyword === 'maxLength') return `För lång text${named}: högst ${params?.limit} tecken. Gå tillbaka, korta den och försök igen.`;
  return `Något saknas eller är fel i ${parts[error.validationContext ?? ''] ?? 'begäran'}${named}. Gå tillbaka, rätta och försök igen.`;
}

/** Our words for a request Fastify could not read (its own words repeat the request). */
const unreadable: Record<number, string> = {
  413: 'Det som skickades är för stort.',
  415: 'Det som skickades har ett format som Årshjul inte tar emot.',
};

/**
 * What the log says of an error: its kind, code and message, and where in the code. Quoted values
 * and runs of digits are left out of the message (they may be what someone typed, a case id or a
 * personnummer); the stack keeps only its frames, which name code, not data.
 */
export function loggable(error: unknown): string {
  if (!(error instanceof Error)) return 'fel utan beskrivning';
  const code = (error as { code?: unknown }).code;
  const message = error.message.replace(/"[^"]*"|'[^']*'|`[^`]*`|\[[^\]]*\]/g, '"…"').replace(/\S*\d{4,}\S*/g, '…').slice(0, 300);
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 12);
  return [`${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${message}`, ...frames].join('\n');
}

/**
 * An error nobody can mend by retyping: a Swedish page (or JSON) with an error id and nothing of the
 * error or the request; the id and the real error, by route pattern (never the address, which
 * names tasks), go to the log.
 */
async function failed(request: FastifyRequest, reply: FastifyReply, status: number, error: unknown, message: string) {
  const id = `F-${randomBytes(4).toString('hex')}`;
  console.error(`Fel ${id} (${status}) vid ${request.method} ${request.routeOptions.url ?? 'okänd adress'}: ${loggable(error)}`);
  return deny(request, reply, status, `${message} Felkod ${id}: ange den om du hör av dig om felet.`);
}

export async function buildWebApp(deps: WebDeps, views: ((routes: Routes, deps: WebDeps) => void)[]): Promise<{ app: FastifyInstance; routes: RouteSpec[] }> {
  const now = clockOf(deps);
  const secure = secureCookies(deps);
  // No request logging: URLs carry task ids, which name cases.
  const timeouts = { ...webTimeouts, ...deps.timeouts };
  const app = Fastify({
    logger: false,
    // The client's address (request.ip, which the sign-in throttle and the rate limit key on): the
    // nearest hop of X-Forwarded-For that is not a trusted proxy; the header is believed only from those.
    trustProxy: deps.trustedProxies?.length ? deps.trustedProxies : false,
    // Fastify turns Node's request timeout off unless given one; the headers' is Node's own, checked every second.
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    http: { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: 1000 },
    // An address that cannot be decoded: our words, not Fastify's, which repeat it.
    frameworkErrors: (error, request, reply) => void failed(request, reply, 400, error, 'Adressen gick inte att läsa.'),
  }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(cookie);
  await app.register(formbody);
  // Pages show case data: no script at all, no framing, nothing sniffed, no address sent on, nothing cached.
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"], baseUri: ["'none'"],
        // Single sign-on leaves by a form whose answer redirects to the provider: browsers hold that redirect to form-action too.
        formAction: ["'self'", ...(deps.oidc ? [deps.oidc.issuer.origin] : [])],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: secure,
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    // Chromium's PDF viewer is a page of its own: the HTML pages' policy is not for it.
    if (String(reply.getHeader('content-type')).startsWith('application/pdf')) reply.removeHeader('content-security-policy');
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, error: 'För många försök', message: `För många inloggningsförsök härifrån: vänta ${context.after} och försök igen.` }),
  });
  await app.register(swagger, {
    openapi: { info: { title: 'Årshjul API', version: '1', description: 'Uppgifter, kontrollomgångar, regler och rapporter. Inloggning med sessionscookie; ändringar kräver x-csrf-token.' } },
  });

  app.addHook('onResponse', async (request, reply) => recordAnswer(request, reply));

  app.addHook('onRequest', async (request) => {
    const id = request.cookies[sessionCookie];
    const user = id ? await sessionUser(deps.db, id, now()) : undefined;
    if (user) request.user = { ...user, path: request.url.split('?')[0] };
  });

  // The same words for every address that is not a page: nothing of the address is repeated.
  app.setNotFoundHandler(async (request, reply) => deny(request, reply, 404, 'Sidan finns inte. Börja om från startsidan.'));

  const bodyLimits = new Map<string, string>();
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.validation) return deny(request, reply, 400, validationMessage(error));
    if (error.statusCode === 429) return reply.code(429).send(error);
    // A client that went away mid-request (a slow one cut off): nobody to answer, nothing to log.
    if (error.code === 'ECONNRESET') return reply.code(400).send();
    const tooLarge = error.statusCode === 413 && bodyLimits.get(request.routeOptions.url ?? '');
    if (tooLarge) return deny(request, reply, 413, tooLarge);
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) return failed(request, reply, status, error, unreadable[status] ?? 'Begäran gick inte att läsa. Gå tillbaka och försök igen.');
    return failed(request, reply, 500, error, 'Något gick fel i Årshjul. Försök igen om en stund.');
  });

  /**
   * Before the schema looks at anything: who may use the route, and the session's CSRF token that
   * every change carries (a form field or a header). Signing in (again, as someone else) is guarded
   * by the sign-in form's own token instead (signIn.ts): there is no session to ride yet.
   */
  const guard = (url: string, access: RouteSpec['access']) => async (request: FastifyRequest, reply: FastifyReply) => {
    if (access !== 'public') {
      if (!request.user) {
        if (isApi(url)) return reply.code(401).send({ error: 'Logga in först.' });
        return reply.redirect(`/logga-in?nasta=${encodeURIComponent(request.url)}`);
      }
      if (!access.some((a) => request.user!.access.includes(a))) return deny(request, reply, 403, 'Du har inte behörighet till den här sidan.');
    }
    if (request.method === 'GET' || request.method === 'HEAD' || !request.user || isSignIn(url)) return;
    const body = request.body as Record<string, unknown> | undefined;
    const header = request.headers['x-csrf-token'];
    const token = typeof header === 'string' ? header : typeof body?._csrf === 'string' ? body._csrf : '';
    if (!sameToken(token, request.user.csrf)) {
      return deny(request, reply, 403, 'Formuläret var för gammalt eller kom inte från Årshjul (CSRF). Ladda om sidan och försök igen.');
    }
  };

  const list: RouteSpec[] = [];
  const routes: Routes = {
    list,
    add({ method, url, access, schema, bodyLimit, handler }) {
      list.push({ method, url, access });
      if (bodyLimit) bodyLimits.set(url, bodyLimit.message);
      app.route({
        method,
        url,
        bodyLimit: bodyLimit?.bytes,
        schema: { ...schema, hide: !isApi(url) },
        config: isSignIn(url) && method === 'POST' ? { rateLimit: { max: 20, timeWindow: '1 minute' } } : {},
        preValidation: guard(url, access),
        handler: async (request, reply) => {
          try {
            // The schema has validated the request: its type is the schema's.
            return await handler(request as unknown as Parameters<typeof handler>[0], reply);
          } catch (error) {
            if (error instanceof Forbidden) return deny(request, reply, 403, error.message || 'Du har inte behörighet till det här.');
            if (error instanceof BadRequest) return deny(request, reply, 400, error.message);
            throw error;
          }
        },
      });
    },
  };

  routes.add({
    method: 'GET', url: '/', access: ['caseworker', 'deputy', 'head', 'admin'],
    handler: async (request, reply) => {
      const user = request.user!;
      return reply.redirect(isHead(user) ? '/oversikt' : user.access.includes('caseworker') ? '/inkorg' : '/regler');
    },
  });
  routes.add({
    method: 'GET', url: '/api/openapi.json', access: 'public',
    handler: async (_request, reply) => reply.send(app.swagger()),
  });

  for (const view of views) view(routes, deps);
  return { app, routes: list };
}
