// A unit's staff: who they are, their role, their digest preference. The role questions that are
// data questions (is this person a head of the unit?) are answered here, once.
import type { Staff, StaffRole } from '../cases/caseFile.js';
import type { Queryable } from './db.js';

/** The unit head and the deputy heads: they reopen tasks, close rounds and see the whole unit. */
export const HEAD_ROLES = ['enhetschef', 'bitradande-enhetschef'] as const satisfies readonly StaffRole[];
export const isHeadRole = (role: string | undefined): boolean => (HEAD_ROLES as readonly string[]).includes(role ?? '');

export interface StaffRow extends Staff {
  digest: 'daily' | 'weekly';
}

/** Adds or updates the staff of a case file (by id). */
export async function writeStaff(tx: Queryable, unitId: string, staff: Staff[]): Promise<void> {
  await tx.query(
    `INSERT INTO staff (unit_id, id, name, role, email, reports_to)
     SELECT $1, t.id, t.name, t.role, t.email, t.reports_to FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(id, name, role, email, reports_to)
     ON CONFLICT (unit_id, id) DO UPDATE SET name = excluded.name, role = excluded.role, email = excluded.email, reports_to = excluded.reports_to`,
    [unitId, staff.map((s) => s.id), staff.map((s) => s.name), staff.map((s) => s.role), staff.map((s) => s.email), staff.map((s) => s.reportsTo ?? null)],
  );
}

/** A unit's staff in id order; with roles, only those. */
export async function staffOf(db: Queryable, unitId: string, roles?: readonly string[]): Promise<StaffRow[]> {
  return db.query<StaffRow>(
    `SELECT id, name, role, email, digest FROM staff WHERE unit_id = $1 ${roles ? 'AND role = ANY($2::text[])' : ''} ORDER BY id`,
    roles ? [unitId, roles] : [unitId],
  );
}

/** A person's role in the unit; undefined when they are not on its staff. */
export async function roleOf(db: Queryable, unitId: string, staffId: string): Promise<StaffRole | undefined> {
  const [person] = await db.query<{ role: StaffRole }>('SELECT role FROM staff WHERE unit_id = $1 AND id = $2', [unitId, staffId]);
  return person?.role;
}

export async function isHead(db: Queryable, unitId: string, staffId: string): Promise<boolean> {
  return isHeadRole(await roleOf(db, unitId, staffId));
}

/** Returns false when the person is not on the unit's staff. */
export async function setDigestPreference(db: Queryable, unitId: string, staffId: string, digest: 'daily' | 'weekly'): Promise<boolean> {
  const rows = await db.query('UPDATE staff SET digest = $3 WHERE unit_id = $1 AND id = $2 RETURNING id', [unitId, staffId, digest]);
  return rows.length > 0;
}
