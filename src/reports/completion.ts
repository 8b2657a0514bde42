// The årshjul's completion per control and month of the årshjul: as the store was at a moment
// (each task's state read from its events up to then), or as the tasks stand now. The tertial
// report, the completion indicator and the dashboard all count this way.
import type { Rule } from '../rules/rule.js';
import { swedishOrder } from './format.js';
import type { Queryable } from '../store/db.js';
import { completionCountsAsOf, completionCountsNow, type CompletionCount } from '../store/tasks.js';

export interface MonthCompletion {
  /** The task's month in the årshjul ('YYYY-MM'), as `arshjul tasks list --period` has it. */
  month: string;
  total: number;
  done: number;
  open: number;
  overdue: number;
}

export interface ControlCompletion {
  ruleId: string;
  title: string;
  scope: Rule['scope'];
  months: MonthCompletion[];
  total: number;
  done: number;
  overdue: number;
}

/**
 * The tasks of the months from `from` to `to` (dates; their months count), as they stood at `asOf`
 * (a timestamp): done when the last
 * closing event was a completion (a signed-off one where the rule wants a second signature) or
 * not applicable; cancelled tasks are left out; open ones past due on `asOf`'s date are overdue.
 */
export async function completionAsOf(db: Queryable, input: { unitId: string; from: string; to: string; asOf: string; asOfDate: string }): Promise<ControlCompletion[]> {
  const rows = await completionCountsAsOf(db, input);
  return tally(rows);
}

/**
 * The same counts from the tasks as they stand now (their state column), as `arshjul tasks list`
 * shows them: what the dashboard needs, without reading the events.
 */
export async function completionNow(db: Queryable, input: { unitId: string; from: string; to: string; today: string }): Promise<ControlCompletion[]> {
  const rows = await completionCountsNow(db, input);
  return tally(rows);
}

function tally(rows: CompletionCount[]): ControlCompletion[] {
  const controls = new Map<string, ControlCompletion>();
  for (const row of rows) {
    let control = controls.get(row.ruleId);
    if (!control) controls.set(row.ruleId, (control = { ruleId: row.ruleId, title: row.title, scope: row.scope, months: [], total: 0, done: 0, overdue: 0 }));
    let month = control.months.find((m) => m.month === row.month);
    if (!month) control.months.push((month = { month: row.month, total: 0, done: 0, open: 0, overdue: 0 }));
    month[row.state] += row.n;
    month.total += row.n;
    control.total += row.n;
    if (row.state === 'done') control.done += row.n;
    if (row.state === 'overdue') control.overdue += row.n;
  }
  // By the control's name in Swedish order, as people look for it; the id only breaks a tie.
  return [...controls.values()].sort((a, b) => swedishOrder(a.title, b.title) || a.ruleId.localeCompare(b.ruleId));
}

/** Done of all, 0 when there is nothing to do. */
export function completionRate(controls: Pick<ControlCompletion, 'total' | 'done'>[]): number {
  const total = controls.reduce((sum, c) => sum + c.total, 0);
  return total ? controls.reduce((sum, c) => sum + c.done, 0) / total : 0;
}
