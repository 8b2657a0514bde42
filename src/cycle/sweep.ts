// What one sweep does to the store, in chunks of cases: plan the month of the sweep's date, insert
// the tasks whose creation day has come (the task id makes this idempotent). Chunks are keyset
// pages by case id, so a retried chunk is the same chunk.
import type { CaseFile } from '../cases/caseFile.js';
import { monthFromIndex, monthIndex } from '../calendar/months.js';
import { plan } from '../planner/plan.js';
import type { RulePack } from '../rules/load.js';
import { readCaseFileFromStore } from '../store/cases.js';
import type { Db } from '../store/db.js';
import { cancelOpenTasksOfCases, closedCasesWithOpenTasks, insertTasks } from '../store/tasks.js';

export interface ChunkResult {
  /** The last case id of this chunk; null when there were no more cases. */
  lastCaseId: string | null;
  planned: number;
  created: number;
}

export async function sweepChunk(
  db: Db,
  input: { unitId: string; date: string; pack: RulePack; afterCaseId: string | null; limit: number; at: string },
): Promise<ChunkResult> {
  const caseFile: CaseFile = await readCaseFileFromStore(db, input.unitId, { afterCaseId: input.afterCaseId, limit: input.limit });
  const period = input.date.slice(0, 7);
  // Unit tasks belong to no case: the first chunk plans them.
  const withUnitTasks = input.afterCaseId === null;
  // Next month's too: a task counted back from its due day (a board meeting early in the month, a
  // work-plan follow-up due on the 2nd) is created in the month before its own.
  const next = monthFromIndex(monthIndex(`${period}-01`) + 1);
  const tasks = plan({ caseFile, pack: input.pack, from: period, to: next }).filter(
    (t) => t.createOn <= input.date && (withUnitTasks || t.caseId !== null),
  );
  return db.transaction(async (tx) => {
    const created = await insertTasks(tx, tasks, input.at);
    const last = caseFile.cases.at(-1)?.caseId ?? null;
    return { lastCaseId: caseFile.cases.length < input.limit ? null : last, planned: tasks.length, created: created.length };
  });
}

/** Cancels the open tasks of cases closed before the sweep's date. */
export async function cancelTasksOfClosedCases(db: Db, unitId: string, date: string, at?: string): Promise<number> {
  return db.transaction(async (tx) => {
    const closed = await closedCasesWithOpenTasks(tx, unitId, date, false);
    const ids = await cancelOpenTasksOfCases(tx, unitId, closed, `ärendet avslutades före ${date}`, 'sweep', at);
    return ids.length;
  });
}
