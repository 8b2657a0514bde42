// Who may sign in to the web app (a password hash), their sessions with the CSRF token, and the
// secret calendar-feed tokens. Only hashes of secrets are stored.
import type { StaffRole } from '../cases/caseFile.js';
import type { Queryable } from './db.js';

export interface AccountRow {
  password_hash: string | null;
  admin: boolean;
  disabled: boolean;
  /** May read the unit's access log without being a head. */
  log_reviewer: boolean;
  name: string;
  role: StaffRole;
}

/** A person on the unit's staff and their account, if any (a person signed in by single sign-on may have none). */
export async function accountFor(db: Queryable, unitId: string, staffId: string): Promise<AccountRow | undefined> {
  const [row] = await db.query<AccountRow>(
    `SELECT a.password_hash, coalesce(a.admin, false) AS admin, coalesce(a.disabled, false) AS disabled, coalesce(a.log_reviewer, false) AS log_reviewer, s.name, s.role
     FROM staff s LEFT JOIN accounts a ON a.unit_id = s.unit_id AND a.staff_id = s.id
     WHERE s.unit_id = $1 AND s.id = $2`,
    [unitId, staffId],
  );
  return row;
}

/** Sets one of an account's flags, making the account if need be; false when the person is not on the unit's staff. */
async function setFlag(db: Queryable, flag: 'disabled' | 'log_reviewer' | 'admin', unitId: string, staffId: string, on: boolean): Promise<boolean> {
  // The column is one of the three names above, never input.
  const rows = await db.query(
    `INSERT INTO accounts (unit_id, staff_id, ${flag}) SELECT unit_id, id, $3 FROM staff WHERE unit_id = $1 AND id = $2
     ON CONFLICT (unit_id, staff_id) DO UPDATE SET ${flag} = excluded.${flag} RETURNING staff_id`,
    [unitId, staffId, on],
  );
  return rows.length > 0;
}

/** Stops (or lets again) a person sign in; returns false when the person is not on the unit's staff. */
export const setDisabled = (db: Queryable, unitId: string, staffId: string, disabled: boolean) => setFlag(db, 'disabled', unitId, staffId, disabled);

/** Makes a person the unit's log reviewer, or not; returns false when the person is not on the unit's staff. */
export const setLogReviewer = (db: Queryable, unitId: string, staffId: string, on: boolean) => setFlag(db, 'log_reviewer', unitId, staffId, on);

/** The unit's log reviewers who may sign in, by id. */
export async function logReviewersOf(db: Queryable, unitId: string): Promise<string[]> {
  const rows = await db.query<{ staff_id: string }>(
    'SELECT a.staff_id FROM accounts a JOIN staff s ON s.unit_id = a.unit_id AND s.id = a.staff_id WHERE a.unit_id = $1 AND a.log_reviewer AND NOT a.disabled ORDER BY a.staff_id',
    [unitId],
  );
  return rows.map((r) => r.staff_id);
}

/** Gives or takes away the admin flag (the rule view); returns false when the person is not on the unit's staff. */
export const setAdmin = (db: Queryable, unitId: string, staffId: string, admin: boolean) => setFlag(db, 'admin', unitId, staffId, admin);

/** Sets a password (and the admin flag, which a new password never takes away); clears the failures. */
export async function savePassword(db: Queryable, input: { unitId: string; staffId: string; hash: string; admin: boolean }): Promise<void> {
  await db.query(
    `INSERT INTO accounts (unit_id, staff_id, password_hash, admin) VALUES ($1, $2, $3, $4)
     ON CONFLICT (unit_id, staff_id) DO UPDATE SET password_hash = excluded.password_hash, admin = accounts.admin OR excluded.admin`,
    [input.unitId, input.staffId, input.hash, input.admin],
  );
  await clearFailedSignIns(db, input.unitId, input.staffId);
}

/**
 * Counts a sign-in attempt from an address before its password is checked (a success clears it
 * afterwards). One statement: concurrent attempts are each counted, and each gets its own count
 * (with this one) and the moment of the attempt before it. A count whose last attempt expired
 * starts over.
 */
export async function countSignInAttempt(db: Queryable, input: { unitId: string; staffId: string; address: string; at: string; expiredBefore: string }): Promise<{ here: number; previous: string | null }> {
  const [row] = await db.query<{ here: number; previous: string | null }>(
    `INSERT INTO sign_in_failures (unit_id, staff_id, address, failures, last_failure, previous_failure) VALUES ($1, $2, $3, 1, $4::timestamptz, NULL)
     ON CONFLICT (unit_id, staff_id, address) DO UPDATE SET
       failures = CASE WHEN sign_in_failures.last_failure > $5::timestamptz THEN sign_in_failures.failures + 1 ELSE 1 END,
       previous_failure = CASE WHEN sign_in_failures.last_failure > $5::timestamptz THEN sign_in_failures.last_failure END,
       last_failure = greatest(sign_in_failures.last_failure, excluded.last_failure)
     RETURNING failures AS here, previous_failure AS previous`,
    [input.unitId, input.staffId, input.address, input.at, input.expiredBefore],
  );
  return row!;
}

/** An account's failed sign-ins since a moment, from every address. */
export async function signInFailureTotal(db: Queryable, input: { unitId: string; staffId: string; since: string }): Promise<number> {
  const [row] = await db.query<{ total: number }>(
    'SELECT coalesce(sum(failures), 0)::int AS total FROM sign_in_failures WHERE unit_id = $1 AND staff_id = $2 AND last_failure > $3::timestamptz',
    [input.unitId, input.staffId, input.since],
  );
  return row!.total;
}

/** True for the one caller that may raise the account's alert now: none raised since `since`. */
export async function claimSignInAlert(db: Queryable, input: { unitId: string; staffId: string; at: string; since: string }): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO sign_in_alerts (unit_id, staff_id, alerted_at) VALUES ($1, $2, $3::timestamptz)
     ON CONFLICT (unit_id, staff_id) DO UPDATE SET alerted_at = excluded.alerted_at WHERE sign_in_alerts.alerted_at <= $4::timestamptz
     RETURNING 1`,
    [input.unitId, input.staffId, input.at, input.since],
  );
  return rows.length > 0;
}

/** Forgets failures and alerts older than a moment (past the throttle's day). */
export async function purgeSignInFailures(db: Queryable, before: string): Promise<void> {
  await db.query('DELETE FROM sign_in_failures WHERE last_failure < $1::timestamptz', [before]);
  await db.query('DELETE FROM sign_in_alerts WHERE alerted_at < $1::timestamptz', [before]);
}

export async function clearFailedSignIns(db: Queryable, unitId: string, staffId: string): Promise<void> {
  await db.query('DELETE FROM sign_in_failures WHERE unit_id = $1 AND staff_id = $2', [unitId, staffId]);
}

export async function insertSession(db: Queryable, input: { idHash: string; unitId: string; staffId: string; csrf: string; now: string; expiresAt: string }): Promise<void> {
  await db.query('INSERT INTO web_sessions (id_hash, unit_id, staff_id, csrf, last_seen, expires_at) VALUES ($1, $2, $3, $4, $5::timestamptz, $6::timestamptz)', [
    input.idHash, input.unitId, input.staffId, input.csrf, input.now, input.expiresAt,
  ]);
}

/** The session's person, role and admin flag, while it has neither expired nor been idle since `idleSince`. */
export async function sessionByHash(db: Queryable, idHash: string, now: string, idleSince: string) {
  const [row] = await db.query<{ unit_id: string; unit_name: string; staff_id: string; csrf: string; name: string; role: StaffRole; admin: boolean | null; log_reviewer: boolean | null; last_seen: string }>(
    `SELECT w.unit_id, u.name AS unit_name, w.staff_id, w.csrf, s.name, s.role, a.admin, a.log_reviewer, w.last_seen FROM web_sessions w
     JOIN units u ON u.id = w.unit_id JOIN staff s ON s.unit_id = w.unit_id AND s.id = w.staff_id LEFT JOIN accounts a ON a.unit_id = w.unit_id AND a.staff_id = w.staff_id
     WHERE w.id_hash = $1 AND w.expires_at > $2::timestamptz AND w.last_seen > $3::timestamptz AND NOT coalesce(a.disabled, false)`,
    [idHash, now, idleSince],
  );
  return row;
}

export async function touchSession(db: Queryable, idHash: string, now: string): Promise<void> {
  await db.query('UPDATE web_sessions SET last_seen = $2::timestamptz WHERE id_hash = $1', [idHash, now]);
}

/** Ends every session of a person (their password changed, or they were disabled). */
export async function deleteSessionsOf(db: Queryable, unitId: string, staffId: string): Promise<void> {
  await db.query('DELETE FROM web_sessions WHERE unit_id = $1 AND staff_id = $2', [unitId, staffId]);
}

export async function deleteSession(db: Queryable, idHash: string): Promise<void> {
  await db.query('DELETE FROM web_sessions WHERE id_hash = $1', [idHash]);
}

/** When the person's active calendar address was made, if they have one. */
export async function activeCalendarToken(db: Queryable, unitId: string, staffId: string): Promise<{ created_at: string } | undefined> {
  const [row] = await db.query<{ created_at: string }>('SELECT created_at FROM calendar_tokens WHERE unit_id = $1 AND staff_id = $2 AND revoked_at IS NULL', [unitId, staffId]);
  return row;
}

export async function revokeCalendarTokens(db: Queryable, unitId: string, staffId: string): Promise<void> {
  await db.query('UPDATE calendar_tokens SET revoked_at = now() WHERE unit_id = $1 AND staff_id = $2 AND revoked_at IS NULL', [unitId, staffId]);
}

export async function insertCalendarToken(db: Queryable, tokenHash: string, unitId: string, staffId: string): Promise<void> {
  await db.query('INSERT INTO calendar_tokens (token_hash, unit_id, staff_id) VALUES ($1, $2, $3)', [tokenHash, unitId, staffId]);
}

export async function calendarTokenOwner(db: Queryable, tokenHash: string): Promise<{ unit_id: string; staff_id: string } | undefined> {
  const [owner] = await db.query<{ unit_id: string; staff_id: string }>(
    `SELECT t.unit_id, t.staff_id FROM calendar_tokens t LEFT JOIN accounts a ON a.unit_id = t.unit_id AND a.staff_id = t.staff_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND NOT coalesce(a.disabled, false)`,
    [tokenHash],
  );
  return owner;
}
