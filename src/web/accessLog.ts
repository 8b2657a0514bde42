// Every answer of the web app that shows case data writes its access record first: who (the
// signed-in person), the view, the cases, the query that named them, the session (a hash derived
// from it, never the cookie) and the client's address (request.ip: the socket's, or the nearest
// untrusted hop behind the trusted proxies).
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { recordAccess, type View } from '../accessLog/log.js';
import { findUnit } from '../store/cases.js';
import { roleOf } from '../store/staff.js';
import { clockOf, sessionCookie, type WebDeps } from './app.js';

/** What a record needs of the request: the person, the session cookie and the address. */
export type Seen = Pick<FastifyRequest, 'user' | 'cookies' | 'ip'>;

/**
 * The session as the log names it: the sessions table keeps sha256 of the cookie; the log keeps a
 * hash of that under a label of its own, so neither the cookie nor the sessions table's key can be
 * had from it, while one session's records still share it.
 */
export function sessionTag(cookie: string | undefined): string | null {
  if (!cookie) return null;
  const stored = createHash('sha256').update(cookie).digest('hex');
  return createHash('sha256').update(`arshjul-access-log:${stored}`).digest('hex').slice(0, 32);
}

/** A search or selection as the log keeps it: the fields given, by their Swedish names, in a fixed order. */
export function queryText(fields: [string, string | number | undefined | null | false][]): string {
  return fields.filter(([, value]) => value !== undefined && value !== null && value !== false && value !== '').map(([name, value]) => `${name}=${String(value)}`).join('; ');
}

/** The signed-in person's access, recorded before the answer goes out. */
export async function logAccess(deps: WebDeps, request: Seen, access: { view: View; caseIds?: Iterable<string | null | undefined>; query?: string }): Promise<void> {
  const user = request.user!;
  await recordAccess(deps.db, {
    unitId: user.unitId, staffId: user.staffId, view: access.view, caseIds: access.caseIds, query: access.query,
    session: sessionTag(request.cookies[sessionCookie]), address: request.ip, at: clockOf(deps)(),
  });
}

/** How a sign-in came: by password, or by the municipality's single sign-on. */
export const signInWay = (request: Pick<FastifyRequest, 'url'>) => (request.url.startsWith('/logga-in/sso') ? 'kommunens konto' : 'lösenord');

/** A sign-in that made a session: the person, and the new session (its tag). */
export async function logSignIn(deps: WebDeps, request: Pick<FastifyRequest, 'ip' | 'url'>, user: { unitId: string; staffId: string }, session: string): Promise<void> {
  await recordAccess(deps.db, {
    unitId: user.unitId, staffId: user.staffId, view: 'sign-in', query: signInWay(request), session: sessionTag(session), address: request.ip, at: clockOf(deps)(),
  });
}

/**
 * A sign-in refused, in the chosen unit's log. The person only when the typed id is on the unit's
 * staff: an id that names nobody may be a password typed in the wrong field, and is not kept. A unit
 * that does not exist has no log (the form offers only real ones).
 */
export async function logFailedSignIn(deps: WebDeps, request: Pick<FastifyRequest, 'ip' | 'url'>, typed: { unitId: string; staffId: string | undefined }): Promise<void> {
  if (!(await findUnit(deps.db, typed.unitId))) return;
  const known = typed.staffId ? (await roleOf(deps.db, typed.unitId, typed.staffId)) !== undefined : false;
  await recordAccess(deps.db, {
    unitId: typed.unitId, staffId: known ? typed.staffId! : null, view: 'sign-in-failed',
    query: known ? signInWay(request) : `${signInWay(request)}; användar-id som inte finns i enheten`, session: null, address: request.ip, at: clockOf(deps)(),
  });
}
