// The task's state machine, as one table: from a state, by an action, on a rule with one person or
// with two (four eyes: a second person signs off), where the task goes, who may take it there, and
// the event that says so. Pure: the lifecycle looks up every change here.
import type { EventKind, TaskState } from '../store/tasks.js';

export const taskActionKinds = ['complete', 'not-applicable', 'reassign', 'send-back', 'reopen'] as const;
export type TaskActionKind = (typeof taskActionKinds)[number];

/**
 * Who may: `staff`, anyone of the unit's staff; `second`, another person than the one who took the
 * first step, of the task's role or a head of the unit; `head`, the unit head or a deputy head.
 */
export type Who = 'staff' | 'second' | 'head';

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
  [key('open', 'complete', 'one'), { to: 'completed', who: 'staff', event: 'completed' }],
  [key('open', 'complete', 'two'), { to: 'awaiting-sign-off', who: 'staff', event: 'completed' }],
  [key('open', 'not-applicable', 'one'), { to: 'not-applicable', who: 'staff', event: 'not-applicable' }],
  [key('open', 'not-applicable', 'two'), { to: 'awaiting-sign-off', who: 'staff', event: 'not-applicable' }],
  ...both('open', 'reassign', { to: 'open', who: 'staff', event: 'reassigned' }),
  [key('awaiting-sign-off', 'complete', 'two'), { to: 'completed', who: 'second', event: 'signed-off', confirms: 'completed' }],
  [key('awaiting-sign-off', 'not-applicable', 'two'), { to: 'not-applicable', who: 'second', event: 'signed-off', confirms: 'not-applicable' }],
  [key('awaiting-sign-off', 'send-back', 'two'), { to: 'open', who: 'second', event: 'reopened' }],
  ...both('completed', 'reopen', { to: 'open', who: 'head', event: 'reopened' }),
  ...both('not-applicable', 'reopen', { to: 'open', who: 'head', event: 'reopened' }),
  ...both('cancelled', 'reopen', { to: 'open', who: 'head', event: 'reopened' }),
]);

/** The change an action makes from a state, or undefined: not allowed from there. */
export function transition(state: TaskState, action: TaskActionKind, twoPerson: boolean): Transition | undefined {
  return table.get(key(state, action, twoPerson ? 'two' : 'one'));
}
