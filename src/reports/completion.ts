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
// A rule version's few fields, read once per version rather than once per task (the definitions are large).
const versions = `SELECT rule_version, definition->>'title' AS title, definition->>'scope' AS scope,
  coalesce((definition->'completion'->>'secondSignOff')::boolean, false) AS sign_off FROM rule_versions`;

/**
 * The tasks of the months from `from` to `to` (dates; their months count), as they stood at `asOf`
 * (a timestamp): done when the last
 * closing event was a completion (a signed-off one where the rule wants a second signature) or
 * not applicable; cancelled tasks are left out; open ones past due on `asOf`'s date are overdue.
 */
export async function completionAsOf(db: Queryable, input: { unitId: string; from: string; to: string; asOf: string; asOfDate: string }): Promise<ControlCompletion[]> {
  const rows = await db.query<Row>(
    `WITH versions AS MATERIALIZED (${versions}),
     last AS (
       -- Each task's last closing event up to asOf: one pass over the events, not one lookup per task.
       SELECT DISTINCT ON (e.task_id) e.task_id, e.kind FROM task_events e JOIN tasks t ON t.task_id = e.task_id
       WHERE t.unit_id = $1 AND t.period BETWEEN left($2, 7) AND left($3, 7) AND e.at <= $4::timestamptz AND e.kind IN (${closing})
       ORDER BY e.task_id, e.at DESC, e.id DESC)
     SELECT rule_id AS "ruleId", min(title) AS title, min(scope) AS scope, month, state, count(*)::int AS n FROM (
       SELECT t.rule_id, v.title, v.scope, t.period AS month,
              CASE WHEN last.kind = 'cancelled' THEN 'cancelled'
                   WHEN last.kind IN ('signed-off', 'not-applicable') THEN 'done'
                   WHEN last.kind = 'completed' AND NOT v.sign_off THEN 'done'
                   WHEN t.due_on < $5::date THEN 'overdue'
                   ELSE 'open' END AS state
       FROM tasks t JOIN versions v ON v.rule_version = t.rule_version LEFT JOIN last ON last.task_id = t.task_id
       WHERE t.unit_id = $1 AND t.period BETWEEN left($2, 7) AND left($3, 7) AND t.created_at <= $4::timestamptz
     ) s WHERE state <> 'cancelled' GROUP BY rule_id, month, state ORDER BY rule_id, month`,
    [input.unitId, input.from, input.to, input.asOf, input.asOfDate],
  );
  return tally(rows);
}

/**
 * The same counts from the tasks as they stand now (their state column), as `arshjul tasks list`
 * shows them: what the dashboard needs, without reading the events.
 */
export async function completionNow(db: Queryable, input: { unitId: string; from: string; to: string; today: string }): Promise<ControlCompletion[]> {
  const rows = await db.query<Row>(
    `WITH versions AS MATERIALIZED (${versions})
     SELECT t.rule_id AS "ruleId", min(v.title) AS title, min(v.scope) AS scope, t.period AS month,
            CASE WHEN t.state IN ('completed', 'not-applicable') THEN 'done' WHEN t.due_on < $4::date THEN 'overdue' ELSE 'open' END AS state,
            count(*)::int AS n
     FROM tasks t JOIN versions v ON v.rule_version = t.rule_version
     WHERE t.unit_id = $1 AND t.period BETWEEN left($2, 7) AND left($3, 7) AND t.state <> 'cancelled'
     GROUP BY 1, 4, 5 ORDER BY 1, 4`,
    [input.unitId, input.from, input.to, input.today],
  );
  return tally(rows);
}

type Row = { ruleId: string; title: string; scope: 'case' | 'unit'; month: string; state: 'done' | 'open' | 'overdue'; n: number };

function tally(rows: Row[]): ControlCompletion[] {
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
