// The plain history of a unit's tasks: the tasks of a range of months and their events in the order
// they happened, for a recount that replays them (src/reports/recount.ts). Deliberately nothing but
// reads of the two tables: no state column, no tally, no created_at, so the recount does not share
// a path with the reports' as-of query.
import type { Queryable } from './db.js';
import type { EventKind } from './tasks.js';

export interface HistoryTask {
  taskId: string;
  ruleId: string;
  ruleVersion: string;
  /** The task's month in the årshjul ('YYYY-MM'). */
  period: string;
  dueOn: string;
}

export interface HistoryEvent {
  taskId: string;
  kind: EventKind;
  /** When it happened, in microseconds since the epoch (the store's own precision). */
  atMicros: number;
}

/**
 * A unit's tasks of the months `fromMonth`..`toMonth` ('YYYY-MM') and every event of theirs up to
 * `until` (a timestamp), in time order (ties in the order they were appended).
 */
export async function taskHistories(db: Queryable, input: { unitId: string; fromMonth: string; toMonth: string; until: string }): Promise<{ tasks: HistoryTask[]; events: HistoryEvent[] }> {
  const tasks = await db.query<HistoryTask>(
    `SELECT task_id AS "taskId", rule_id AS "ruleId", rule_version AS "ruleVersion", period, due_on::text AS "dueOn"
     FROM tasks WHERE unit_id = $1 AND period BETWEEN $2 AND $3 ORDER BY task_id`,
    [input.unitId, input.fromMonth, input.toMonth],
  );
  const events = await db.query<{ taskId: string; kind: EventKind; atMicros: string }>(
    `SELECT e.task_id AS "taskId", e.kind, (floor(extract(epoch FROM e.at) * 1000000))::bigint::text AS "atMicros"
     FROM task_events e JOIN tasks t ON t.task_id = e.task_id
     WHERE t.unit_id = $1 AND t.period BETWEEN $2 AND $3 AND e.at <= $4::timestamptz
     ORDER BY e.at, e.id`,
    [input.unitId, input.fromMonth, input.toMonth, input.until],
  );
  return { tasks, events: events.map((e) => ({ taskId: e.taskId, kind: e.kind, atMicros: Number(e.atMicros) })) };
}
