// Reviews of sampled cases and the corrective actions their deviations give. Each answer is ok,
// deviation (with a note) or not applicable; any deviation gives the case's socialsekreterare a
// corrective action with a due date.
import { addBusinessDays } from '../calendar/businessDays.js';
import { caseStaff } from '../store/cases.js';
import type { Db, Queryable } from '../store/db.js';
import { closeCorrectiveRow, controlCounts, findReview, insertCorrective, insertReviews, saveReviewAnswers, type ControlCounts } from '../store/internalControl.js';
import { staffOf } from '../store/staff.js';
import { TaskActionError } from '../tasks/lifecycle.js';
import type { Control } from './plan.js';

export type Answer = { verdict: 'ok' } | { verdict: 'deviation'; note: string } | { verdict: 'not-applicable' };

/** One review per sampled case, for the deputy head responsible; created once, whatever retries. */
export async function createReviews(db: Queryable, sample: { id: string; unitId: string; controlId: string; cases: string[] }, control: Control, createdOn: string): Promise<number> {
  // A unit without the responsible role (no FUT-utredare) has its fallback review.
  const [reviewer] = (await staffOf(db, sample.unitId, [control.responsibleRole])).concat(control.fallbackRole ? await staffOf(db, sample.unitId, [control.fallbackRole]) : []);
  return insertReviews(db, {
    sampleId: sample.id, unitId: sample.unitId, controlId: sample.controlId, reviewer: reviewer?.id ?? null, dueOn: addBusinessDays(createdOn, 20), cases: sample.cases,
  });
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
    const review = await findReview(tx, input.reviewId, true);
    if (!review) throw new TaskActionError('granskningen finns inte: kontrollera id:t');
    if (review.state !== 'open') throw new TaskActionError('granskningen är redan gjord');
    await saveReviewAnswers(tx, { id: review.id, answers: input.answers, by: input.by, at: input.at });
    const deviations = input.answers.flatMap((a, i) => (a.verdict === 'deviation' ? [`${input.checklist[i]} ${a.note.trim()}`] : []));
    if (deviations.length === 0) return { corrective: null };
    const owner = await caseStaff(tx, review.unit_id, review.case_id);
    const id = `${review.id}:rättelse`;
    await insertCorrective(tx, {
      id, reviewId: review.id, unitId: review.unit_id, caseId: review.case_id, assignee: owner!.socialsekreterare,
      dueOn: addBusinessDays(input.at.slice(0, 10), input.correctiveDueBusinessDays ?? 10), deviation: deviations.join('\n'),
    });
    return { corrective: id };
  });
}

export async function closeCorrective(db: Db, input: { id: string; by: string; at: string; note?: string }): Promise<void> {
  if (!(await closeCorrectiveRow(db, input))) throw new TaskActionError('rättelsen finns inte eller är redan stängd');
}

export interface ControlStatus extends ControlCounts {
  /** Reviews with a deviation, of those reviewed. */
  deviationRate: number;
}

/** Per control of a year: samples taken, cases reviewed, deviation rate, corrective actions open, overdue and closed. */
export async function controlStatus(db: Queryable, unitId: string, year: number, today: string): Promise<ControlStatus[]> {
  const rows = await controlCounts(db, unitId, year, today);
  return rows.map((r) => ({ ...r, deviationRate: r.reviewed ? r.deviations / r.reviewed : 0 }));
}
