// Tasks as rows; every change to one is an appended event, in the same transaction as the change.
import type { PlannedTask } from '../planner/plan.js';
import type { Queryable } from './db.js';

/** Inserts planned tasks that do not exist yet (the task id is the key); returns the ids it created. */
export async function insertTasks(tx: Queryable, tasks: PlannedTask[], at?: string): Promise<string[]> {
  if (tasks.length === 0) return [];
  const column = <K extends keyof PlannedTask>(key: K) => tasks.map((t) => t[key]);
  const created = await tx.query<{ task_id: string }>(
    `INSERT INTO tasks (task_id, unit_id, rule_id, rule_version, case_id, period, create_on, due_on, assignee_role, assignee, because)
     SELECT t.id, t.unit, t.rule, t.version, t.case_id, t.period, t.create_on::date, t.due_on::date, t.role, t.assignee, t.because::jsonb
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
       AS t(id, unit, rule, version, case_id, period, create_on, due_on, role, assignee, because)
     ON CONFLICT (task_id) DO NOTHING
     RETURNING task_id`,
    [
      column('taskId'), column('unitId'), column('ruleId'), column('ruleVersion'), column('caseId'), column('period'),
      column('createOn'), column('dueOn'), column('assigneeRole'), column('assignee'), tasks.map((t) => JSON.stringify(t.because)),
    ],
  );
  const ids = created.map((row) => row.task_id);
  await appendEvents(tx, ids, 'created', { actor: 'system', at });
  return ids;
}

export async function appendEvents(
  tx: Queryable,
  taskIds: string[],
  kind: string,
  details: { actor?: string; outcome?: string; note?: string; reason?: string; at?: string },
): Promise<void> {
  if (taskIds.length === 0) return;
  // `at` is the workflow's time where a workflow acts, so history reads as it happened; else now.
  await tx.query(
    `INSERT INTO task_events (task_id, kind, actor, outcome, note, reason, at)
     SELECT id, $2, $3, $4, $5, $6, coalesce($7::timestamptz, now()) FROM unnest($1::text[]) AS t(id)`,
    [taskIds, kind, details.actor ?? null, details.outcome ?? null, details.note ?? null, details.reason ?? null, details.at ?? null],
  );
}

/** Cancels the open tasks of closed cases, each with an event that says why. */
export async function cancelOpenTasksOfCases(tx: Queryable, unitId: string, caseIds: string[], reason: string, actor: string): Promise<string[]> {
  if (caseIds.length === 0) return [];
  const cancelled = await tx.query<{ task_id: string }>(
    `UPDATE tasks SET state = 'cancelled' WHERE unit_id = $1 AND case_id = ANY($2::text[]) AND state = 'open' RETURNING task_id`,
    [unitId, caseIds],
  );
  const ids = cancelled.map((row) => row.task_id).sort();
  await appendEvents(tx, ids, 'cancelled', { actor, reason });
  return ids;
}
