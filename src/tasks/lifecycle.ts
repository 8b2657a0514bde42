// The task lifecycle, used by the CLI and the web app: complete (with the rule's outcomes, note
// and second sign-off), not applicable, reassign, reopen. Each change is one transaction: the
// task's row and one appended event (and a follow-up's task, where the outcome makes one).
import { rollToBusinessDay } from '../calendar/businessDays.js';
import { swedishCalendar } from '../planner/calendar.js';
import { buildTask, taskDates } from '../planner/plan.js';
import { caseStaff } from '../store/cases.js';
import type { Db, Queryable } from '../store/db.js';
import { latestRecordedPack, ruleVersion } from '../store/rulePacks.js';
import { isHeadRole, roleOf, staffOf } from '../store/staff.js';
import { appendEvents, findTask, firstStep, insertTasks, updateTask, type EventDetails, type EventKind, type TaskRow, type TaskState } from '../store/tasks.js';
import { holdsTask, transition, type TaskActionKind, type Transition } from './transitions.js';
import type { Rule } from '../rules/rule.js';

export class TaskActionError extends Error {}

/** What an action changed, and how many follow-up tasks it made. */
export interface ActionResult {
  task: TaskRow;
  followUps: number;
  message: string;
}

async function lockTask(tx: Queryable, taskId: string): Promise<TaskRow> {
  const task = await findTask(tx, taskId, true);
  // No id in the message: refusals reach the worker's log, and a task id names a case.
  if (!task) throw new TaskActionError('uppgiften finns inte: kontrollera id:t med arshjul tasks list');
  return task;
}

async function staffRole(tx: Queryable, unitId: string, staffId: string): Promise<string> {
  const role = await roleOf(tx, unitId, staffId);
  // Refusals reach the worker's log: they name the rule and the roles, never what a person typed.
  if (!role) throw new TaskActionError('personen finns inte bland enhetens personal: ange ett personal-id ur ärendefilen');
  return role;
}

export const stateNames: Record<TaskState, string> = {
  open: 'öppen',
  'awaiting-sign-off': 'väntar på attest',
  completed: 'klar',
  'not-applicable': 'inte aktuell',
  cancelled: 'makulerad',
};

const verbs: Record<TaskActionKind, string> = {
  complete: 'avslutas', 'not-applicable': 'markeras som inte aktuell', reassign: 'lämnas över', 'send-back': 'skickas tillbaka', reopen: 'öppnas igen',
};

/** Why the table has no such change: in the words of the state the task is in. */
function notFromHere(task: TaskRow, action: TaskActionKind): TaskActionError {
  if (task.state === 'awaiting-sign-off') return new TaskActionError('uppgiften väntar på attest: en annan person attesterar den eller skickar tillbaka den');
  if (action === 'reopen') return new TaskActionError('uppgiften är redan öppen');
  if (action === 'send-back') return new TaskActionError('uppgiften väntar inte på attest');
  return new TaskActionError(`uppgiften är ${stateNames[task.state]} och kan inte ${verbs[action]}; en chef kan öppna den igen`);
}

interface Step {
  task: TaskRow;
  rule: Rule;
  transition: Transition;
}

/**
 * The start of every change: the task locked, the actor one of the unit's staff, the change one the
 * table allows from the task's state, by this actor. Four eyes: a second step (sign-off, sending
 * back) is another person's than the first, of the task's role or a head, and confirms what the
 * first step did.
 */
async function begin(tx: Queryable, input: { taskId: string; actor: string }, action: TaskActionKind): Promise<Step> {
  const task = await lockTask(tx, input.taskId);
  const role = await staffRole(tx, task.unit_id, input.actor);
  const rule = await ruleVersion(tx, task.rule_version);
  const step = transition(task.state, action, rule.completion.secondSignOff === true);
  if (!step) throw notFromHere(task, action);
  if (step.who === 'head' && !isHeadRole(role)) throw new TaskActionError('bara enhetschef eller biträdande enhetschef kan öppna en uppgift igen');
  // Nobody does another person's task, a head neither (not even a deputy the unit head's): it is reassigned first.
  const holds = holdsTask(task, { staffId: input.actor, role });
  if (step.who === 'assignee' && !holds) {
    throw new TaskActionError('uppgiften är en annan persons: den som har den gör den; en chef kan omfördela den till en kollega med samma roll');
  }
  if (step.who === 'assignee-or-head' && !holds && !isHeadRole(role)) {
    throw new TaskActionError('bara den som har uppgiften, enhetschefen eller en biträdande enhetschef kan omfördela den');
  }
  if (step.who === 'second') {
    const first = await firstStep(tx, task.task_id);
    if (first?.actor === input.actor) throw new TaskActionError('attesten ska göras av en annan person än den som utförde kontrollen (fyraögonprincipen)');
    if (role !== task.assignee_role && !isHeadRole(role)) throw new TaskActionError(`attesten görs av en annan ${task.assignee_role} eller av en chef`);
    if (step.confirms && first?.kind !== step.confirms) {
      throw new TaskActionError(
        first?.kind === 'not-applicable'
          ? 'attesten gäller att uppgiften inte är aktuell; skicka tillbaka den vid annan bedömning'
          : `attesten gäller utfallet "${task.outcome}"; skicka tillbaka den vid annan bedömning`,
      );
    }
  }
  return { task, rule, transition: step };
}

/** The task's new state (and outcome or assignee) and the event that says so, together. */
async function change(tx: Queryable, task: TaskRow, update: Parameters<typeof updateTask>[2], kind: EventKind, details: EventDetails & { at: string }): Promise<void> {
  await updateTask(tx, task.task_id, update);
  await appendEvents(tx, [task.task_id], kind, details);
}

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
    const { task, rule, transition: step } = await begin(tx, input, 'complete');
    const outcomes = rule.completion.outcomes.map((o) => o.id);
    if (!outcomes.includes(input.outcome)) {
      throw new TaskActionError(`utfallet finns inte för ${rule.id}: välj ett av ${outcomes.join(', ')}`);
    }
    const note = input.note?.trim() || undefined;
    if (rule.completion.noteRequired && !note) throw new TaskActionError(`${rule.title} kräver en anteckning: skriv vad som gjordes`);
    if (step.confirms && task.outcome !== input.outcome) {
      throw new TaskActionError(`attesten gäller utfallet "${task.outcome}"; skicka tillbaka den vid annat utfall`);
    }
    await change(tx, task, { state: step.to, outcome: input.outcome }, step.event, { actor: input.actor, outcome: input.outcome, note, at: input.at });
    const changed = { ...task, state: step.to, outcome: input.outcome };
    if (step.to === 'awaiting-sign-off') return { task: changed, followUps: 0, message: 'utförd; väntar på attest av en andra person' };
    const followUps = await createFollowUps(tx, task, rule, input);
    return { task: changed, followUps, message: followUps > 0 ? 'klar; uppföljning skapad' : 'klar' };
  });
}

/**
 * A follow-up rule's task, created by the outcome that triggers it: built as the planner builds
 * every task (id, assignee by role, due date with the calendar's events), in the month of the first
 * business day from the completion, by the newest recorded pack's version of the follow-up rule.
 */
async function createFollowUps(tx: Queryable, task: TaskRow, rule: Rule, input: CompleteInput): Promise<number> {
  const followUps = (rule.followUps ?? []).filter((f) => f.outcome === input.outcome);
  if (followUps.length === 0) return 0;
  const pack = await latestRecordedPack(tx);
  const staff = await staffOf(tx, task.unit_id);
  const caseworkers = task.case_id ? await caseStaff(tx, task.unit_id, task.case_id) : undefined;
  const subject = task.case_id && caseworkers ? { caseId: task.case_id, ...caseworkers } : null;
  const createOn = rollToBusinessDay(input.at.slice(0, 10), 'next');
  const period = createOn.slice(0, 7);
  const outcome = rule.completion.outcomes.find((o) => o.id === input.outcome)?.label ?? input.outcome;
  for (const followUp of followUps) {
    const target = pack?.rules.find((r) => r.rule.id === followUp.rule);
    if (!target) throw new TaskActionError(`uppföljningsregeln ${followUp.rule} finns inte i databasen`);
    const dates = taskDates(target.rule, period, swedishCalendar, pack!.events, createOn);
    if (!dates) throw new TaskActionError(`uppföljningsregeln ${followUp.rule} har inget datum i ${period}`);
    const planned = buildTask({
      unitId: task.unit_id, staff, rule: target, subject, period, dates,
      because: [`${rule.title} avslutades med utfallet "${outcome}"`],
    });
    await insertTasks(tx, [planned], input.at, { actor: input.actor, data: { followUpOf: task.task_id } });
  }
  return followUps.length;
}

/** Not applicable, with a reason; on a two-person rule a second person confirms it. */
export async function markNotApplicable(db: Db, input: { taskId: string; reason: string; actor: string; at: string }): Promise<ActionResult> {
  return db.transaction(async (tx) => {
    const { task, transition: step } = await begin(tx, input, 'not-applicable');
    const reason = input.reason.trim();
    if (!reason) throw new TaskActionError('ange varför uppgiften inte är aktuell');
    await change(tx, task, { state: step.to, outcome: null }, step.event, { actor: input.actor, reason, at: input.at });
    const changed = { ...task, state: step.to, outcome: null };
    if (step.to === 'awaiting-sign-off') return { task: changed, followUps: 0, message: 'markerad som inte aktuell; väntar på attest av en andra person' };
    return { task: changed, followUps: 0, message: 'markerad som inte aktuell' };
  });
}

/** A second person sends a task awaiting sign-off back, to be done again. */
export async function sendBackTask(db: Db, input: { taskId: string; reason: string; actor: string; at: string }): Promise<ActionResult> {
  return db.transaction(async (tx) => {
    const { task, transition: step } = await begin(tx, input, 'send-back');
    // The same event as a reopening (the task is open again, for the counts), said as what it was.
    await change(tx, task, { state: step.to, outcome: null }, step.event, { actor: input.actor, reason: input.reason.trim() || undefined, data: { sentBack: true }, at: input.at });
    return { task: { ...task, state: step.to, outcome: null }, followUps: 0, message: 'skickad tillbaka' };
  });
}

export async function reassignTask(db: Db, input: { taskId: string; to: string; actor: string; at: string }): Promise<ActionResult> {
  return db.transaction(async (tx) => {
    const { task, transition: step } = await begin(tx, input, 'reassign');
    // A change that changes nothing is not one: no event says so.
    if (input.to === task.assignee) throw new TaskActionError('uppgiften är redan den personens: välj någon annan');
    const role = await staffRole(tx, task.unit_id, input.to);
    if (role !== task.assignee_role) throw new TaskActionError(`mottagaren är ${role}; uppgiften är för en ${task.assignee_role}`);
    await change(tx, task, { assignee: input.to }, step.event, { actor: input.actor, data: { from: task.assignee, to: input.to }, at: input.at });
    return { task: { ...task, assignee: input.to }, followUps: 0, message: `överlämnad till ${input.to}` };
  });
}

/** Reopens a closed task; only the unit head or a deputy head may. */
export async function reopenTask(db: Db, input: { taskId: string; reason: string; actor: string; at: string }): Promise<ActionResult> {
  return db.transaction(async (tx) => {
    const { task, transition: step } = await begin(tx, input, 'reopen');
    await change(tx, task, { state: step.to, outcome: null }, step.event, { actor: input.actor, reason: input.reason.trim() || undefined, at: input.at });
    return { task: { ...task, state: step.to, outcome: null }, followUps: 0, message: 'öppnad igen' };
  });
}

/** A change to a task as the web app and the CLI ask for it. */
export type TaskAction =
  | ({ kind: 'complete' } & CompleteInput)
  | { kind: 'not-applicable'; taskId: string; reason: string; actor: string; at: string }
  | { kind: 'send-back'; taskId: string; reason: string; actor: string; at: string }
  | { kind: 'reassign'; taskId: string; to: string; actor: string; at: string }
  | { kind: 'reopen'; taskId: string; reason: string; actor: string; at: string };

export function applyTaskAction(db: Db, action: TaskAction): Promise<ActionResult> {
  switch (action.kind) {
    case 'complete':
      return completeTask(db, action);
    case 'not-applicable':
      return markNotApplicable(db, action);
    case 'send-back':
      return sendBackTask(db, action);
    case 'reassign':
      return reassignTask(db, action);
    case 'reopen':
      return reopenTask(db, action);
  }
}
