// Sign-in: passwords hashed with scrypt (memory-hard, in Node's own crypto), failures throttled per
// account and address, sessions stored by the hash of their cookie, each with its CSRF token.
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { StaffRole } from '../cases/caseFile.js';
import {
  accountFor, claimSignInAlert, clearFailedSignIns, countSignInAttempt, deleteSession, deleteSessionsOf, insertSession, purgeSignInFailures, revokeCalendarTokens, savePassword, sessionByHash, setAdmin, setDisabled, signInFailureTotal, touchSession,
} from '../store/accounts.js';
import type { Queryable } from '../store/db.js';
import { roleOf } from '../store/staff.js';

/** The one place a password's key is derived (a seam, so a test can see that every sign-in does this work once). */
export const kdf = {
  derive: (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
    new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key)))),
};

// 2^15 × 8 × 128 bytes = 32 MiB per hash: costly to guess in bulk, quick enough to sign in.
const params = { N: 2 ** 15, r: 8, p: 1 };
const maxmem = 64 * 1024 * 1024;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await kdf.derive(password, salt, 32, { ...params, maxmem });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await kdf.derive(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem });
  return timingSafeEqual(actual, expected);
}

export class AccountError extends Error {}

export async function setPassword(db: Queryable, input: { unitId: string; staffId: string; password: string; admin?: boolean }): Promise<void> {
  if (input.password.length < 10) throw new AccountError('lösenordet ska ha minst 10 tecken');
  if (!(await roleOf(db, input.unitId, input.staffId))) throw new AccountError(`${input.staffId} finns inte i enheten ${input.unitId}`);
  await savePassword(db, { unitId: input.unitId, staffId: input.staffId, hash: await hashPassword(input.password), admin: input.admin ?? false });
  // A new password ends every session the old one opened, and the calendar address it made: a new one is made after signing in.
  await deleteSessionsOf(db, input.unitId, input.staffId);
  await revokeCalendarTokens(db, input.unitId, input.staffId);
}

/** Gives or takes away the admin flag; every session reads it at each request, so it holds at once. */
export async function setAdminFlag(db: Queryable, input: { unitId: string; staffId: string; admin: boolean }): Promise<void> {
  if (!(await setAdmin(db, input.unitId, input.staffId, input.admin))) throw new AccountError(`${input.staffId} finns inte i enheten ${input.unitId}`);
}

/** Stops a person from signing in (by any means) and ends their sessions at once; or lets them again. */
export async function disableAccount(db: Queryable, input: { unitId: string; staffId: string; disabled: boolean }): Promise<void> {
  if (!(await setDisabled(db, input.unitId, input.staffId, input.disabled))) throw new AccountError(`${input.staffId} finns inte i enheten ${input.unitId}`);
  // Sessions end, and the calendar address is revoked for good: enabling the person again does not bring it back.
  if (input.disabled) {
    await deleteSessionsOf(db, input.unitId, input.staffId);
    await revokeCalendarTokens(db, input.unitId, input.staffId);
  }
}

/** The person a single sign-on names, if they are on the unit's staff and not disabled. */
export async function staffUser(db: Queryable, unitId: string, staffId: string): Promise<User | undefined> {
  const row = await accountFor(db, unitId, staffId);
  if (!row || row.disabled) return undefined;
  return { unitId, staffId, name: row.name, role: row.role, access: accessOf(row.role, row.admin, row.log_reviewer) };
}

/** fut: the FUT-utredare, who reviews the FUT samples of internal control; logreviewer: reads the access log without being a head. */
export type Access = 'caseworker' | 'deputy' | 'head' | 'admin' | 'fut' | 'logreviewer';

export interface User {
  unitId: string;
  staffId: string;
  name: string;
  role: StaffRole;
  access: Access[];
}

/** What a person may do, from their role in the unit and the admin flag. */
export function accessOf(role: StaffRole, admin: boolean, logReviewer = false): Access[] {
  const access: Access[] = [];
  // Everyone the rules give tasks to outside the heads has an inbox (the March notice is the administrativ assistent's).
  if (role === 'socialsekreterare' || role === 'bidragshandlaggare' || role === 'administrativ-assistent' || role === 'fut-utredare' || role === 'arbetskonsulent') access.push('caseworker');
  if (role === 'fut-utredare') access.push('fut');
  if (role === 'bitradande-enhetschef') access.push('deputy');
  if (role === 'enhetschef') access.push('head');
  if (admin) access.push('admin');
  if (logReviewer) access.push('logreviewer');
  return access;
}

/** A deputy head or the unit head: sees and changes the whole unit's tasks. */
export const isHead = (user: Pick<User, 'access'>): boolean => user.access.includes('deputy') || user.access.includes('head');

/**
 * Throttling, not locking (NIST SP 800-63B 5.2.2, OWASP ASVS 4 2.2.1): an account's failures from
 * one address make that address wait, longer with each failure (from the fourth on: 1 s, 2 s, 4 s, …,
 * at most 15 minutes); other addresses, the right person's among them, are not slowed. Failures
 * count for a day and start over on a success. Each attempt is counted before its password is
 * checked, so guesses sent together are throttled as if one after the other. A hundred failures or
 * more on one account within a day, from anywhere, raise an alert in the log (the account's id,
 * nothing else), once a day. Every answer costs one scrypt and says the same, whether the account
 * exists, the password is wrong or the address waits.
 */
const freeFailures = 3;
const maxWaitMs = 15 * 60_000;
const failuresExpireMs = 24 * 3_600_000;
export const alertAfterFailures = 100;

function waitAfter(failures: number): number {
  return failures < freeFailures ? 0 : Math.min(1000 * 2 ** (failures - freeFailures), maxWaitMs);
}

let dummyHash: Promise<string> | undefined;

/** An id as the log may show it: what someone typed, with nothing that could forge a line. */
const forLog = (typed: string) => typed.replace(/[^\p{L}\p{N}._@-]/gu, '?');

/** The user for a correct password from an address that need not wait; undefined otherwise, the same answer whatever was wrong. */
export async function checkPassword(db: Queryable, input: { unitId: string; staffId: string; password: string; address: string; now: Date }): Promise<User | undefined> {
  const key = { unitId: input.unitId, staffId: input.staffId, address: input.address };
  const since = new Date(input.now.getTime() - failuresExpireMs).toISOString();
  // Counted first, as a failure until the password proves right: a burst cannot all pass as "the first".
  const attempt = await countSignInAttempt(db, { ...key, at: input.now.toISOString(), expiredBefore: since });
  const waitsUntil = attempt.previous ? Date.parse(attempt.previous) + waitAfter(attempt.here - 1) : 0;
  const row = await accountFor(db, input.unitId, input.staffId);
  // The same work in every case: a real check, or one against a hash that matches nothing (made
  // at the process's first sign-in, whoever it is for).
  const dummy = await (dummyHash ??= hashPassword(randomBytes(16).toString('hex')));
  const correct = await verifyPassword(input.password, row?.password_hash ?? dummy);
  if (!row?.password_hash || row.disabled || !correct || input.now.getTime() < waitsUntil) {
    const total = await signInFailureTotal(db, { unitId: input.unitId, staffId: input.staffId, since });
    if (total >= alertAfterFailures && (await claimSignInAlert(db, { unitId: input.unitId, staffId: input.staffId, at: input.now.toISOString(), since }))) {
      console.warn(`Varning: ${total} misslyckade inloggningar på kontot ${forLog(input.staffId)} i ${forLog(input.unitId)} det senaste dygnet.`);
    }
    // Rows past the throttle's day (and an hour) are of no use: gone, so the table does not grow.
    await purgeSignInFailures(db, new Date(input.now.getTime() - failuresExpireMs - 3_600_000).toISOString());
    return undefined;
  }
  await clearFailedSignIns(db, input.unitId, input.staffId);
  return { unitId: input.unitId, staffId: input.staffId, name: row.name, role: row.role, access: accessOf(row.role, row.admin, row.log_reviewer) };
}

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
/** A session ends 10 hours after sign-in, or after 30 minutes unused. */
const sessionHours = 10;
const idleMinutes = 30;

export async function createSession(db: Queryable, user: Pick<User, 'unitId' | 'staffId'>, now: Date): Promise<{ id: string; csrf: string }> {
  const id = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await insertSession(db, { idHash: sha256(id), unitId: user.unitId, staffId: user.staffId, csrf, now: now.toISOString(), expiresAt: new Date(now.getTime() + sessionHours * 3_600_000).toISOString() });
  return { id, csrf };
}

export async function sessionUser(db: Queryable, id: string, now: Date): Promise<(User & { csrf: string; unitName: string }) | undefined> {
  const idHash = sha256(id);
  const row = await sessionByHash(db, idHash, now.toISOString(), new Date(now.getTime() - idleMinutes * 60_000).toISOString());
  if (!row) return undefined;
  // Used now: written at most once a minute, not on every request.
  if (now.getTime() - Date.parse(row.last_seen) > 60_000) await touchSession(db, idHash, now.toISOString());
  return { unitId: row.unit_id, staffId: row.staff_id, name: row.name, role: row.role, access: accessOf(row.role, row.admin ?? false, row.log_reviewer ?? false), csrf: row.csrf, unitName: row.unit_name };
}

export async function endSession(db: Queryable, id: string): Promise<void> {
  await deleteSession(db, sha256(id));
}

export function sameToken(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}
