// The task's state machine, as one table: from a state, by an action, on a rule with one person or
// with two (four eyes: a second person signs off), where the task goes, who may take it there, and
// the event that says so. Pure: the lifecycle looks up every change here.
import type { EventKind, TaskState } from '../store/tasks.js';

export const taskActionKinds = ['complete', 'not-applicable', 'reassign', 'send-back', 'reopen'] as const;
export type TaskActionKind = (typeof taskActionKinds)[number];

/**
 * Who may: `assignee`, the person who has the task (a colleague of the same role once it has been
 * reassigned to them; anyone of its role while it has nobody); `assignee-or-head`, that person or
 * the unit head or a deputy head; `second`, another person than the one who took the first step, of
 * the task's role or a head of the unit; `head`, the unit head or a deputy head. A head does not do
 * another person's task, a head's own included: they reassign it.
 */
export type Who = 'assignee' | 'assignee-or-head' | 'second' | 'head';

export interface Transition {
  to: TaskState;
  who: Who;
  event: EventKind;
  /** On a task awaiting sign-off: the first step this action confirms ('completed' or 'not-applicable'). */
  confirms?: 'completed' | 'not-applicable';
}

type Persons = 'one' | 'two';
const key = (state: TaskState, action: TaskActionKind, persons: Persons) => `${state}|${action}|${persons}`;
const both = (state: TaskState, action: TaskActionKind, t: Transition): [string, Transition][] => [[key(state, action, 'one'), t], [key(state, action, 'two'), t]];

const table = new Map<string, Transition>([
  [key('open', 'complete', 'one'), { to: 'completed', who: 'assignee', event: 'completed' }],
  [key('open', 'complete', 'two'), { to: 'awaiting-sign-off', who: 'assignee', event: 'completed' }],
  [key('open', 'not-applicable', 'one'), { to: 'not-applicable', who: 'assignee', event: 'not-applicable' }],
  [key('open', 'not-applicable', 'two'), { to: 'awaiting-sign-off', who: 'assignee', event: 'not-applicable' }],
  ...both('open', 'reassign', { to: 'open', who: 'assignee-or-head', event: 'reassigned' }),
  [key('awaiting-sign-off', 'complete', 'two'), { to: 'completed', who: 'second', event: 'signed-off', confirms: 'completed' }],
  [key('awaiting-sign-off', 'not-applicable', 'two'), { to: 'not-applicable', who: 'second', event: 'signed-off', confirms: 'not-applicable' }],
  [key('awaiting-sign-off', 'send-back', 'two'), { to: 'open', who: 'second', event: 'reopened' }],
  ...both('completed', 'reopen', { to: 'open', who: 'head', event: 'reopened' }),
  ...both('not-applicable', 'reopen', { to: 'open', who: 'head', event: 'reopened' }),
  ...both('cancelled', 'reopen', { to: 'open', who: 'head', event: 'reopened' }),
]);

/** Whether a person has the task: its assignee; while it has nobody, anyone of its role. */
export function holdsTask(task: { assignee: string | null; assignee_role: string }, person: { staffId: string; role: string | undefined }): boolean {
  return task.assignee !== null ? task.assignee === person.staffId : task.assignee_role === person.role;
}

/** The change an action makes from a state, or undefined: not allowed from there. */
export function transition(state: TaskState, action: TaskActionKind, twoPerson: boolean): Transition | undefined {
  return table.get(key(state, action, twoPerson ? 'two' : 'one'));
}
