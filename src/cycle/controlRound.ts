// What a control round does to the store at each wake: for every open task of the round, the
// reminder, due and escalation days (business days around its due date, from its rule); events for
// the steps whose time has come, once each; and when to wake next.
import { addBusinessDays, stockholmTime, subtractBusinessDays } from '../calendar/businessDays.js';
import type { Db } from '../store/db.js';
import { deleteRoundClosed, isRoundClosed, recordRoundClosed, type RoundKey } from '../store/controlRounds.js';
import { ruleVersion } from '../store/rulePacks.js';
import { isHead } from '../store/staff.js';
import { appendEvents, openTasksOfRound } from '../store/tasks.js';
import type { Rule } from '../rules/rule.js';
import { TaskActionError } from '../tasks/lifecycle.js';

export const stepKinds = ['reminder-due', 'due', 'escalation-due'] as const;
export type StepKind = (typeof stepKinds)[number];

/** Rounds act at 06:30 Stockholm time, before the working day and its digests. */
const stepHour = 6;
const stepMinute = 30;

export function roundDates(rule: Rule, dueOn: string): Record<StepKind, string> {
  return {
    'reminder-due': subtractBusinessDays(dueOn, rule.round?.remindBusinessDaysBefore ?? 5),
    due: dueOn,
    'escalation-due': addBusinessDays(dueOn, rule.round?.escalateBusinessDaysAfter ?? 3),
  };
}

export interface StepResult {
  /** No open task is left, or the round was closed: the round ends. */
  done: boolean;
  open: number;
  /** When the next step falls due (epoch ms); null: none, wait for changes. */
  nextAt: number | null;
  recorded: Partial<Record<StepKind, number>>;
}

export async function roundStep(db: Db, input: RoundKey & { now: number }): Promise<StepResult> {
  return db.transaction(async (tx) => {
    if (await isRoundClosed(tx, input)) return { done: true, open: 0, nextAt: null, recorded: {} };
    const open = await openTasksOfRound(tx, input);
    if (open.length === 0) return { done: true, open: 0, nextAt: null, recorded: {} };
    const rules = new Map<string, Rule>();
    // A round's tasks share a handful of (rule version, due date) pairs: compute each pair's times once.
    const times = new Map<string, Record<StepKind, number>>();
    const due = new Map<StepKind, string[]>();
    let nextAt: number | null = null;
    for (const task of open) {
      const key = `${task.rule_version}|${task.due_on}`;
      let stepTimes = times.get(key);
      if (!stepTimes) {
        if (!rules.has(task.rule_version)) rules.set(task.rule_version, await ruleVersion(tx, task.rule_version));
        const dates = roundDates(rules.get(task.rule_version)!, task.due_on);
        stepTimes = Object.fromEntries(stepKinds.map((kind) => [kind, stockholmTime(dates[kind], stepHour, stepMinute)])) as Record<StepKind, number>;
        times.set(key, stepTimes);
      }
      for (const kind of stepKinds) {
        const at = stepTimes[kind];
        if (at <= input.now) due.set(kind, [...(due.get(kind) ?? []), task.task_id]);
        else nextAt = nextAt === null ? at : Math.min(nextAt, at);
      }
    }
    const recorded: StepResult['recorded'] = {};
    for (const [kind, taskIds] of due) {
      // Once per task and kind, however often the round wakes or an activity is retried.
      const rows = await appendEvents(tx, taskIds, kind, { actor: 'round', at: new Date(input.now).toISOString() }, true);
      if (rows.length > 0) recorded[kind] = rows.length;
    }
    return { done: false, open: open.length, nextAt, recorded };
  });
}

/** A deputy head (or the unit head) closes a round: no more reminders or escalations for it. */
export async function closeRound(db: Db, input: RoundKey & { by: string; at: string }): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await isHead(tx, input.unitId, input.by))) {
      throw new TaskActionError('bara enhetschef eller biträdande enhetschef kan stänga en kontrollomgång');
    }
    await recordRoundClosed(tx, input);
  });
}

/** A head opens a closed round again (a close taken back): its steps go on from where they are due. */
export async function reopenRound(db: Db, input: RoundKey & { by: string }): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await isHead(tx, input.unitId, input.by))) {
      throw new TaskActionError('bara enhetschef eller biträdande enhetschef kan öppna en kontrollomgång igen');
    }
    if (!(await deleteRoundClosed(tx, input))) throw new TaskActionError('omgången är inte stängd');
  });
}
