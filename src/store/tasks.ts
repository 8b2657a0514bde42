// Tasks as rows; every change to one is an appended event, in the same transaction as the change.
// This module owns the tasks and task_events tables: their row types, the state vocabulary and the
// one way an event is appended.
import type { PlannedTask } from '../planner/plan.js';
import type { Rule } from '../rules/rule.js';
import type { Queryable } from './db.js';

export const TASK_STATES = ['open', 'awaiting-sign-off', 'completed', 'not-applicable', 'cancelled'] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** Still to do: open, or done by one person and waiting for a second one's sign-off. */
export const OPEN_STATES = ['open', 'awaiting-sign-off'] as const satisfies readonly TaskState[];
/** Closed and counted as done. */
export const DONE_STATES = ['completed', 'not-applicable'] as const satisfies readonly TaskState[];
const inSql = (states: readonly string[]) => states.map((s) => `'${s}'`).join(', ');
/** For SQL text: `state IN (${OPEN})`. */
export const OPEN = inSql(OPEN_STATES);
const DONE = inSql(DONE_STATES);

export const isOpen = (state: TaskState) => (OPEN_STATES as readonly TaskState[]).includes(state);

export type EventKind =
  | 'created' | 'reminder-due' | 'due' | 'escalation-due' | 'reassigned' | 'completed' | 'signed-off' | 'not-applicable' | 'cancelled' | 'reopened';

export interface TaskRow {
  task_id: string;
  unit_id: string;
  rule_id: string;
  rule_version: string;
  case_id: string | null;
  period: string;
  create_on: string;
  due_on: string;
  assignee_role: string;
  assignee: string | null;
  state: TaskState;
  outcome: string | null;
  /** Opaque and random: what page addresses carry instead of the task id, which names a case. */
  ref: string;
}

const taskColumns = 'task_id, unit_id, rule_id, rule_version, case_id, period, create_on, due_on, assignee_role, assignee, state, outcome, ref';

export interface TaskFilter {
  unitId?: string;
  assignee?: string;
  ruleId?: string;
  period?: string;
  state?: TaskState;
  /** Only what is overdue on this day: open, due before it. */
  overdueOn?: string;
}

export interface EventDetails {
  actor?: string;
  outcome?: string;
  note?: string;
  reason?: string;
  data?: object;
  /** When it happened: the workflow's time where a workflow acts, so history reads as it happened; else now. */
  at?: string;
}

/**
 * The one way a person's or the sweep's event is appended: one event of a kind per task (the
 * rounds' steps, once per task and kind, are `recordSteps` in controlRounds.ts). Returns the tasks
 * it was appended to.
 */
export async function appendEvents(tx: Queryable, taskIds: string[], kind: EventKind, details: EventDetails = {}): Promise<string[]> {
  if (taskIds.length === 0) return [];
  const rows = await tx.query<{ task_id: string }>(
    `INSERT INTO task_events (task_id, kind, actor, outcome, note, reason, data, at)
     SELECT id, $2, $3, $4, $5, $6, $7::jsonb, coalesce($8::timestamptz, now()) FROM unnest($1::text[]) AS t(id)
     RETURNING task_id`,
    [taskIds, kind, details.actor ?? null, details.outcome ?? null, details.note ?? null, details.reason ?? null, JSON.stringify(details.data ?? {}), details.at ?? null],
  );
  return rows.map((r) => r.task_id);
}

/** Inserts planned tasks that do not exist yet (the task id is the key); returns the ids it created. */
export async function insertTasks(tx: Queryable, tasks: PlannedTask[], at?: string, created: Omit<EventDetails, 'at'> = { actor: 'system' }): Promise<string[]> {
  if (tasks.length === 0) return [];
  const column = <K extends keyof PlannedTask>(key: K) => tasks.map((t) => t[key]);
  const inserted = await tx.query<{ task_id: string }>(
    // created_at is the creation's time in the history (a backfilled or demo sweep's day), as its event's:
    // a report as of a moment counts the tasks created by then.
    `INSERT INTO tasks (task_id, unit_id, rule_id, rule_version, case_id, period, create_on, due_on, assignee_role, assignee, because, created_at)
     SELECT t.id, t.unit, t.rule, t.version, t.case_id, t.period, t.create_on::date, t.due_on::date, t.role, t.assignee, t.because::jsonb, COALESCE($12::timestamptz, now())
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
       AS t(id, unit, rule, version, case_id, period, create_on, due_on, role, assignee, because)
     ON CONFLICT (task_id) DO NOTHING
     RETURNING task_id`,
    [
      column('taskId'), column('unitId'), column('ruleId'), column('ruleVersion'), column('caseId'), column('period'),
      column('createOn'), column('dueOn'), column('assigneeRole'), column('assignee'), tasks.map((t) => JSON.stringify(t.because)), at ?? null,
    ],
  );
  const ids = inserted.map((row) => row.task_id);
  await appendEvents(tx, ids, 'created', { ...created, at });
  return ids;
}

export async function listTasks(db: Queryable, filter: TaskFilter): Promise<TaskRow[]> {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of [['unit_id', filter.unitId], ['assignee', filter.assignee], ['rule_id', filter.ruleId], ['period', filter.period], ['state', filter.state]] as const) {
    if (value === undefined) continue;
    params.push(value);
    clauses.push(`${column} = $${params.length}`);
  }
  if (filter.overdueOn !== undefined) {
    params.push(filter.overdueOn);
    clauses.push(`state IN (${OPEN}) AND due_on < $${params.length}::date`);
  }
  return db.query<TaskRow>(
    `SELECT ${taskColumns} FROM tasks ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY due_on, rule_id, case_id`,
    params,
  );
}

/** A person's tasks still to do, in due-date order. */
export async function openTasksOf(db: Queryable, unitId: string, assignee: string): Promise<TaskRow[]> {
  return db.query<TaskRow>(
    `SELECT ${taskColumns} FROM tasks WHERE unit_id = $1 AND assignee = $2 AND state IN (${OPEN}) ORDER BY due_on, rule_id, case_id`,
    [unitId, assignee],
  );
}

/** A unit's tasks still to do that were created by a day, in id order. */
export async function openTasksCreatedBy(db: Queryable, unitId: string, date: string): Promise<TaskRow[]> {
  return db.query<TaskRow>(`SELECT ${taskColumns} FROM tasks WHERE unit_id = $1 AND state IN (${OPEN}) AND create_on <= $2::date ORDER BY task_id`, [unitId, date]);
}

/** A role's tasks in a unit that wait for a second person's sign-off. */
export async function awaitingSignOff(db: Queryable, unitId: string, role: string): Promise<TaskRow[]> {
  return db.query<TaskRow>(
    `SELECT ${taskColumns} FROM tasks WHERE unit_id = $1 AND assignee_role = $2 AND state = 'awaiting-sign-off' ORDER BY due_on, rule_id, case_id`,
    [unitId, role],
  );
}

/** A task by its opaque reference (a page address's); undefined for anything else. */
/** A task reference's form (a uuid, as the store writes it): anything else names no task, and is never cast. */
const refForm = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function findTaskByRef(db: Queryable, ref: string): Promise<TaskRow | undefined> {
  if (!refForm.test(ref)) return undefined;
  const [task] = await db.query<TaskRow>(`SELECT ${taskColumns} FROM tasks WHERE ref = $1::uuid`, [ref]);
  return task;
}

/** Many tasks by their references, in one query (a batch of the inbox); references that name none are left out. */
export async function findTasksByRefs(db: Queryable, refs: string[]): Promise<TaskRow[]> {
  const valid = refs.filter((ref) => refForm.test(ref));
  if (valid.length === 0) return [];
  return db.query<TaskRow>(`SELECT ${taskColumns} FROM tasks WHERE ref = ANY($1::uuid[])`, [valid]);
}

/** One task; with `lock`, locked for the rest of the transaction. */
export async function findTask(db: Queryable, taskId: string, lock = false): Promise<TaskRow | undefined> {
  const [task] = await db.query<TaskRow>(`SELECT ${taskColumns} FROM tasks WHERE task_id = $1${lock ? ' FOR UPDATE' : ''}`, [taskId]);
  return task;
}

export async function taskBecause(db: Queryable, taskId: string): Promise<string[]> {
  const [row] = await db.query<{ because: string[] }>('SELECT because FROM tasks WHERE task_id = $1', [taskId]);
  return row?.because ?? [];
}

/** Changes a task's state, outcome or assignee (the caller appends the event in the same transaction). */
export async function updateTask(tx: Queryable, taskId: string, change: { state?: TaskState; outcome?: string | null; assignee?: string }): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [taskId];
  for (const [column, value] of [['state', change.state], ['outcome', change.outcome], ['assignee', change.assignee]] as const) {
    if (value === undefined) continue;
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  }
  if (sets.length > 0) await tx.query(`UPDATE tasks SET ${sets.join(', ')} WHERE task_id = $1`, params);
}

export interface TaskEvent {
  kind: EventKind;
  at: string;
  actor: string | null;
  outcome: string | null;
  note: string | null;
  reason: string | null;
  data: Record<string, unknown>;
}

export async function taskHistory(db: Queryable, taskId: string): Promise<TaskEvent[]> {
  return db.query<TaskEvent>('SELECT kind, at, actor, outcome, note, reason, data FROM task_events WHERE task_id = $1 ORDER BY id', [taskId]);
}

/** The first step of a two-person change (completed or not applicable) and who took it: the second step must be someone else's. */
export async function firstStep(db: Queryable, taskId: string): Promise<{ kind: 'completed' | 'not-applicable'; actor: string } | undefined> {
  const [row] = await db.query<{ kind: 'completed' | 'not-applicable'; actor: string }>(
    `SELECT kind, actor FROM task_events WHERE task_id = $1 AND kind IN ('completed', 'not-applicable') ORDER BY id DESC LIMIT 1`,
    [taskId],
  );
  return row;
}

const closingKinds = `'completed', 'signed-off', 'not-applicable', 'reopened', 'cancelled'`;

/** The task's last closing event (completed, signed off, not applicable, reopened, cancelled) up to a moment. */
export async function lastClosingEvent(db: Queryable, taskId: string, asOf: string): Promise<TaskEvent | undefined> {
  const [row] = await db.query<TaskEvent>(
    `SELECT kind, at, actor, outcome, note, reason, data FROM task_events WHERE task_id = $1 AND at <= $2::timestamptz AND kind IN (${closingKinds})
     ORDER BY at DESC, id DESC LIMIT 1`,
    [taskId, asOf],
  );
  return row;
}

/** Cancels the open tasks of closed cases, each with an event that says why. */
export async function cancelOpenTasksOfCases(tx: Queryable, unitId: string, caseIds: string[], reason: string, actor: string, at?: string): Promise<string[]> {
  if (caseIds.length === 0) return [];
  const cancelled = await tx.query<{ task_id: string }>(
    `UPDATE tasks SET state = 'cancelled' WHERE unit_id = $1 AND case_id = ANY($2::text[]) AND state = 'open' RETURNING task_id`,
    [unitId, caseIds],
  );
  const ids = cancelled.map((row) => row.task_id).sort();
  await appendEvents(tx, ids, 'cancelled', { actor, reason, at });
  return ids;
}

/** Cases closed before `date` (or on it, with `inclusive`) that still have open tasks. */
export async function closedCasesWithOpenTasks(tx: Queryable, unitId: string, date: string, inclusive: boolean): Promise<string[]> {
  const rows = await tx.query<{ case_id: string }>(
    `SELECT DISTINCT c.case_id FROM cases c JOIN tasks t ON t.unit_id = c.unit_id AND t.case_id = c.case_id
     WHERE c.unit_id = $1 AND c.closed_on ${inclusive ? '<=' : '<'} $2::date AND t.state = 'open'`,
    [unitId, date],
  );
  return rows.map((r) => r.case_id);
}

/** Per control of the year so far: done, all (not cancelled) and overdue, for the unit head's summary. */
export async function yearToDateByControl(db: Queryable, unitId: string, date: string) {
  return db.query<{ title: string; done: number; total: number; overdue: number }>(
    `SELECT min(v.definition->>'title') AS title,
            coalesce(sum(t.n) FILTER (WHERE t.state IN (${DONE})), 0)::int AS done,
            coalesce(sum(t.n) FILTER (WHERE t.state <> 'cancelled'), 0)::int AS total,
            coalesce(sum(t.n) FILTER (WHERE t.state IN (${OPEN}) AND t.due_on < $2::date), 0)::int AS overdue
     FROM task_tally t JOIN rule_versions v ON v.rule_version = t.rule_version
     WHERE t.unit_id = $1 AND t.period LIKE $3 AND t.create_on <= $2::date AND t.n > 0
     GROUP BY t.rule_id ORDER BY t.rule_id`,
    [unitId, date, `${date.slice(0, 4)}-%`],
  );
}

/** Everyone on the unit's staff with their open, overdue, done and not applicable tasks of a year (none is a row of zeros). */
export async function loadPerAssignee(db: Queryable, unitId: string, year: number, today: string) {
  return db.query<{ assignee: string; name: string; role: string; open: number; overdue: number; done: number; notApplicable: number }>(
    `SELECT s.id AS assignee, s.name, s.role, coalesce(sum(t.n) FILTER (WHERE t.state IN (${OPEN})), 0)::int AS open,
            coalesce(sum(t.n) FILTER (WHERE t.state IN (${OPEN}) AND t.due_on < $3::date), 0)::int AS overdue,
            coalesce(sum(t.n) FILTER (WHERE t.state = 'completed'), 0)::int AS done,
            coalesce(sum(t.n) FILTER (WHERE t.state = 'not-applicable'), 0)::int AS "notApplicable"
     FROM staff s LEFT JOIN task_tally t ON t.unit_id = s.unit_id AND t.assignee = s.id AND t.period LIKE $2 || '-%' AND t.state <> 'cancelled'
     WHERE s.unit_id = $1 GROUP BY s.id, s.name, s.role ORDER BY s.id`,
    [unitId, String(year), today],
  );
}

/** What is late now: a unit's open tasks past due, of every year, counted per control and assignee (from the tally). */
export async function overdueNow(db: Queryable, unitId: string, today: string) {
  return db.query<{ ruleId: string; title: string; scope: string; assignee: string | null; n: number }>(
    `WITH versions AS MATERIALIZED (${versionFields})
     SELECT t.rule_id AS "ruleId", min(v.title) AS title, min(v.scope) AS scope, nullif(t.assignee, '') AS assignee, sum(t.n)::int AS n
     FROM task_tally t JOIN versions v USING (rule_version)
     WHERE t.unit_id = $1 AND t.state IN (${OPEN}) AND t.due_on < $2::date
     GROUP BY t.rule_id, t.assignee HAVING sum(t.n) > 0`,
    [unitId, today],
  );
}

/** The reports' analysis tasks of a unit (their rule names a report), newest period first. */
export async function analysisTasks(db: Queryable, unitId: string) {
  return db.query<{ task_id: string; ref: string; rule_id: string; title: string; period: string; state: TaskState; due_on: string }>(
    `SELECT t.task_id, t.ref, t.rule_id, v.definition->>'title' AS title, t.period, t.state, t.due_on FROM tasks t JOIN rule_versions v ON v.rule_version = t.rule_version
     WHERE t.unit_id = $1 AND v.definition ? 'report' ORDER BY t.period DESC`,
    [unitId],
  );
}

/** Cases that had a rule's task in a range of months (not cancelled), with their socialsekreterare. */
export async function casesWithTasksOf(db: Queryable, unitId: string, ruleId: string, fromMonth: string, toMonth: string) {
  return db.query<{ caseId: string; caseworker: string }>(
    `SELECT DISTINCT t.case_id AS "caseId", c.socialsekreterare AS caseworker FROM tasks t
     JOIN cases c ON c.unit_id = t.unit_id AND c.case_id = t.case_id
     WHERE t.unit_id = $1 AND t.rule_id = $2 AND t.period BETWEEN $3 AND $4 AND t.state <> 'cancelled'
     ORDER BY 1`,
    [unitId, ruleId, fromMonth, toMonth],
  );
}

/** Tasks of a unit and months counted by control, month and state ('done', 'open', 'overdue'); cancelled ones left out. */
export interface CompletionCount {
  ruleId: string;
  title: string;
  scope: Rule['scope'];
  month: string;
  state: 'done' | 'open' | 'overdue';
  n: number;
}

// A rule version's few fields, read once per version rather than once per task (the definitions are large).
const versionFields = `SELECT rule_version, definition->>'title' AS title, definition->>'scope' AS scope,
  coalesce((definition->'completion'->>'secondSignOff')::boolean, false) AS sign_off FROM rule_versions`;

// How a task counts: from its state column as it stands now, or from its last closing event up to a
// moment (done when that was a completion, a signed-off one where the rule wants a second signature,
// or not applicable). Both leave cancelled tasks out and call open ones past due overdue. A task
// untouched since the moment counts the same either way: the lifecycle writes state and event together.
const stateNow = (date: string, t = 't') =>
  `CASE WHEN ${t}.state = 'cancelled' THEN 'cancelled' WHEN ${t}.state IN (${DONE}) THEN 'done' WHEN ${t}.due_on < ${date}::date THEN 'overdue' ELSE 'open' END`;
const stateThen = (date: string) => `CASE WHEN last.kind = 'cancelled' THEN 'cancelled'
  WHEN last.kind = 'signed-off' THEN 'done'
  -- On a two-person rule the first step awaits the second: not done yet.
  WHEN last.kind IN ('completed', 'not-applicable') AND NOT v.sign_off THEN 'done'
  WHEN c.due_on < ${date}::date THEN 'overdue' ELSE 'open' END`;

// Counts per control version, month and state (none zero), then per control with its title.
const perControl = (counts: string) => `WITH versions AS MATERIALIZED (${versionFields}), counts AS (${counts})
  SELECT rule_id AS "ruleId", min(v.title) AS title, min(v.scope) AS scope, period AS month, state, sum(n)::int AS n
  FROM counts JOIN versions v USING (rule_version) GROUP BY rule_id, period, state ORDER BY rule_id, period`;

/**
 * As the tasks stood at `asOf` (a timestamp): the tally as it stands now, with the tasks created or
 * closed after `asOf` taken out as they are now and put back as they were then (created by then,
 * and read from their events). A report made just after its period reads only the tally and a few
 * tasks; one made long after reads more, and counts the same.
 */
export async function completionCountsAsOf(db: Queryable, input: { unitId: string; from: string; to: string; asOf: string; asOfDate: string }): Promise<CompletionCount[]> {
  const inRange = 't.unit_id = $1 AND t.period BETWEEN left($2, 7) AND left($3, 7)';
  const changedColumns = 't.task_id, t.rule_id, t.rule_version, t.period, t.due_on, t.state, t.created_at';
  return db.query<CompletionCount>(
    perControl(`WITH changed AS MATERIALIZED (
         SELECT ${changedColumns} FROM tasks t WHERE ${inRange} AND t.created_at > $4::timestamptz
         UNION
         SELECT ${changedColumns} FROM tasks t WHERE ${inRange}
           AND t.task_id IN (SELECT e.task_id FROM task_events e WHERE e.at > $4::timestamptz AND e.kind IN (${closingKinds}))),
       last AS (
         SELECT DISTINCT ON (e.task_id) e.task_id, e.kind FROM task_events e JOIN changed c ON c.task_id = e.task_id
         WHERE e.at <= $4::timestamptz AND e.kind IN (${closingKinds}) ORDER BY e.task_id, e.at DESC, e.id DESC),
       signed (rule_id, rule_version, period, state, n) AS (
         SELECT t.rule_id, t.rule_version, t.period, ${stateNow('$5')}, t.n FROM task_tally t WHERE ${inRange}
         UNION ALL
         SELECT c.rule_id, c.rule_version, c.period, ${stateNow('$5', 'c')}, -1 FROM changed c
         UNION ALL
         SELECT c.rule_id, c.rule_version, c.period, ${stateThen('$5')}, 1
         FROM changed c JOIN versions v ON v.rule_version = c.rule_version LEFT JOIN last ON last.task_id = c.task_id
         WHERE c.created_at <= $4::timestamptz)
       SELECT rule_id, rule_version, period, state, sum(n) AS n FROM signed WHERE state <> 'cancelled'
       GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0`),
    [input.unitId, input.from, input.to, input.asOf, input.asOfDate],
  );
}

/**
 * Done in time, as of `asOf`: of the tasks of the months whose last day had passed by `asOfDate`
 * (created by then, not cancelled by then), how many stood done at the end of their last day
 * (Stockholm): the last closing event by then a completion (signed off where the rule wants a second
 * signature) or not applicable.
 */
export async function onTimeCountsAsOf(db: Queryable, input: { unitId: string; from: string; to: string; asOf: string; asOfDate: string }): Promise<{ due: number; onTime: number }> {
  const [row] = await db.query<{ due: number; on_time: number }>(
    `WITH versions AS MATERIALIZED (${versionFields}),
       due AS MATERIALIZED (
         SELECT t.task_id, t.rule_version, (t.due_on + 1)::timestamp AT TIME ZONE 'Europe/Stockholm' AS day_ends FROM tasks t
         WHERE t.unit_id = $1 AND t.period BETWEEN left($2, 7) AND left($3, 7) AND t.due_on < $5::date AND t.created_at <= $4::timestamptz),
       closing AS (
         SELECT e.task_id, e.kind, e.at, e.id, d.day_ends FROM task_events e JOIN due d ON d.task_id = e.task_id
         WHERE e.at <= $4::timestamptz AND e.kind IN (${closingKinds})),
       by_day_end AS (SELECT DISTINCT ON (task_id) task_id, kind FROM closing WHERE at < day_ends ORDER BY task_id, at DESC, id DESC),
       by_moment AS (SELECT DISTINCT ON (task_id) task_id, kind FROM closing ORDER BY task_id, at DESC, id DESC)
     SELECT count(*)::int AS due,
            count(*) FILTER (WHERE e.kind = 'signed-off' OR (e.kind IN ('completed', 'not-applicable') AND NOT v.sign_off))::int AS on_time
     FROM due d JOIN versions v ON v.rule_version = d.rule_version
       LEFT JOIN by_day_end e ON e.task_id = d.task_id LEFT JOIN by_moment m ON m.task_id = d.task_id
     WHERE m.kind IS DISTINCT FROM 'cancelled'`,
    [input.unitId, input.from, input.to, input.asOf, input.asOfDate],
  );
  return { due: row!.due, onTime: row!.on_time };
}

/** The same counts from the tasks as they stand now (their state column), from the tally. */
export async function completionCountsNow(db: Queryable, input: { unitId: string; from: string; to: string; today: string }): Promise<CompletionCount[]> {
  return db.query<CompletionCount>(
    perControl(`SELECT t.rule_id, t.rule_version, t.period, ${stateNow('$4')} AS state, sum(t.n) AS n FROM task_tally t
       WHERE t.unit_id = $1 AND t.period BETWEEN left($2, 7) AND left($3, 7) AND t.state <> 'cancelled'
       GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0`),
    [input.unitId, input.from, input.to, input.today],
  );
}

/** What the deputy head's working view asks for: a year's tasks, narrowed and in an order. */
export interface TaskSearch {
  unitId: string;
  /** null: every year (what is overdue now may be from last year). */
  year: number | null;
  ruleId?: string;
  period?: string;
  assignee?: string;
  /** Only the tasks nobody is assigned. */
  unassigned?: boolean;
  /** Part of a case id, as typed. */
  caseId?: string;
  show?: 'open' | 'overdue' | 'done' | 'not-applicable' | 'all';
  sort?: 'due' | 'control' | 'case' | 'assignee' | 'state';
  today: string;
  limit: number;
}

// Whitelisted orders: the sort key never reaches the SQL text as typed.
const searchOrders: Record<NonNullable<TaskSearch['sort']>, string> = {
  due: 't.due_on, title, t.case_id', control: 'title, t.period, t.case_id', case: 't.case_id, t.period, title',
  assignee: 't.assignee, t.due_on, title', state: 't.state, t.due_on, title',
};

/** The matching tasks (at most `limit`, with their control's title) and how many match in all. */
export async function searchTasks(db: Queryable, search: TaskSearch): Promise<{ tasks: (TaskRow & { title: string })[]; total: number }> {
  const params: unknown[] = [search.unitId];
  const where = ['t.unit_id = $1', "t.state <> 'cancelled'"];
  const add = (clause: (n: string) => string, value: unknown) => { params.push(value); where.push(clause(`$${params.length}`)); };
  if (search.year !== null) add((n) => `left(t.period, 4) = ${n}`, String(search.year));
  // The tally keeps '' where the tasks table has null.
  if (search.unassigned) where.push("coalesce(t.assignee, '') = ''");
  if (search.ruleId) add((n) => `t.rule_id = ${n}`, search.ruleId);
  if (search.period) add((n) => `t.period = ${n}`, search.period);
  if (search.assignee) add((n) => `t.assignee = ${n}`, search.assignee);
  if (search.caseId) add((n) => `strpos(lower(t.case_id), lower(${n})) > 0`, search.caseId);
  if (search.show === 'open') where.push(`t.state IN (${OPEN})`);
  if (search.show === 'overdue') add((n) => `t.state IN (${OPEN}) AND t.due_on < ${n}::date`, search.today);
  if (search.show === 'done') where.push(`t.state = 'completed'`);
  if (search.show === 'not-applicable') where.push(`t.state = 'not-applicable'`);
  const filter = where.join(' AND ');
  // The tally has every column filtered on but the case's: the count reads it unless a case is searched.
  const [{ n }] = await db.query<{ n: number }>(
    search.caseId ? `SELECT count(*)::int AS n FROM tasks t WHERE ${filter}` : `SELECT coalesce(sum(t.n), 0)::int AS n FROM task_tally t WHERE ${filter}`,
    params,
  ) as [{ n: number }];
  params.push(search.limit);
  const tasks = await db.query<TaskRow & { title: string }>(
    `WITH versions AS MATERIALIZED (${versionFields})
     SELECT ${taskColumns.split(', ').map((c) => `t.${c}`).join(', ')}, v.title
     FROM tasks t JOIN versions v ON v.rule_version = t.rule_version WHERE ${filter}
     ORDER BY ${searchOrders[search.sort ?? 'due']} LIMIT $${params.length}`,
    params,
  );
  return { tasks, total: n };
}

/** The controls that have tasks in a year, with their titles (as of their latest version), by title. */
export async function controlTitles(db: Queryable, unitId: string, year: number) {
  return db.query<{ ruleId: string; title: string }>(
    `SELECT DISTINCT ON (v.definition->>'title', t.rule_id) t.rule_id AS "ruleId", v.definition->>'title' AS title
     FROM (SELECT DISTINCT rule_id, rule_version FROM task_tally WHERE unit_id = $1 AND period LIKE $2 || '-%' AND n > 0) t JOIN rule_versions v ON v.rule_version = t.rule_version
     ORDER BY v.definition->>'title', t.rule_id`,
    [unitId, String(year)],
  );
}

/** The tasks a completion created (follow-ups), as their created events say. */
export async function followUpsOf(db: Queryable, taskId: string): Promise<Pick<TaskRow, 'ref' | 'rule_version' | 'assignee' | 'due_on'>[]> {
  return db.query(
    `SELECT t.ref, t.rule_version, t.assignee, t.due_on FROM task_events e JOIN tasks t ON t.task_id = e.task_id
     WHERE e.kind = 'created' AND e.data->>'followUpOf' = $1 ORDER BY t.due_on, t.task_id`,
    [taskId],
  );
}
