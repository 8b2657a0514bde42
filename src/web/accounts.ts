// Sign-in: passwords hashed with scrypt (memory-hard, in Node's own crypto), a lockout after
// repeated failures, sessions stored by the hash of their cookie, each with its CSRF token.
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { StaffRole } from '../cases/caseFile.js';
import { accountFor, clearFailedSignIns, deleteSession, deleteSessionsOf, insertSession, recordFailedSignIn, savePassword, sessionByHash, touchSession } from '../store/accounts.js';
import type { Queryable } from '../store/db.js';
import { roleOf } from '../store/staff.js';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));

// 2^15 × 8 × 128 bytes = 32 MiB per hash: costly to guess in bulk, quick enough to sign in.
const params = { N: 2 ** 15, r: 8, p: 1 };
const maxmem = 64 * 1024 * 1024;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, { ...params, maxmem });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem });
  return timingSafeEqual(actual, expected);
}

export class AccountError extends Error {}

export async function setPassword(db: Queryable, input: { unitId: string; staffId: string; password: string; admin?: boolean }): Promise<void> {
  if (input.password.length < 10) throw new AccountError('lösenordet ska ha minst 10 tecken');
  if (!(await roleOf(db, input.unitId, input.staffId))) throw new AccountError(`${input.staffId} finns inte i enheten ${input.unitId}`);
  await savePassword(db, { unitId: input.unitId, staffId: input.staffId, hash: await hashPassword(input.password), admin: input.admin ?? false });
  // A new password ends every session the old one opened.
  await deleteSessionsOf(db, input.unitId, input.staffId);
}

export type Access = 'caseworker' | 'deputy' | 'head' | 'admin';

export interface User {
  unitId: string;
  staffId: string;
  name: string;
  role: StaffRole;
  access: Access[];
}

/** What a person may do, from their role in the unit and the admin flag. */
export function accessOf(role: StaffRole, admin: boolean): Access[] {
  const access: Access[] = [];
  if (role === 'socialsekreterare' || role === 'bidragshandlaggare') access.push('caseworker');
  if (role === 'bitradande-enhetschef') access.push('deputy');
  if (role === 'enhetschef') access.push('head');
  if (admin) access.push('admin');
  return access;
}

/** A deputy head or the unit head: sees and changes the whole unit's tasks. */
export const isHead = (user: Pick<User, 'access'>): boolean => user.access.includes('deputy') || user.access.includes('head');

const lockAfter = 5;
const lockMinutes = 15;

/** The user for a correct password; undefined otherwise (the same answer whatever was wrong). Five failures lock the account for 15 minutes. */
export async function checkPassword(db: Queryable, input: { unitId: string; staffId: string; password: string; now: Date }): Promise<User | undefined> {
  const row = await accountFor(db, input.unitId, input.staffId);
  if (!row?.password_hash) {
    // As slow as a real check, so timing does not tell which accounts exist.
    await hashPassword(input.password);
    return undefined;
  }
  if (row.locked_until && new Date(row.locked_until) > input.now) return undefined;
  if (!(await verifyPassword(input.password, row.password_hash))) {
    await recordFailedSignIn(db, { unitId: input.unitId, staffId: input.staffId, lockAfter, lockUntil: new Date(input.now.getTime() + lockMinutes * 60_000).toISOString() });
    return undefined;
  }
  await clearFailedSignIns(db, input.unitId, input.staffId);
  return { unitId: input.unitId, staffId: input.staffId, name: row.name, role: row.role, access: accessOf(row.role, row.admin) };
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

export async function sessionUser(db: Queryable, id: string, now: Date): Promise<(User & { csrf: string }) | undefined> {
  const idHash = sha256(id);
  const row = await sessionByHash(db, idHash, now.toISOString(), new Date(now.getTime() - idleMinutes * 60_000).toISOString());
  if (!row) return undefined;
  // Used now: written at most once a minute, not on every request.
  if (now.getTime() - Date.parse(row.last_seen) > 60_000) await touchSession(db, idHash, now.toISOString());
  return { unitId: row.unit_id, staffId: row.staff_id, name: row.name, role: row.role, access: accessOf(row.role, row.admin ?? false), csrf: row.csrf };
}

export async function endSession(db: Queryable, id: string): Promise<void> {
  await deleteSession(db, sha256(id));
}

export function sameToken(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}
