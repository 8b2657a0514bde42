// The årshjul's completion as the store was at a moment: each task's state is read from its events
// up to then (events carry their times), counted per control and month of the årshjul. The tertial report,
// the completion indicator and the dashboard all count with this one query.
import type { Queryable } from '../store/db.js';

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
  scope: 'case' | 'unit';
  months: MonthCompletion[];
  total: number;
  done: number;
  overdue: number;
}

const closing = `'completed', 'signed-off', 'not-applicable', 'reopened', 'cancelled'`;

/**
 * The tasks of the months from `from` to `to` (dates; their months count), as they stood at `asOf`
 * (a timestamp): done when the last
 * closing event was a completion (a signed-off one where the rule wants a second signature) or
 * not applicable; cancelled tasks are left out; open ones past due on `asOf`'s date are overdue.
 */
export async function completionAsOf(db: Queryable, input: { unitId: string; from: string; to: string; asOf: string; asOfDate: string }): Promise<ControlCompletion[]> {
  const rows = await db.query<{ ruleId: string; title: string; scope: 'case' | 'unit'; month: string; state: 'done' | 'open' | 'overdue'; n: number }>(
    `SELECT rule_id AS "ruleId", min(title) AS title, min(scope) AS scope, month, state, count(*)::int AS n FROM (
       SELECT t.rule_id, v.definition->>'title' AS title, v.definition->>'scope' AS scope, t.period AS month,
              CASE WHEN last.kind = 'cancelled' THEN 'cancelled'
                   WHEN last.kind IN ('signed-off', 'not-applicable') THEN 'done'
                   WHEN last.kind = 'completed' AND NOT coalesce((v.definition->'completion'->>'secondSignOff')::boolean, false) THEN 'done'
                   WHEN t.due_on < $5::date THEN 'overdue'
                   ELSE 'open' END AS state
       FROM tasks t JOIN rule_versions v ON v.rule_version = t.rule_version
       LEFT JOIN LATERAL (SELECT e.kind FROM task_events e WHERE e.task_id = t.task_id AND e.at <= $4::timestamptz AND e.kind IN (${closing})
                          ORDER BY e.at DESC, e.id DESC LIMIT 1) last ON true
       WHERE t.unit_id = $1 AND t.period BETWEEN left($2, 7) AND left($3, 7) AND t.created_at <= $4::timestamptz
     ) s WHERE state <> 'cancelled' GROUP BY rule_id, month, state ORDER BY rule_id, month`,
    [input.unitId, input.from, input.to, input.asOf, input.asOfDate],
  );
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
  return [...controls.values()];
}

/** Done of all, 0 when there is nothing to do. */
export function completionRate(controls: Pick<ControlCompletion, 'total' | 'done'>[]): number {
  const total = controls.reduce((sum, c) => sum + c.total, 0);
  return total ? controls.reduce((sum, c) => sum + c.done, 0) / total : 0;
}
