// The internal control in the store: samples (seed, population and cases or access-log records, so
// anyone can draw them again), the reviews of sampled cases and records, the corrective actions
// their deviations give, the unit head's approval of the year's plan, and the June and October reports.
import type { Queryable } from './db.js';

export interface SampleRow<Method = string, Size = unknown, Member = unknown> {
  id: string;
  unit_id: string;
  plan_year: number;
  control_id: string;
  period: string;
  seed: string;
  algorithm: string;
  method: Method;
  size: Size | null;
  stratify: 'caseworker' | null;
  /** What was sampled: cases, or records of the access log (population and records then hold their places). */
  subject: 'cases' | 'access-records';
  population: Member[];
  excluded: string[];
  cases: string[];
  records: number[];
}

export async function findSample<Method, Size, Member>(db: Queryable, id: string): Promise<SampleRow<Method, Size, Member> | undefined> {
  const [row] = await db.query<SampleRow<Method, Size, Member>>(
    'SELECT id, unit_id, plan_year, control_id, period, seed, algorithm, method, size, stratify, subject, population, excluded, cases, records FROM ik_samples WHERE id = $1',
    [id],
  );
  return row;
}

/** Every case sampled for a control earlier in the year. */
export async function casesSampledInYear(db: Queryable, unitId: string, controlId: string, year: number): Promise<string[]> {
  const rows = await db.query<{ cases: string[] }>('SELECT cases FROM ik_samples WHERE unit_id = $1 AND control_id = $2 AND plan_year = $3', [unitId, controlId, year]);
  return [...new Set(rows.flatMap((row) => row.cases))].sort();
}

export async function insertSample(db: Queryable, sample: Omit<SampleRow, 'unit_id' | 'control_id' | 'plan_year'> & { unitId: string; controlId: string; year: number; takenAt?: string }): Promise<void> {
  await db.query(
    `INSERT INTO ik_samples (id, unit_id, plan_year, control_id, period, seed, algorithm, method, size, stratify, population, excluded, cases, taken_at, subject, records)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11::jsonb, $12::jsonb, $13::jsonb, coalesce($14::timestamptz, now()), $15, $16::jsonb)`,
    [sample.id, sample.unitId, sample.year, sample.controlId, sample.period, sample.seed, sample.algorithm, sample.method, JSON.stringify(sample.size),
      sample.stratify, JSON.stringify(sample.population), JSON.stringify(sample.excluded), JSON.stringify(sample.cases), sample.takenAt ?? null, sample.subject, JSON.stringify(sample.records)],
  );
}

/** One review per sampled case (id: the sample's and the case's); created once, whatever retries. */
export async function insertReviews(db: Queryable, input: { sampleId: string; unitId: string; controlId: string; reviewer: string | null; dueOn: string; cases: string[] }): Promise<number> {
  const rows = await db.query(
    `INSERT INTO ik_reviews (id, sample_id, unit_id, control_id, case_id, reviewer, due_on)
     SELECT $1 || ':' || c, $1, $2, $3, c, $4, $5::date FROM unnest($6::text[]) AS t(c)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [input.sampleId, input.unitId, input.controlId, input.reviewer, input.dueOn, input.cases],
  );
  return rows.length;
}

/** One review per sampled record of the access log (id: the sample's and `post-` the record's place), each for its reviewer. */
export async function insertRecordReviews(db: Queryable, input: { sampleId: string; unitId: string; controlId: string; dueOn: string; records: { seq: number; reviewer: string | null }[] }): Promise<number> {
  const rows = await db.query(
    `INSERT INTO ik_reviews (id, sample_id, unit_id, control_id, record_seq, reviewer, due_on)
     SELECT $1 || ':post-' || t.seq, $1, $2, $3, t.seq, t.reviewer, $4::date FROM unnest($5::bigint[], $6::text[]) AS t(seq, reviewer)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [input.sampleId, input.unitId, input.controlId, input.dueOn, input.records.map((r) => r.seq), input.records.map((r) => r.reviewer)],
  );
  return rows.length;
}

export interface ReviewRow {
  id: string;
  /** Opaque and random: what page addresses carry instead of the review id, which names a case. */
  ref: string;
  unit_id: string;
  control_id: string;
  /** What is reviewed: a case, or a record of the access log (its place in the unit's chain). */
  case_id: string | null;
  record_seq: number | null;
  reviewer: string | null;
  state: 'open' | 'reviewed';
  due_on: string;
  /** The plan year of its sample. */
  plan_year: number;
}

/** A review with its sample's plan year; with `lock`, locked for the rest of the transaction. */
export async function findReview(db: Queryable, id: string, lock = false): Promise<ReviewRow | undefined> {
  const [row] = await db.query<ReviewRow>(
    `SELECT r.id, r.ref, r.unit_id, r.control_id, r.case_id, r.record_seq, r.reviewer, r.state, r.due_on, s.plan_year FROM ik_reviews r JOIN ik_samples s ON s.id = r.sample_id
     WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`,
    [id],
  );
  return row;
}

/** A review by its opaque reference (a page address's); undefined for anything else. */
export async function findReviewByRef(db: Queryable, ref: string): Promise<ReviewRow | undefined> {
  // A uuid's form, or nothing is asked: a cast that fails would be a 500.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(ref)) return undefined;
  const [row] = await db.query<{ id: string }>('SELECT id FROM ik_reviews WHERE ref = $1::uuid', [ref]);
  return row && findReview(db, row.id);
}

export async function saveReviewAnswers(db: Queryable, input: { id: string; answers: unknown[]; by: string; at: string }): Promise<void> {
  await db.query(`UPDATE ik_reviews SET state = 'reviewed', answers = $2::jsonb, reviewed_by = $3, reviewed_at = $4::timestamptz WHERE id = $1`, [
    input.id, JSON.stringify(input.answers), input.by, input.at,
  ]);
}

/** A person's reviews still to do. */
export async function openReviewsOf(db: Queryable, unitId: string, reviewer: string) {
  return db.query<{ id: string; ref: string; control_id: string; record_seq: number | null; due_on: string }>(
    `SELECT id, ref, control_id, record_seq, due_on FROM ik_reviews WHERE unit_id = $1 AND reviewer = $2 AND state = 'open' ORDER BY due_on, record_seq, id`,
    [unitId, reviewer],
  );
}

/** A corrective action of a case's review, or of an access-log record's (`recordSeq`, the case null). */
export async function insertCorrective(db: Queryable, input: { id: string; reviewId: string; unitId: string; caseId: string | null; recordSeq?: number | null; assignee: string; dueOn: string; deviation: string }): Promise<void> {
  await db.query(
    `INSERT INTO ik_corrective (id, review_id, unit_id, case_id, assignee, due_on, deviation, record_seq) VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8)`,
    [input.id, input.reviewId, input.unitId, input.caseId, input.assignee, input.dueOn, input.deviation, input.recordSeq ?? null],
  );
}

/** Closes an open corrective action; false when there is none open by that id. */
export async function closeCorrectiveRow(db: Queryable, input: { id: string; by: string; at: string; note?: string }): Promise<boolean> {
  const rows = await db.query(
    `UPDATE ik_corrective SET state = 'closed', closed_by = $2, closed_at = $3::timestamptz, note = $4 WHERE id = $1 AND state = 'open' RETURNING id`,
    [input.id, input.by, input.at, input.note ?? null],
  );
  return rows.length > 0;
}

/** Whose a corrective action is (open or closed). */
export async function correctiveOwner(db: Queryable, id: string): Promise<{ unit_id: string; assignee: string } | undefined> {
  const [owner] = await db.query<{ unit_id: string; assignee: string }>('SELECT unit_id, assignee FROM ik_corrective WHERE id = $1', [id]);
  return owner;
}

/** A unit's reviews and corrective actions still to do, whose they are and by when: what the digests tell. */
export async function openInternalControlWork(db: Queryable, unitId: string) {
  return db.query<{ person: string; kind: 'review' | 'corrective'; subject: 'cases' | 'access-records'; due_on: string }>(
    `SELECT reviewer AS person, 'review' AS kind, CASE WHEN record_seq IS NULL THEN 'cases' ELSE 'access-records' END AS subject, due_on FROM ik_reviews
     WHERE unit_id = $1 AND state = 'open' AND reviewer IS NOT NULL
     UNION ALL
     SELECT assignee, 'corrective', CASE WHEN record_seq IS NULL THEN 'cases' ELSE 'access-records' END, due_on FROM ik_corrective WHERE unit_id = $1 AND state = 'open'
     ORDER BY 1, 2, 3, 4`,
    [unitId],
  );
}

/** A person's open corrective actions, in due-date order. */
export async function openCorrectiveOf(db: Queryable, unitId: string, assignee: string) {
  return db.query<{ id: string; case_id: string | null; record_seq: number | null; due_on: string; deviation: string }>(
    `SELECT id, case_id, record_seq, due_on, deviation FROM ik_corrective WHERE unit_id = $1 AND assignee = $2 AND state = 'open' ORDER BY due_on, id`,
    [unitId, assignee],
  );
}

export interface ControlCounts {
  controlId: string;
  samples: number;
  sampled: number;
  reviewed: number;
  deviations: number;
  correctiveOpen: number;
  correctiveOverdue: number;
  correctiveClosed: number;
}

/** Per control of a year: samples, cases, reviews, deviations and corrective actions (overdue on `today`). */
export async function controlCounts(db: Queryable, unitId: string, year: number, today: string): Promise<ControlCounts[]> {
  return db.query<ControlCounts>(
    `SELECT s.control_id AS "controlId",
            count(DISTINCT s.id)::int AS samples,
            count(r.id)::int AS sampled,
            count(r.id) FILTER (WHERE r.state = 'reviewed')::int AS reviewed,
            count(c.id)::int AS deviations,
            count(c.id) FILTER (WHERE c.state = 'open')::int AS "correctiveOpen",
            count(c.id) FILTER (WHERE c.state = 'open' AND c.due_on < $3::date)::int AS "correctiveOverdue",
            count(c.id) FILTER (WHERE c.state = 'closed')::int AS "correctiveClosed"
     FROM ik_samples s LEFT JOIN ik_reviews r ON r.sample_id = s.id LEFT JOIN ik_corrective c ON c.review_id = r.id
     WHERE s.unit_id = $1 AND s.plan_year = $2 GROUP BY s.control_id ORDER BY s.control_id`,
    [unitId, year, today],
  );
}

/** Samples taken in a period, their reviews and deviations as of `asOf`, corrective actions still open then. */
export async function controlCountsAsOf(db: Queryable, input: { unitId: string; year: number; from: string; to: string; asOf: string }) {
  return db.query<Pick<ControlCounts, 'controlId' | 'samples' | 'sampled' | 'reviewed' | 'deviations' | 'correctiveOpen'>>(
    `SELECT s.control_id AS "controlId", count(DISTINCT s.id)::int AS samples, count(r.id)::int AS sampled,
            count(r.id) FILTER (WHERE r.reviewed_at <= $5::timestamptz)::int AS reviewed,
            count(c.id) FILTER (WHERE r.reviewed_at <= $5::timestamptz)::int AS deviations,
            count(c.id) FILTER (WHERE r.reviewed_at <= $5::timestamptz AND (c.closed_at IS NULL OR c.closed_at > $5::timestamptz))::int AS "correctiveOpen"
     FROM ik_samples s LEFT JOIN ik_reviews r ON r.sample_id = s.id LEFT JOIN ik_corrective c ON c.review_id = r.id
     WHERE s.unit_id = $1 AND s.plan_year = $2 AND s.taken_at::date BETWEEN $3::date AND $4::date AND s.taken_at <= $5::timestamptz
     GROUP BY s.control_id ORDER BY s.control_id`,
    [input.unitId, input.year, input.from, input.to, input.asOf],
  );
}

/**
 * Reviews of sampled cases made in a period (as of `asOf`) and how many of them found a deviation:
 * the indicator of the cases' deviations, so the access log's records do not count.
 */
export async function reviewsWithDeviations(db: Queryable, input: { unitId: string; from: string; to: string; asOf: string }): Promise<{ reviewed: number; deviations: number }> {
  const [row] = await db.query<{ reviewed: number; deviations: number }>(
    `SELECT count(*)::int AS reviewed, count(c.id)::int AS deviations FROM ik_reviews r LEFT JOIN ik_corrective c ON c.review_id = r.id
     WHERE r.unit_id = $1 AND r.case_id IS NOT NULL AND r.reviewed_at::date BETWEEN $2::date AND $3::date AND r.reviewed_at <= $4::timestamptz`,
    [input.unitId, input.from, input.to, input.asOf],
  );
  return row!;
}

export async function recordApprovalRequest(db: Queryable, input: { unitId: string; year: number; at: string }): Promise<void> {
  await db.query('INSERT INTO ik_plan_approvals (unit_id, plan_year, requested_at) VALUES ($1, $2, $3::timestamptz) ON CONFLICT DO NOTHING', [input.unitId, input.year, input.at]);
}

/** Records the approval; false when the year's plan was not waiting for one. */
export async function recordApproval(db: Queryable, input: { unitId: string; year: number; by: string; at: string }): Promise<boolean> {
  const rows = await db.query('UPDATE ik_plan_approvals SET approved_by = $3, approved_at = $4::timestamptz WHERE unit_id = $1 AND plan_year = $2 AND approved_at IS NULL RETURNING 1', [
    input.unitId, input.year, input.by, input.at,
  ]);
  return rows.length > 0;
}

export async function saveIkReport(db: Queryable, input: { id: string; unitId: string; year: number; kind: 'follow-up' | 'compilation'; at: string; csv: string; html: string }): Promise<void> {
  await db.query(
    `INSERT INTO ik_reports (id, unit_id, plan_year, kind, created_at, csv, html) VALUES ($1, $2, $3, $4, $5::timestamptz, $6, $7)
     ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at, csv = excluded.csv, html = excluded.html`,
    [input.id, input.unitId, input.year, input.kind, input.at, input.csv, input.html],
  );
}

export async function findIkReport(db: Queryable, id: string): Promise<{ unit_id: string; html: string; csv: string } | undefined> {
  const [report] = await db.query<{ unit_id: string; html: string; csv: string }>('SELECT unit_id, html, csv FROM ik_reports WHERE id = $1', [id]);
  return report;
}

/** The year's samples of these controls with every review done, and the analysis of each if written. */
export async function roundsForAnalysis(db: Queryable, input: { unitId: string; year: number; controlIds: string[] }) {
  return db.query<{ sample_id: string; control_id: string; period: string; reviews: number; deviations: number; text: string | null; written_by: string | null; written_at: string | null }>(
    `SELECT s.id AS sample_id, s.control_id, s.period, count(DISTINCT r.id)::int AS reviews, count(DISTINCT c.review_id)::int AS deviations, a.text, a.written_by, a.written_at
     FROM ik_samples s JOIN ik_reviews r ON r.sample_id = s.id LEFT JOIN ik_corrective c ON c.review_id = r.id LEFT JOIN ik_analyses a ON a.sample_id = s.id
     WHERE s.unit_id = $1 AND s.plan_year = $2 AND s.control_id = ANY($3::text[])
     GROUP BY s.id, s.control_id, s.period, a.text, a.written_by, a.written_at
     HAVING bool_and(r.state = 'reviewed')
     ORDER BY s.period, s.control_id`,
    [input.unitId, input.year, input.controlIds],
  );
}

/** Writes a round's analysis once; false when one is already written. */
export async function insertAnalysis(db: Queryable, input: { sampleId: string; unitId: string; text: string; by: string; at: string }): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO ik_analyses (sample_id, unit_id, text, written_by, written_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sample_id) DO NOTHING RETURNING sample_id`,
    [input.sampleId, input.unitId, input.text, input.by, input.at],
  );
  return rows.length === 1;
}

/** Where a year's plan stands for a unit: not asked for yet, waiting for the unit head, or approved (by whom, when). */
export async function approvalOf(db: Queryable, unitId: string, year: number) {
  const [row] = await db.query<{ requested_at: string; approved_by: string | null; approved_at: string | null }>(
    'SELECT requested_at, approved_by, approved_at FROM ik_plan_approvals WHERE unit_id = $1 AND plan_year = $2',
    [unitId, year],
  );
  return row;
}
