// Reviews of sampled cases and the corrective actions their deviations give. Each answer is ok,
// deviation (with a note) or not applicable; any deviation gives the case's socialsekreterare a
// corrective action with a due date.
import { addBusinessDays } from '../calendar/businessDays.js';
import type { Db, Queryable } from '../store/db.js';
import { TaskActionError } from '../tasks/lifecycle.js';
import type { Control } from './plan.js';
import type { StoredSample } from './samples.js';

export type Answer = { verdict: 'ok' } | { verdict: 'deviation'; note: string } | { verdict: 'not-applicable' };

/** One review per sampled case, for the deputy head responsible; created once, whatever retries. */
export async function createReviews(db: Queryable, sample: StoredSample, control: Control, createdOn: string): Promise<number> {
  const [reviewer] = await db.query<{ id: string }>('SELECT id FROM staff WHERE unit_id = $1 AND role = $2 ORDER BY id LIMIT 1', [sample.unitId, control.responsibleRole]);
  const rows = await db.query(
    `INSERT INTO ik_reviews (id, sample_id, unit_id, control_id, case_id, reviewer, due_on)
     SELECT $1 || ':' || c, $1, $2, $3, c, $4, $5::date FROM unnest($6::text[]) AS t(c)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [sample.id, sample.unitId, sample.controlId, reviewer?.id ?? null, addBusinessDays(createdOn, 20), sample.cases],
  );
  return rows.length;
}

export async function answerReview(
  db: Db,
  input: { reviewId: string; answers: Answer[]; by: string; at: string; checklist: string[]; correctiveDueBusinessDays?: number },
): Promise<{ corrective: string | null }> {
  if (input.answers.length !== input.checklist.length) {
    throw new TaskActionError(`granskningen har ${input.checklist.length} frågor; ${input.answers.length} svar kom`);
  }
  const missingNote = input.answers.findIndex((a) => a.verdict === 'deviation' && !a.note.trim());
  if (missingNote >= 0) throw new TaskActionError(`en avvikelse kräver en anteckning (fråga ${missingNote + 1}: ${input.checklist[missingNote]})`);
  return db.transaction(async (tx) => {
    const [review] = await tx.query<{ id: string; unit_id: string; case_id: string; state: string }>('SELECT id, unit_id, case_id, state FROM ik_reviews WHERE id = $1 FOR UPDATE', [input.reviewId]);
    if (!review) throw new TaskActionError('granskningen finns inte: kontrollera id:t');
    if (review.state !== 'open') throw new TaskActionError('granskningen är redan gjord');
    await tx.query(`UPDATE ik_reviews SET state = 'reviewed', answers = $2::jsonb, reviewed_by = $3, reviewed_at = $4::timestamptz WHERE id = $1`, [
      review.id, JSON.stringify(input.answers), input.by, input.at,
    ]);
    const deviations = input.answers.flatMap((a, i) => (a.verdict === 'deviation' ? [`${input.checklist[i]} ${a.note.trim()}`] : []));
    if (deviations.length === 0) return { corrective: null };
    const [owner] = await tx.query<{ socialsekreterare: string }>('SELECT socialsekreterare FROM cases WHERE unit_id = $1 AND case_id = $2', [review.unit_id, review.case_id]);
    const id = `${review.id}:rättelse`;
    await tx.query(
      `INSERT INTO ik_corrective (id, review_id, unit_id, case_id, assignee, due_on, deviation) VALUES ($1, $2, $3, $4, $5, $6::date, $7)`,
      [id, review.id, review.unit_id, review.case_id, owner!.socialsekreterare, addBusinessDays(input.at.slice(0, 10), input.correctiveDueBusinessDays ?? 10), deviations.join('\n')],
    );
    return { corrective: id };
  });
}

export async function closeCorrective(db: Db, input: { id: string; by: string; at: string; note?: string }): Promise<void> {
  const rows = await db.query(
    `UPDATE ik_corrective SET state = 'closed', closed_by = $2, closed_at = $3::timestamptz, note = $4 WHERE id = $1 AND state = 'open' RETURNING id`,
    [input.id, input.by, input.at, input.note ?? null],
  );
  if (rows.length === 0) throw new TaskActionError('rättelsen finns inte eller är redan stängd');
}

export interface ControlStatus {
  controlId: string;
  samples: number;
  sampled: number;
  reviewed: number;
  deviations: number;
  /** Reviews with a deviation, of those reviewed. */
  deviationRate: number;
  correctiveOpen: number;
  correctiveOverdue: number;
  correctiveClosed: number;
}

/** Per control of a year: samples taken, cases reviewed, deviation rate, corrective actions open, overdue and closed. */
export async function controlStatus(db: Queryable, unitId: string, year: number, today: string): Promise<ControlStatus[]> {
  const rows = await db.query<ControlStatus>(
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
  return rows.map((r) => ({ ...r, deviationRate: r.reviewed ? r.deviations / r.reviewed : 0 }));
}
