// The task lifecycle, used by the CLI now and the web app later: list, complete (with the rule's
// outcomes, note and second sign-off), not applicable, reassign, reopen. Each change is one
// transaction: the task's row and one appended event. The caller signals the round afterwards.
import { rollToBusinessDay } from '../calendar/businessDays.js';
import { resolveDate, swedishCalendar } from '../planner/calendar.js';
import type { Db, Queryable } from '../store/db.js';
import { ruleVersion } from '../store/rulePacks.js';
import type { Rule } from '../rules/rule.js';

export class TaskActionError extends Error {}

export type TaskState = 'open' | 'awaiting-sign-off' | 'completed' | 'not-applicable' | 'cancelled';

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
}

export interface RoundKey {
  unitId: string;
  ruleId: string;
  period: string;
}

/** What an action changed, and which rounds should hear of it. */
export interface ActionResult {
  task: TaskRow;
  rounds: RoundKey[];
  message: string;
}

export interface TaskFilter {
  unitId?: string;
  assignee?: string;
  ruleId?: string;
  period?: string;
  state?: TaskState;
}

const chefRoles = new Set(['enhetschef', 'bitradande-enhetschef']);

export async function listTasks(db: Queryable, filter: TaskFilter): Promise<TaskRow[]> {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of [['unit_id', filter.unitId], ['assignee', filter.assignee], ['rule_id', filter.ruleId], ['period', filter.period], ['state', filter.state]] as const) {
    if (value === undefined) continue;
    params.push(value);
    clauses.push(`${column} = $${params.length}`);
  }
  return db.query<TaskRow>(
    `SELECT task_id, unit_id, rule_id, rule_version, case_id, period, create_on, due_on, assignee_role, assignee, state, outcome
     FROM tasks ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY due_on, rule_id, case_id`,
    params,
  );
}

async function lockTask(tx: Queryable, taskId: string): Promise<TaskRow> {
  const [task] = await tx.query<TaskRow>(
    `SELECT task_id, unit_id, rule_id, rule_version, case_id, period, create_on, due_on, assignee_role, assignee, state, outcome
     FROM tasks WHERE task_id = $1 FOR UPDATE`,
    [taskId],
  );
  // No id in the message: refusals reach the worker's log, and a task id names a case.
  if (!task) throw new TaskActionError('uppgiften finns inte: kontrollera id:t med arshjul tasks list');
  return task;
}

async function staffRole(tx: Queryable, unitId: string, staffId: string): Promise<string> {
  const [person] = await tx.query<{ role: string }>('SELECT role FROM staff WHERE unit_id = $1 AND id = $2', [unitId, staffId]);
  if (!person) throw new TaskActionError(`${staffId} finns inte bland enhetens personal`);
  return person.role;
}

async function event(tx: Queryable, taskId: string, kind: string, at: string, details: { actor: string; outcome?: string; note?: string; reason?: string; data?: object }) {
  await tx.query(
    'INSERT INTO task_events (task_id, kind, at, actor, outcome, note, reason, data) VALUES ($1, $2, $3::timestamptz, $4, $5, $6, $7, $8::jsonb)',
    [taskId, kind, at, details.actor, details.outcome ?? null, details.note ?? null, details.reason ?? null, JSON.stringify(details.data ?? {})],
  );
}

function round(task: TaskRow): RoundKey {
  return { unitId: task.unit_id, ruleId: task.rule_id, period: task.period };
}

function requireOpen(task: TaskRow, action: string): void {
  if (task.state !== 'open' && task.state !== 'awaiting-sign-off') {
    throw new TaskActionError(`uppgiften är ${stateNames[task.state]} och kan inte ${action}; en chef kan öppna den igen`);
  }
}

export const stateNames: Record<TaskState, string> = {
  open: 'öppen',
  'awaiting-sign-off': 'väntar på attest',
  completed: 'klar',
  'not-applicable': 'inte aktuell',
  cancelled: 'makulerad',
};

export interface CompleteInput {
  taskId: string;
  outcome: string;
  note?: string;
  actor: string;
  /** When it happened (ISO timestamp); the date part is the completion date for follow-ups. */
  at: string;
}

/** Completes a task by the rule's terms; a rule with a second sign-off needs a second, different person. */
export async function completeTask(db: Db, input: CompleteInput): Promise<ActionResult> {
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, input.taskId);
    requireOpen(task, 'avslutas');
    await staffRole(tx, task.unit_id, input.actor);
    const rule = await ruleVersion(tx, task.rule_version);
    const outcomes = rule.completion.outcomes.map((o) => o.id);
    if (!outcomes.includes(input.outcome)) {
      throw new TaskActionError(`utfallet "${input.outcome}" finns inte för ${rule.id}: välj ett av ${outcomes.join(', ')}`);
    }
    const note = input.note?.trim() || undefined;
    if (rule.completion.noteRequired && !note) throw new TaskActionError(`${rule.title} kräver en anteckning: ange --note`);

    if (rule.completion.secondSignOff) {
      if (task.state === 'open') {
        await tx.query(`UPDATE tasks SET state = 'awaiting-sign-off', outcome = $2 WHERE task_id = $1`, [task.task_id, input.outcome]);
        await event(tx, task.task_id, 'completed', input.at, { actor: input.actor, outcome: input.outcome, note });
        return { task: { ...task, state: 'awaiting-sign-off', outcome: input.outcome }, rounds: [], message: 'utförd; väntar på attest av en andra person' };
      }
      const [first] = await tx.query<{ actor: string }>(
        `SELECT actor FROM task_events WHERE task_id = $1 AND kind = 'completed' ORDER BY id DESC LIMIT 1`,
        [task.task_id],
      );
      if (first?.actor === input.actor) throw new TaskActionError('attesten ska göras av en annan person än den som utförde kontrollen (fyraögonprincipen)');
      if (task.outcome !== input.outcome) {
        throw new TaskActionError(`attesten gäller utfallet "${task.outcome}"; vid annat utfall, öppna uppgiften igen`);
      }
    }
    await tx.query(`UPDATE tasks SET state = 'completed', outcome = $2 WHERE task_id = $1`, [task.task_id, input.outcome]);
    await event(tx, task.task_id, task.state === 'awaiting-sign-off' ? 'signed-off' : 'completed', input.at, { actor: input.actor, outcome: input.outcome, note });
    const rounds = [round(task), ...(await createFollowUps(tx, task, rule, input))];
    return { task: { ...task, state: 'completed', outcome: input.outcome }, rounds, message: rounds.length > 1 ? 'klar; uppföljning skapad' : 'klar' };
  });
}

/** A follow-up rule's task, created by the outcome that triggers it. */
async function createFollowUps(tx: Queryable, task: TaskRow, rule: Rule, input: CompleteInput): Promise<RoundKey[]> {
  const rounds: RoundKey[] = [];
  for (const followUp of rule.followUps ?? []) {
    if (followUp.outcome !== input.outcome) continue;
    const [target] = await tx.query<{ rule_version: string; definition: Rule }>(
      // The newest recorded version of the follow-up rule.
      `SELECT v.rule_version, v.definition FROM rule_versions v JOIN rule_pack_versions p ON p.hash = v.first_pack
       WHERE v.rule_id = $1 ORDER BY p.loaded_at DESC LIMIT 1`,
      [followUp.rule],
    );
    if (!target) throw new TaskActionError(`uppföljningsregeln ${followUp.rule} finns inte i databasen`);
    const createOn = rollToBusinessDay(input.at.slice(0, 10), 'next');
    const period = createOn.slice(0, 7);
    const dueOn = resolveDate(target.definition.dueOn, period, createOn, swedishCalendar);
    if (!dueOn) throw new TaskActionError(`uppföljningsregeln ${followUp.rule} har inget datum i ${period}`);
    const assignee =
      target.definition.assignee.role === 'socialsekreterare' || target.definition.assignee.role === 'bidragshandlaggare'
        ? (await tx.query<Record<string, string>>(`SELECT ${target.definition.assignee.role} AS id FROM cases WHERE unit_id = $1 AND case_id = $2`, [task.unit_id, task.case_id]))[0]?.id ?? null
        : task.assignee;
    const taskId = `${task.unit_id}:${followUp.rule}:${period}:${task.case_id ?? 'unit'}`;
    const inserted = await tx.query(
      `INSERT INTO tasks (task_id, unit_id, rule_id, rule_version, case_id, period, create_on, due_on, assignee_role, assignee, because)
       VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8::date, $9, $10, $11::jsonb) ON CONFLICT (task_id) DO NOTHING RETURNING task_id`,
      [taskId, task.unit_id, followUp.rule, target.rule_version, task.case_id, period, createOn, dueOn, target.definition.assignee.role, assignee,
        JSON.stringify([`${rule.title} avslutades med utfallet "${rule.completion.outcomes.find((o) => o.id === input.outcome)?.label ?? input.outcome}"`])],
    );
    if (inserted.length > 0) await event(tx, taskId, 'created', input.at, { actor: input.actor, data: { followUpOf: task.task_id } });
    rounds.push({ unitId: task.unit_id, ruleId: followUp.rule, period });
  }
  return rounds;
}

export async function markNotApplicable(db: Db, input: { taskId: string; reason: string; actor: string; at: string }): Promise<ActionResult> {
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, input.taskId);
    requireOpen(task, 'markeras som inte aktuell');
    await staffRole(tx, task.unit_id, input.actor);
    if (!input.reason.trim()) throw new TaskActionError('ange varför uppgiften inte är aktuell (--reason)');
    await tx.query(`UPDATE tasks SET state = 'not-applicable' WHERE task_id = $1`, [task.task_id]);
    await event(tx, task.task_id, 'not-applicable', input.at, { actor: input.actor, reason: input.reason.trim() });
    return { task: { ...task, state: 'not-applicable' }, rounds: [round(task)], message: 'markerad som inte aktuell' };
  });
}

export async function reassignTask(db: Db, input: { taskId: string; to: string; actor: string; at: string }): Promise<ActionResult> {
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, input.taskId);
    requireOpen(task, 'lämnas över');
    await staffRole(tx, task.unit_id, input.actor);
    const role = await staffRole(tx, task.unit_id, input.to);
    if (role !== task.assignee_role) throw new TaskActionError(`${input.to} är ${role}; uppgiften är för en ${task.assignee_role}`);
    await tx.query('UPDATE tasks SET assignee = $2 WHERE task_id = $1', [task.task_id, input.to]);
    await event(tx, task.task_id, 'reassigned', input.at, { actor: input.actor, data: { from: task.assignee, to: input.to } });
    return { task: { ...task, assignee: input.to }, rounds: [round(task)], message: `överlämnad till ${input.to}` };
  });
}

/** Reopens a closed task; only the unit head or a deputy head may. */
export async function reopenTask(db: Db, input: { taskId: string; reason: string; actor: string; at: string }): Promise<ActionResult> {
  return db.transaction(async (tx) => {
    const task = await lockTask(tx, input.taskId);
    if (!chefRoles.has(await staffRole(tx, task.unit_id, input.actor))) {
      throw new TaskActionError('bara enhetschef eller biträdande enhetschef kan öppna en uppgift igen');
    }
    if (task.state === 'open') throw new TaskActionError('uppgiften är redan öppen');
    await tx.query(`UPDATE tasks SET state = 'open', outcome = NULL WHERE task_id = $1`, [task.task_id]);
    await event(tx, task.task_id, 'reopened', input.at, { actor: input.actor, reason: input.reason.trim() || undefined });
    return { task: { ...task, state: 'open', outcome: null }, rounds: [round(task)], message: 'öppnad igen' };
  });
}
