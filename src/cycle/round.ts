// What a control round does to the store at each wake: for every open task of the round, the
// reminder, due and escalation days (business days around its due date, from its rule); events for
// the steps whose time has come, once each; and when to wake next.
import { addBusinessDays, stockholmTime, subtractBusinessDays } from '../calendar/businessDays.js';
import type { Db, Queryable } from '../store/db.js';
import { ruleVersion } from '../store/rulePacks.js';
import type { Rule } from '../rules/rule.js';
import { TaskActionError, type RoundKey } from '../tasks/lifecycle.js';

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
    if (await isClosed(tx, input)) return { done: true, open: 0, nextAt: null, recorded: {} };
    const open = await tx.query<{ task_id: string; rule_version: string; due_on: string }>(
      `SELECT task_id, rule_version, due_on FROM tasks
       WHERE unit_id = $1 AND rule_id = $2 AND period = $3 AND state IN ('open', 'awaiting-sign-off')`,
      [input.unitId, input.ruleId, input.period],
    );
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
      const rows = await tx.query(
        `INSERT INTO task_events (task_id, kind, actor, at)
         SELECT id, $2, 'round', $3::timestamptz FROM unnest($1::text[]) AS t(id)
         WHERE NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.id AND e.kind = $2)
         RETURNING id`,
        [taskIds, kind, new Date(input.now).toISOString()],
      );
      if (rows.length > 0) recorded[kind] = rows.length;
    }
    return { done: false, open: open.length, nextAt, recorded };
  });
}

async function isClosed(tx: Queryable, key: RoundKey): Promise<boolean> {
  const rows = await tx.query('SELECT 1 FROM closed_rounds WHERE unit_id = $1 AND rule_id = $2 AND period = $3', [key.unitId, key.ruleId, key.period]);
  return rows.length > 0;
}

/** A deputy head (or the unit head) closes a round: no more reminders or escalations for it. */
export async function closeRound(db: Db, input: RoundKey & { by: string; at: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const [person] = await tx.query<{ role: string }>('SELECT role FROM staff WHERE unit_id = $1 AND id = $2', [input.unitId, input.by]);
    if (person?.role !== 'bitradande-enhetschef' && person?.role !== 'enhetschef') {
      throw new TaskActionError('bara enhetschef eller biträdande enhetschef kan stänga en kontrollomgång');
    }
    await tx.query(
      'INSERT INTO closed_rounds (unit_id, rule_id, period, closed_by, closed_at) VALUES ($1, $2, $3, $4, $5::timestamptz) ON CONFLICT DO NOTHING',
      [input.unitId, input.ruleId, input.period, input.by, input.at],
    );
  });
}
