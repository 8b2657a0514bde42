// An independent recount of the årshjul's completion: each task's history replayed event by event
// up to a moment, through the task's state machine, and the tasks counted per control and month as
// the report counts them. Pure, and a different path from the as-of query (src/store/tasks.ts
// completionCountsAsOf): a task exists from its created event, not from a column, and its state is
// walked through every change rather than read from its last closing event. `arshjul report` holds
// a stored version to it.
import { DateTime } from 'luxon';
import type { HistoryEvent, HistoryTask } from '../store/taskEvents.js';
import type { ControlCompletion } from './completion.js';
import { count, percent } from './format.js';

export interface RecountTask extends Pick<HistoryTask, 'taskId' | 'ruleId' | 'period' | 'dueOn'> {
  /** The rule (as of the task's version) wants a second person's sign-off. */
  secondSignOff: boolean;
}

export interface RecountedMonth {
  month: string;
  total: number;
  /** Completed or not applicable (the report's "klara"). */
  done: number;
  /** Of those done, the ones not applicable. */
  notApplicable: number;
  open: number;
  overdue: number;
}

export interface RecountedControl {
  ruleId: string;
  months: RecountedMonth[];
  total: number;
  done: number;
  overdue: number;
}

type Replayed = 'open' | 'awaiting-completed' | 'awaiting-not-applicable' | 'completed' | 'not-applicable' | 'cancelled';

/** One event's effect on a task's state (reminders, due days and reassignment change nothing). */
function step(state: Replayed, kind: HistoryEvent['kind'], secondSignOff: boolean): Replayed {
  switch (kind) {
    case 'completed':
      return secondSignOff ? 'awaiting-completed' : 'completed';
    case 'not-applicable':
      return secondSignOff ? 'awaiting-not-applicable' : 'not-applicable';
    // The second person confirms the first step.
    case 'signed-off':
      return state === 'awaiting-completed' ? 'completed' : state === 'awaiting-not-applicable' ? 'not-applicable' : state;
    // Reopened by a head, or sent back from awaiting sign-off.
    case 'reopened':
      return 'open';
    case 'cancelled':
      return 'cancelled';
    default:
      return state;
  }
}

/**
 * The tasks of the months `fromMonth`..`toMonth` as they stood at `asOfMicros` (microseconds since
 * the epoch): a task counts from its created event; done when completed (signed off where the rule
 * wants a second signature) or not applicable; cancelled ones are left out; open ones (awaiting
 * sign-off too) due before `asOfDate` are overdue. Events after the moment, or of a task not created
 * yet, change nothing.
 */
export function recountCompletion(
  tasks: RecountTask[],
  events: Pick<HistoryEvent, 'taskId' | 'kind' | 'atMicros'>[],
  input: { asOfMicros: number; asOfDate: string; fromMonth: string; toMonth: string },
): RecountedControl[] {
  const byId = new Map(tasks.filter((t) => t.period >= input.fromMonth && t.period <= input.toMonth).map((t) => [t.taskId, t]));
  const states = new Map<string, Replayed>();
  // In time order; a stable sort keeps the order they were appended in for events of the same moment.
  const inOrder = events.filter((e) => e.atMicros <= input.asOfMicros && byId.has(e.taskId)).sort((a, b) => a.atMicros - b.atMicros);
  for (const event of inOrder) {
    const task = byId.get(event.taskId)!;
    const state = states.get(task.taskId);
    if (event.kind === 'created') {
      if (state === undefined) states.set(task.taskId, 'open');
      continue;
    }
    if (state !== undefined) states.set(task.taskId, step(state, event.kind, task.secondSignOff));
  }

  const controls = new Map<string, RecountedControl>();
  for (const [taskId, state] of states) {
    if (state === 'cancelled') continue;
    const task = byId.get(taskId)!;
    let control = controls.get(task.ruleId);
    if (!control) controls.set(task.ruleId, (control = { ruleId: task.ruleId, months: [], total: 0, done: 0, overdue: 0 }));
    let month = control.months.find((m) => m.month === task.period);
    if (!month) control.months.push((month = { month: task.period, total: 0, done: 0, notApplicable: 0, open: 0, overdue: 0 }));
    month.total++;
    control.total++;
    if (state === 'completed' || state === 'not-applicable') {
      month.done++;
      control.done++;
      if (state === 'not-applicable') month.notApplicable++;
    } else if (task.dueOn < input.asOfDate) {
      month.overdue++;
      control.overdue++;
    } else {
      month.open++;
    }
  }
  for (const control of controls.values()) control.months.sort((a, b) => a.month.localeCompare(b.month));
  return [...controls.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId));
}

/**
 * Done in time, recounted: of the tasks of the months whose last day had passed by `asOfDate`,
 * created by the moment and not cancelled by it, those whose history, replayed to the end of their
 * last day (Stockholm; or to the moment, if earlier), leaves them done.
 */
export function recountOnTime(
  tasks: RecountTask[],
  events: Pick<HistoryEvent, 'taskId' | 'kind' | 'atMicros'>[],
  input: { asOfMicros: number; asOfDate: string; fromMonth: string; toMonth: string },
): { due: number; onTime: number } {
  const byTask = new Map<string, Pick<HistoryEvent, 'kind' | 'atMicros'>[]>();
  for (const event of events) {
    if (!byTask.has(event.taskId)) byTask.set(event.taskId, []);
    byTask.get(event.taskId)!.push(event);
  }
  let due = 0;
  let onTime = 0;
  for (const task of tasks) {
    if (task.period < input.fromMonth || task.period > input.toMonth || task.dueOn >= input.asOfDate) continue;
    const history = (byTask.get(task.taskId) ?? []).filter((e) => e.atMicros <= input.asOfMicros).sort((a, b) => a.atMicros - b.atMicros);
    if (!history.some((e) => e.kind === 'created')) continue;
    const dayEnds = DateTime.fromISO(task.dueOn, { zone: 'Europe/Stockholm' }).plus({ days: 1 }).toMillis() * 1000;
    const replay = (until: number) => history.filter((e) => e.atMicros < until && e.kind !== 'created').reduce<Replayed>((state, e) => step(state, e.kind, task.secondSignOff), 'open');
    if (replay(Infinity) === 'cancelled') continue;
    due++;
    const atDayEnd = replay(dayEnds);
    if (atDayEnd === 'completed' || atDayEnd === 'not-applicable') onTime++;
  }
  return { due, onTime };
}

/** Done of all, over the controls; null when there is nothing to do. */
export function recountedRate(controls: RecountedControl[]): number | null {
  const total = controls.reduce((sum, c) => sum + c.total, 0);
  return total ? controls.reduce((sum, c) => sum + c.done, 0) / total : null;
}

export interface RecountDifference {
  ruleId: string | null;
  /** The control's name as the report gives it (else its id); "Alla kontroller" for the rate. */
  title: string;
  month: string | null;
  /** The figure, as the report names it. */
  measure: 'klara' | 'totalt' | 'öppna' | 'försenade' | 'andel klara';
  reported: string;
  recounted: string;
}

const monthFigures = [['done', 'klara'], ['total', 'totalt'], ['open', 'öppna'], ['overdue', 'försenade']] as const;

/**
 * Where a report's completion (as stored) differs from the recount: the rate of all, then per
 * control and month each of done, total, open and overdue. A month or control only one side has counts
 * as zeros on the other.
 */
export function compareWithRecount(reported: { rate: number; controls: ControlCompletion[] }, recounted: RecountedControl[]): RecountDifference[] {
  const titles = new Map(reported.controls.map((c) => [c.ruleId, c.title]));
  const key = (ruleId: string, month: string) => `${ruleId}\u0000${month}`;
  const zero = { total: 0, done: 0, open: 0, overdue: 0 };
  const theirs = new Map(reported.controls.flatMap((c) => c.months.map((m) => [key(c.ruleId, m.month), m] as const)));
  const ours = new Map(recounted.flatMap((c) => c.months.map((m) => [key(c.ruleId, m.month), m] as const)));
  const keys = [...new Set([...theirs.keys(), ...ours.keys()])].sort();
  const differences: RecountDifference[] = [];
  // The rate of all first, then control by control. The report gives 0 % over nothing; so does the comparison.
  const rate = recountedRate(recounted) ?? 0;
  if (percent(reported.rate) !== percent(rate)) {
    differences.push({ ruleId: null, title: 'Alla kontroller', month: null, measure: 'andel klara', reported: percent(reported.rate), recounted: percent(rate) });
  }
  for (const k of keys) {
    const [ruleId, month] = k.split('\u0000') as [string, string];
    const a = theirs.get(k) ?? zero;
    const b = ours.get(k) ?? zero;
    for (const [field, measure] of monthFigures) {
      if (a[field] !== b[field]) differences.push({ ruleId, title: titles.get(ruleId) ?? ruleId, month, measure, reported: count(a[field]), recounted: count(b[field]) });
    }
  }
  return differences;
}

/** A difference in words: "Registerkontroll (januari), 2027-01, klara: 0 i rapporten, 412 enligt händelserna". */
export function describeDifference(d: RecountDifference): string {
  return `${d.title}${d.month ? `, ${d.month}` : ''}, ${d.measure}: ${d.reported} i rapporten, ${d.recounted} enligt händelserna`;
}
