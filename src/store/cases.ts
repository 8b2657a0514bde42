// Cases in the store: a validated case file imported in one transaction (unchanged cases are not
// rewritten, a full export closes what it no longer lists), and read back as a case file.
// A personnummer is never kept: planning needs a member's birth date and role, and a keyed hash
// under the installation's key (person_ref) still tells the same person in two cases or imports.
import { createHash, createHmac } from 'node:crypto';
import type { Case, CaseFile, Member, Staff } from '../cases/caseFile.js';
import type { Db, Queryable } from './db.js';
import { writeStaff } from './staff.js';
import { cancelOpenTasksOfCases, closedCasesWithOpenTasks } from './tasks.js';

export interface ImportOptions {
  fileName: string;
  fileHash: string;
  importedBy: string;
  /** A full export: cases of the unit it does not list are closed on exportDate. */
  full: boolean;
  exportDate: string;
}

export interface ImportCounts {
  added: number;
  changed: number;
  unchanged: number;
  closedByFullExport: number;
  cancelledTasks: number;
  staff: number;
}

const knownCaseFields = new Set(['caseId', 'openedOn', 'closedOn', 'socialsekreterare', 'bidragshandlaggare', 'members', 'incomes', 'flags', 'workPlan', 'unemployedSince']);
const knownMemberFields = new Set(['personId', 'role', 'birthDate', 'school']);
/** Written instead of a content hash when a full export closed the case: its return is a change. */
const closedByExport = 'closed-by-full-export';

function extra(record: object, known: Set<string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(record).filter(([key]) => !known.has(key))));
}

export function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** A personnummer's keyed hash: the same number gives the same ref under one key; the number cannot be read back. */
export function personRef(key: Buffer, personnummer: string): string {
  return `p1:${createHmac('sha256', key).update(personnummer).digest('hex').slice(0, 32)}`;
}

/**
 * The case as the store keeps it: each member's personnummer replaced by its ref, or left out
 * without a key. Its content hash is taken over this form, so the hash gives no number away either.
 */
function sealed(c: Case, key: Buffer | undefined): Case {
  return { ...c, members: c.members.map(({ personId, ...m }) => (key ? { ...m, personId: personRef(key, personId!) } : m)) };
}

/** Writes cases already sealed (personnummer replaced by refs). */
async function writeCases(tx: Queryable, unitId: string, cases: Case[]): Promise<void> {
  const ids = cases.map((c) => c.caseId);
  for (const table of ['members', 'case_incomes', 'case_flags']) {
    await tx.query(`DELETE FROM ${table} WHERE unit_id = $1 AND case_id = ANY($2::text[])`, [unitId, ids]);
  }
  await tx.query(
    `INSERT INTO cases (unit_id, case_id, opened_on, closed_on, socialsekreterare, bidragshandlaggare, work_plan_established_on, unemployed_since, extra, content_hash)
     SELECT $1, t.id, t.opened::date, t.closed::date, t.ss, t.bh, t.plan::date, t.unemployed::date, t.extra::jsonb, t.hash
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
       AS t(id, opened, closed, ss, bh, plan, unemployed, extra, hash)
     ON CONFLICT (unit_id, case_id) DO UPDATE SET opened_on = excluded.opened_on, closed_on = excluded.closed_on,
       socialsekreterare = excluded.socialsekreterare, bidragshandlaggare = excluded.bidragshandlaggare,
       work_plan_established_on = excluded.work_plan_established_on, unemployed_since = excluded.unemployed_since,
       extra = excluded.extra, content_hash = excluded.content_hash`,
    [
      unitId, ids, cases.map((c) => c.openedOn), cases.map((c) => c.closedOn ?? null), cases.map((c) => c.socialsekreterare),
      cases.map((c) => c.bidragshandlaggare), cases.map((c) => c.workPlan?.establishedOn ?? null), cases.map((c) => c.unemployedSince ?? null),
      cases.map((c) => extra(c, knownCaseFields)), cases.map(hashOf),
    ],
  );
  const members = cases.flatMap((c) => c.members.map((m, position) => ({ caseId: c.caseId, position, m })));
  await tx.query(
    `INSERT INTO members (unit_id, case_id, position, person_ref, role, birth_date, school_type, expected_graduation, extra)
     SELECT $1, t.case_id, t.position, t.person, t.role, t.birth::date, t.school, t.graduation::date, t.extra::jsonb
     FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       AS t(case_id, position, person, role, birth, school, graduation, extra)`,
    [
      unitId, members.map((x) => x.caseId), members.map((x) => x.position), members.map((x) => x.m.personId ?? null), members.map((x) => x.m.role),
      members.map((x) => x.m.birthDate), members.map((x) => x.m.school?.type ?? null), members.map((x) => x.m.school?.expectedGraduation ?? null),
      members.map((x) => extra(x.m, knownMemberFields)),
    ],
  );
  const incomes = cases.flatMap((c) => [...new Set(c.incomes ?? [])].map((income) => [c.caseId, income] as const));
  await tx.query(
    `INSERT INTO case_incomes (unit_id, case_id, income) SELECT $1, t.c, t.i FROM unnest($2::text[], $3::text[]) AS t(c, i)`,
    [unitId, incomes.map(([c]) => c), incomes.map(([, i]) => i)],
  );
  const flags = cases.flatMap((c) => Object.entries(c.flags ?? {}).filter(([, on]) => on === true).map(([flag]) => [c.caseId, flag] as const));
  await tx.query(
    `INSERT INTO case_flags (unit_id, case_id, flag) SELECT $1, t.c, t.f FROM unnest($2::text[], $3::text[]) AS t(c, f)`,
    [unitId, flags.map(([c]) => c), flags.map(([, f]) => f)],
  );
}

/** Imports a validated case file in one transaction; re-importing the same file changes no case. */
export async function importCaseFile(db: Db, caseFile: CaseFile, options: ImportOptions): Promise<ImportCounts> {
  const unitId = caseFile.unit.id;
  return db.transaction(async (tx) => {
    await tx.query('INSERT INTO units (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name', [unitId, caseFile.unit.name]);
    await writeStaff(tx, unitId, caseFile.staff);
    const stored = new Map(
      (await tx.query<{ case_id: string; content_hash: string }>('SELECT case_id, content_hash FROM cases WHERE unit_id = $1', [unitId])).map((r) => [r.case_id, r.content_hash]),
    );
    const cases = caseFile.cases.map((c) => sealed(c, db.personKey));
    const toWrite = cases.filter((c) => stored.get(c.caseId) !== hashOf(c));
    await writeCases(tx, unitId, toWrite);
    const added = toWrite.filter((c) => !stored.has(c.caseId)).length;

    let closedByFull: string[] = [];
    if (options.full) {
      const listed = caseFile.cases.map((c) => c.caseId);
      closedByFull = (
        await tx.query<{ case_id: string }>(
          `UPDATE cases SET closed_on = $2::date, content_hash = $4
           WHERE unit_id = $1 AND NOT (case_id = ANY($3::text[])) AND (closed_on IS NULL OR closed_on > $2::date)
           RETURNING case_id`,
          [unitId, options.exportDate, listed, closedByExport],
        )
      ).map((r) => r.case_id);
    }
    const closed = await closedCasesWithOpenTasks(tx, unitId, options.exportDate, true);
    const cancelled = await cancelOpenTasksOfCases(tx, unitId, closed, `ärendet är avslutat (export ${options.exportDate})`, `import:${options.importedBy}`);
    const counts: ImportCounts = {
      added,
      changed: toWrite.length - added,
      unchanged: caseFile.cases.length - toWrite.length,
      closedByFullExport: closedByFull.length,
      cancelledTasks: cancelled.length,
      staff: caseFile.staff.length,
    };
    await tx.query(
      'INSERT INTO import_runs (unit_id, file_name, file_hash, imported_by, mode, counts) VALUES ($1, $2, $3, $4, $5, $6::jsonb)',
      [unitId, options.fileName, options.fileHash, options.importedBy, options.full ? 'full' : 'incremental', JSON.stringify(counts)],
    );
    return counts;
  });
}

export async function units(db: Queryable): Promise<{ id: string; name: string }[]> {
  return db.query<{ id: string; name: string }>('SELECT id, name FROM units ORDER BY id');
}

export async function unitIds(db: Queryable): Promise<string[]> {
  return (await units(db)).map((u) => u.id);
}

export async function findUnit(db: Queryable, unitId: string): Promise<{ id: string; name: string } | undefined> {
  const [unit] = await db.query<{ id: string; name: string }>('SELECT id, name FROM units WHERE id = $1', [unitId]);
  return unit;
}

/** How many units and cases the store holds (for doctor). */
export async function storeCounts(db: Queryable): Promise<{ units: number; cases: number }> {
  const [row] = await db.query<{ units: number; cases: number }>('SELECT (SELECT count(*) FROM units)::int AS units, (SELECT count(*) FROM cases)::int AS cases');
  return row!;
}

/** The person of a case's staff role (its socialsekreterare or bidragshandläggare). */
export async function caseStaff(db: Queryable, unitId: string, caseId: string): Promise<{ socialsekreterare: string; bidragshandlaggare: string } | undefined> {
  const [row] = await db.query<{ socialsekreterare: string; bidragshandlaggare: string }>(
    'SELECT socialsekreterare, bidragshandlaggare FROM cases WHERE unit_id = $1 AND case_id = $2',
    [unitId, caseId],
  );
  return row;
}

/** The caseworkers of these cases, by case id (those that exist). */
export async function caseStaffOf(db: Queryable, unitId: string, caseIds: string[]): Promise<Map<string, { socialsekreterare: string; bidragshandlaggare: string }>> {
  const rows = await db.query<{ case_id: string; socialsekreterare: string; bidragshandlaggare: string }>(
    'SELECT case_id, socialsekreterare, bidragshandlaggare FROM cases WHERE unit_id = $1 AND case_id = ANY($2::text[])',
    [unitId, caseIds],
  );
  return new Map(rows.map((r) => [r.case_id, { socialsekreterare: r.socialsekreterare, bidragshandlaggare: r.bidragshandlaggare }]));
}

/** Cases active some day between `from` and `to` (dates), with their socialsekreterare, in case-id order. */
export async function activeCasesWithCaseworker(db: Queryable, unitId: string, from: string, to: string): Promise<{ caseId: string; caseworker: string }[]> {
  return db.query<{ caseId: string; caseworker: string }>(
    `SELECT case_id AS "caseId", socialsekreterare AS caseworker FROM cases
     WHERE unit_id = $1 AND opened_on <= $3::date AND (closed_on IS NULL OR closed_on >= $2::date) ORDER BY case_id`,
    [unitId, from, to],
  );
}

/** Cases closed in the period; with ages, those with an applicant or co-applicant of those ages on the closing day. */
export async function closedCasesWithCaseworker(db: Queryable, unitId: string, from: string, to: string, ages?: { min: number; max: number }): Promise<{ caseId: string; caseworker: string }[]> {
  const adults = `AND EXISTS (SELECT 1 FROM members m WHERE m.unit_id = c.unit_id AND m.case_id = c.case_id AND m.role IN ('applicant', 'co-applicant')
       AND date_part('year', age(c.closed_on, m.birth_date)) BETWEEN $4 AND $5)`;
  return db.query<{ caseId: string; caseworker: string }>(
    `SELECT c.case_id AS "caseId", c.socialsekreterare AS caseworker FROM cases c
     WHERE c.unit_id = $1 AND c.closed_on BETWEEN $2::date AND $3::date ${ages ? adults : ''} ORDER BY c.case_id`,
    ages ? [unitId, from, to, ages.min, ages.max] : [unitId, from, to],
  );
}

/**
 * The share of the cases open on a day, and open for at least a month, that have a work plan
 * established by then (VP 2009 FSE: "ärenden där arbetsplan finns efter det andra mötet"); null
 * when no case was open a month.
 */
export async function workPlanShare(db: Queryable, input: { unitId: string; day: string }): Promise<number | null> {
  const [row] = await db.query<{ cases: number; planned: number }>(
    `SELECT count(*)::int AS cases, count(*) FILTER (WHERE work_plan_established_on <= $2::date)::int AS planned FROM cases
     WHERE unit_id = $1 AND opened_on <= ($2::date - interval '1 month')::date AND (closed_on IS NULL OR closed_on >= $2::date)`,
    [input.unitId, input.day],
  );
  return row!.cases ? row!.planned / row!.cases : null;
}

/**
 * A unit's figures for a period (first and last day): households and children as monthly averages
 * (each month's active cases, averaged over the months, to one decimal), and long-term dependence
 * in individuals: the adults of the cases active in the period that had then been on assistance
 * more than ten months.
 */
export async function countActiveCases(
  db: Queryable,
  input: { unitId: string; from: string; to: string; count: 'households' | 'adultsOverTenMonths' | 'children'; longTermMonths?: number },
): Promise<number> {
  const active = `c.unit_id = $1 AND c.opened_on <= $3::date AND (c.closed_on IS NULL OR c.closed_on >= $2::date)`;
  // The average over the months of the period of those active in each month (open on some day of
  // it): one pass over the cases, each counting the months it was active in, divided by the months
  // (0 for a period that ends before it starts, as a report made before its period has).
  const monthIndex = (date: string) => `(date_part('year', ${date})::int * 12 + date_part('month', ${date})::int)`;
  const monthly = (from: string) => `
    SELECT coalesce(round(sum(greatest(0, ${monthIndex('least(c.closed_on, $3::date)')} - ${monthIndex('greatest(c.opened_on, $2::date)')} + 1))::numeric
                 / nullif(greatest(0, ${monthIndex('$3::date')} - ${monthIndex('$2::date')} + 1), 0), 1), 0)::float AS n
    FROM ${from} WHERE c.unit_id = $1 AND c.opened_on <= (date_trunc('month', $3::date) + interval '1 month' - interval '1 day')::date
      AND (c.closed_on IS NULL OR c.closed_on >= date_trunc('month', $2::date)::date)`;
  const sql = {
    households: monthly('cases c'),
    children: monthly(`(cases c JOIN members m ON m.unit_id = c.unit_id AND m.case_id = c.case_id AND m.role = 'child')`),
    // Long-term assistance, the national convention: assistance in at least ten (the parameter) of the
    // twelve months up to the period's last; the months paid where the file lists them
    // (assistanceMonths), else the months the case was active. Counted in adults.
    adultsOverTenMonths: `SELECT count(*)::int AS n FROM cases c JOIN members m ON m.unit_id = c.unit_id AND m.case_id = c.case_id
      WHERE ${active} AND m.role IN ('applicant', 'co-applicant') AND $4::int <= CASE
        WHEN jsonb_typeof(c.extra->'assistanceMonths') = 'array' THEN (SELECT count(*)::int FROM jsonb_array_elements_text(c.extra->'assistanceMonths') AS a(month)
          WHERE a.month BETWEEN to_char($3::date - interval '11 months', 'YYYY-MM') AND to_char($3::date, 'YYYY-MM'))
        ELSE greatest(0, ${monthIndex('least(coalesce(c.closed_on, $3::date), $3::date)')} - ${monthIndex(`greatest(c.opened_on, ($3::date - interval '11 months')::date)`)} + 1)
      END`,
  }[input.count];
  const params = input.count === 'adultsOverTenMonths' ? [input.unitId, input.from, input.to, input.longTermMonths ?? 10] : [input.unitId, input.from, input.to];
  return (await db.query<{ n: number }>(sql, params))[0]!.n;
}

/** A unit's cases as a case file, exactly as the planner reads one from disk; optionally one page of them, by case id. */
export async function readCaseFileFromStore(db: Queryable, unitId: string, page?: { afterCaseId: string | null; limit: number }): Promise<CaseFile> {
  const unit = await findUnit(db, unitId);
  if (!unit) throw new Error(`enheten ${unitId} finns inte i databasen`);
  const staff = (await db.query<Staff & { reports_to: string | null }>('SELECT id, name, role, email, reports_to FROM staff WHERE unit_id = $1 ORDER BY id', [unitId]))
    .map(({ reports_to, ...person }) => (reports_to ? { ...person, reportsTo: reports_to } : person));
  const rows = await db.query<{
    case_id: string; opened_on: string; closed_on: string | null; socialsekreterare: string; bidragshandlaggare: string;
    work_plan_established_on: string | null; unemployed_since: string | null; extra: Record<string, unknown>;
  }>(
    page ? 'SELECT * FROM cases WHERE unit_id = $1 AND case_id > $2 ORDER BY case_id LIMIT $3' : 'SELECT * FROM cases WHERE unit_id = $1 ORDER BY case_id',
    page ? [unitId, page.afterCaseId ?? '', page.limit] : [unitId],
  );
  const ids = rows.map((r) => r.case_id);
  const scope = page ? 'unit_id = $1 AND case_id = ANY($2::text[])' : 'unit_id = $1';
  const scopeParams = page ? [unitId, ids] : [unitId];
  const members = await db.query<{ case_id: string; person_ref: string | null; role: Member['role']; birth_date: string; school_type: string | null; expected_graduation: string | null; extra: Record<string, unknown> }>(
    `SELECT * FROM members WHERE ${scope} ORDER BY case_id, position`,
    scopeParams,
  );
  const incomes = await db.query<{ case_id: string; income: string }>(`SELECT case_id, income FROM case_incomes WHERE ${scope} ORDER BY case_id, income`, scopeParams);
  const flags = await db.query<{ case_id: string; flag: string }>(`SELECT case_id, flag FROM case_flags WHERE ${scope}`, scopeParams);
  const byCase = new Map<string, Case>();
  const cases = rows.map((r) => {
    const c: Case = {
      ...r.extra,
      caseId: r.case_id,
      openedOn: r.opened_on,
      closedOn: r.closed_on,
      socialsekreterare: r.socialsekreterare,
      bidragshandlaggare: r.bidragshandlaggare,
      members: [],
      incomes: [],
      flags: {},
      ...(r.work_plan_established_on ? { workPlan: { establishedOn: r.work_plan_established_on } } : {}),
      unemployedSince: r.unemployed_since,
    };
    byCase.set(c.caseId, c);
    return c;
  });
  for (const m of members) {
    byCase.get(m.case_id)!.members.push({
      ...m.extra,
      ...(m.person_ref ? { personId: m.person_ref } : {}),
      role: m.role,
      birthDate: m.birth_date,
      ...(m.school_type ? { school: { type: m.school_type, expectedGraduation: m.expected_graduation } } : {}),
    });
  }
  for (const i of incomes) byCase.get(i.case_id)!.incomes!.push(i.income);
  for (const f of flags) (byCase.get(f.case_id)!.flags as Record<string, boolean>)[f.flag] = true;
  return { version: 1, unit, staff, cases };
}
