// Reviews of sampled cases and access-log records, and the corrective actions their deviations
// give. Each answer is ok (for a record: justified), deviation (with a note) or not applicable; any
// deviation gives a corrective action with a due date: a case's to its socialsekreterare, a
// record's to the unit head, who follows up the access with the person who made it.
import { addBusinessDays } from '../calendar/businessDays.js';
import { logReviewersOf } from '../store/accounts.js';
import { recordsAt } from '../store/accessLog.js';
import { caseStaff } from '../store/cases.js';
import type { Db, Queryable } from '../store/db.js';
import { closeCorrectiveRow, controlCounts, findReview, insertCorrective, insertRecordReviews, insertReviews, saveReviewAnswers, type ControlCounts } from '../store/internalControl.js';
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

/**
 * One review per sampled record. Nobody reviews their own access: each record goes to the unit's log
 * reviewers if it has any, else to the control's responsible role, its fallback, or the unit head,
 * the first of these with someone other than the record's person; within them, in turn.
 */
export async function createRecordReviews(db: Queryable, sample: { id: string; unitId: string; controlId: string; records: number[] }, control: Control, createdOn: string): Promise<number> {
  const people = (roles: string[]) => staffOf(db, sample.unitId, roles).then((staff) => staff.map((s) => s.id));
  const groups = [
    await logReviewersOf(db, sample.unitId),
    await people([control.responsibleRole]),
    control.fallbackRole ? await people([control.fallbackRole]) : [],
    await people(['enhetschef']),
  ];
  const personOf = new Map((await recordsAt(db, sample.unitId, sample.records)).map((r) => [r.seq, r.staffId]));
  const records = sample.records.map((seq, i) => {
    const others = groups.map((group) => group.filter((id) => id !== personOf.get(seq))).find((group) => group.length > 0) ?? [];
    return { seq, reviewer: others.length ? others[i % others.length]! : null };
  });
  return insertRecordReviews(db, { sampleId: sample.id, unitId: sample.unitId, controlId: sample.controlId, dueOn: addBusinessDays(createdOn, 20), records });
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
    const id = `${review.id}:rättelse`;
    const dueOn = addBusinessDays(input.at.slice(0, 10), input.correctiveDueBusinessDays ?? 10);
    if (review.case_id === null) {
      // An access that was not justified: the unit head follows it up (with the person, and as a personal-data incident where it is one).
      const [head] = await staffOf(tx, review.unit_id, ['enhetschef']);
      if (!head) throw new TaskActionError('enheten har ingen enhetschef som kan ta emot rättelsen');
      await insertCorrective(tx, { id, reviewId: review.id, unitId: review.unit_id, caseId: null, recordSeq: review.record_seq, assignee: head.id, dueOn, deviation: deviations.join('\n') });
      return { corrective: id };
    }
    const owner = await caseStaff(tx, review.unit_id, review.case_id);
    await insertCorrective(tx, { id, reviewId: review.id, unitId: review.unit_id, caseId: review.case_id, assignee: owner!.socialsekreterare, dueOn, deviation: deviations.join('\n') });
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
