// Digests by e-mail: every digest with its idempotency key, written as pending before it is sent
// and marked when it has been; and each unit's sender, subject prefix and footer.
import type { Queryable } from './db.js';
import { OPEN } from './tasks.js';

export interface UnitMailSettings {
  sender: string | null;
  subjectPrefix: string | null;
  footer: string | null;
}

export async function unitMailSettings(db: Queryable, unitId: string): Promise<UnitMailSettings> {
  const [row] = await db.query<{ sender: string | null; subject_prefix: string | null; footer: string | null }>(
    'SELECT sender, subject_prefix, footer FROM unit_mail_settings WHERE unit_id = $1',
    [unitId],
  );
  return { sender: row?.sender ?? null, subjectPrefix: row?.subject_prefix ?? null, footer: row?.footer ?? null };
}

/** Saves the settings given; what is left out keeps its earlier value. */
export async function saveUnitMailSettings(db: Queryable, unitId: string, change: { sender?: string; subjectPrefix?: string; footer?: string }): Promise<void> {
  await db.query(
    `INSERT INTO unit_mail_settings (unit_id, sender, subject_prefix, footer) VALUES ($1, $2, $3, $4)
     ON CONFLICT (unit_id) DO UPDATE SET sender = coalesce($2, unit_mail_settings.sender),
       subject_prefix = coalesce($3, unit_mail_settings.subject_prefix), footer = coalesce($4, unit_mail_settings.footer)`,
    [unitId, change.sender ?? null, change.subjectPrefix ?? null, change.footer ?? null],
  );
}

export interface PendingDigest {
  key: string;
  recipient: string;
  email: string;
  kind: 'caseworker' | 'escalation' | 'summary' | 'report';
  subject: string;
  text: string;
  html: string;
}

/** Records digests as pending; a key recorded before is left as it is. */
export async function insertDigests(db: Queryable, unitId: string, date: string, digests: PendingDigest[]): Promise<void> {
  if (digests.length === 0) return;
  const column = <K extends keyof PendingDigest>(key: K) => digests.map((d) => d[key]);
  await db.query(
    `INSERT INTO digests (key, unit_id, recipient, email, kind, digest_date, subject, text_body, html_body)
     SELECT t.key, $1, t.recipient, t.email, t.kind, $2::date, t.subject, t.text, t.html
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS t(key, recipient, email, kind, subject, text, html)
     ON CONFLICT (key) DO NOTHING`,
    [unitId, date, column('key'), column('recipient'), column('email'), column('kind'), column('subject'), column('text'), column('html')],
  );
}

export async function pendingDigestKeys(db: Queryable, unitId: string, date: string): Promise<string[]> {
  const rows = await db.query<{ key: string }>(`SELECT key FROM digests WHERE unit_id = $1 AND digest_date = $2::date AND state = 'pending' ORDER BY key`, [unitId, date]);
  return rows.map((r) => r.key);
}

/** Counts a sending attempt and returns the digest as it stands (undefined: no such key). */
export async function startDigestAttempt(db: Queryable, key: string) {
  const [digest] = await db.query<{ email: string; subject: string; text_body: string; html_body: string; state: 'pending' | 'sent' }>(
    `UPDATE digests SET attempts = attempts + 1 WHERE key = $1 RETURNING email, subject, text_body, html_body, state`,
    [key],
  );
  return digest;
}

export async function markDigestSent(db: Queryable, key: string): Promise<void> {
  await db.query(`UPDATE digests SET state = 'sent', sent_at = now() WHERE key = $1`, [key]);
}

/** Each person's last personal digest before a day: what they were told of is not new again. */
export async function lastPersonalDigests(db: Queryable, unitId: string, before: string): Promise<Record<string, string>> {
  const rows = await db.query<{ recipient: string; last: string }>(
    `SELECT recipient, max(digest_date)::text AS last FROM digests WHERE unit_id = $1 AND kind = 'caseworker' AND digest_date < $2::date GROUP BY recipient`,
    [unitId, before],
  );
  return Object.fromEntries(rows.map((r) => [r.recipient, r.last]));
}

/** The digests prepared for a report (`unit:report:recipient:report id`), sent or not. */
export async function reportDigestKeys(db: Queryable, unitId: string, reportId: string): Promise<string[]> {
  const rows = await db.query<{ key: string }>(
    `SELECT key FROM digests WHERE unit_id = $1 AND kind = 'report' AND key = $1 || ':report:' || recipient || ':' || $2 ORDER BY key`,
    [unitId, reportId],
  );
  return rows.map((r) => r.key);
}

/**
 * A unit's open tasks for the day's digests, with their control's title (as of the version each was
 * made under), the moment each was made (its history's, for a backfill too), whether
 * it is a unit task (no case) and whether its round has recorded the reminder and escalation days.
 */
export async function openTasksForDigests(db: Queryable, unitId: string, date: string) {
  return db.query<{ assignee: string | null; title: string; due_on: string; create_on: string; created_at: string; unit_task: boolean; reminded: boolean; escalated: boolean }>(
    `SELECT t.assignee, v.definition->>'title' AS title, t.due_on, t.create_on,
            to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at, t.case_id IS NULL AS unit_task,
            EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.task_id AND e.kind = 'reminder-due') AS reminded,
            EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.task_id AND e.kind = 'escalation-due') AS escalated
     FROM tasks t JOIN rule_versions v ON v.rule_version = t.rule_version
     WHERE t.unit_id = $1 AND t.state IN (${OPEN}) AND t.create_on <= $2::date`,
    [unitId, date],
  );
}

/** Who reports to which deputy head (the case file's reportsTo), by staff id; those without are left out. */
export async function reportingLines(db: Queryable, unitId: string): Promise<Record<string, string>> {
  const rows = await db.query<{ id: string; reports_to: string }>('SELECT id, reports_to FROM staff WHERE unit_id = $1 AND reports_to IS NOT NULL', [unitId]);
  return Object.fromEntries(rows.map((r) => [r.id, r.reports_to]));
}
