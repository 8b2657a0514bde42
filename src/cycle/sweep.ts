// What one sweep does to the store, in chunks of cases: plan the month of the sweep's date, insert
// the tasks whose creation day has come (the task id makes this idempotent), and name the rounds
// that have open tasks. Chunks are keyset pages by case id, so a retried chunk is the same chunk.
import type { CaseFile } from '../cases/caseFile.js';
import { plan } from '../planner/plan.js';
import type { RulePack } from '../rules/load.js';
import { readCaseFileFromStore } from '../store/cases.js';
import type { Db, Queryable } from '../store/db.js';
import { cancelOpenTasksOfCases, insertTasks } from '../store/tasks.js';
import type { RoundKey } from '../tasks/lifecycle.js';

export interface ChunkResult {
  /** The last case id of this chunk; null when there were no more cases. */
  lastCaseId: string | null;
  planned: number;
  created: number;
  /** The rounds with open tasks among this chunk's, each with how many of its tasks this chunk created. */
  rounds: (RoundKey & { created: number })[];
}

export async function sweepChunk(
  db: Db,
  input: { unitId: string; date: string; pack: RulePack; afterCaseId: string | null; limit: number; at: string },
): Promise<ChunkResult> {
  const caseFile: CaseFile = await readCaseFileFromStore(db, input.unitId, { afterCaseId: input.afterCaseId, limit: input.limit });
  const period = input.date.slice(0, 7);
  // Unit tasks belong to no case: the first chunk plans them.
  const withUnitTasks = input.afterCaseId === null;
  const tasks = plan({ caseFile, pack: input.pack, from: period, to: period }).filter(
    (t) => t.createOn <= input.date && (withUnitTasks || t.caseId !== null),
  );
  return db.transaction(async (tx) => {
    const created = new Set(await insertTasks(tx, tasks, input.at));
    const rounds = (await openRounds(tx, tasks.map((t) => t.taskId))).map((round) => ({
      ...round,
      created: tasks.filter((t) => created.has(t.taskId) && t.ruleId === round.ruleId && t.period === round.period).length,
    }));
    const last = caseFile.cases.at(-1)?.caseId ?? null;
    return { lastCaseId: caseFile.cases.length < input.limit ? null : last, planned: tasks.length, created: created.size, rounds };
  });
}

/** The rounds of these tasks that still have open tasks and that no deputy head has closed. */
async function openRounds(tx: Queryable, taskIds: string[]): Promise<RoundKey[]> {
  const rows = await tx.query<{ unit_id: string; rule_id: string; period: string }>(
    `SELECT DISTINCT t.unit_id, t.rule_id, t.period FROM tasks t
     WHERE t.task_id = ANY($1::text[]) AND t.state IN ('open', 'awaiting-sign-off')
       AND NOT EXISTS (SELECT 1 FROM closed_rounds c WHERE c.unit_id = t.unit_id AND c.rule_id = t.rule_id AND c.period = t.period)
     ORDER BY t.rule_id, t.period`,
    [taskIds],
  );
  return rows.map((r) => ({ unitId: r.unit_id, ruleId: r.rule_id, period: r.period }));
}

/** Cancels the open tasks of cases closed before the sweep's date. */
export async function cancelTasksOfClosedCases(db: Db, unitId: string, date: string): Promise<number> {
  return db.transaction(async (tx) => {
    const closed = await tx.query<{ case_id: string }>(
      `SELECT DISTINCT c.case_id FROM cases c JOIN tasks t ON t.unit_id = c.unit_id AND t.case_id = c.case_id
       WHERE c.unit_id = $1 AND c.closed_on < $2::date AND t.state = 'open'`,
      [unitId, date],
    );
    const ids = await cancelOpenTasksOfCases(tx, unitId, closed.map((r) => r.case_id), `ärendet avslutades före ${date}`, 'sweep');
    return ids.length;
  });
}
