// The daily steps of a unit's control rounds, taken by its sweep: for every open task, the
// reminder, due and escalation days (business days around its due date, from its rule), and an
// event for each step whose day has come, once per task and kind. One statement over the unit's
// open tasks; a round a head has closed takes none.
import { addBusinessDays, subtractBusinessDays } from '../calendar/businessDays.js';
import type { Rule } from '../rules/rule.js';
import { openStepPairs, recordSteps, type DueStep, type StepKind } from '../store/controlRounds.js';
import type { Db } from '../store/db.js';
import { ruleVersion } from '../store/rulePacks.js';

export const stepKinds = ['reminder-due', 'due', 'escalation-due'] as const satisfies readonly StepKind[];
export type { StepKind };

export function roundDates(rule: Rule, dueOn: string): Record<StepKind, string> {
  return {
    'reminder-due': subtractBusinessDays(dueOn, rule.round?.remindBusinessDaysBefore ?? 5),
    due: dueOn,
    'escalation-due': addBusinessDays(dueOn, rule.round?.escalateBusinessDaysAfter ?? 3),
  };
}

export type StepCounts = Partial<Record<StepKind, number>>;

/** Takes the steps whose day is on or before `date`, recorded at `at` (the sweep's moment). */
export async function takeSteps(db: Db, input: { unitId: string; date: string; at: string }): Promise<StepCounts> {
  return db.transaction(async (tx) => {
    const rules = new Map<string, Rule>();
    const due: DueStep[] = [];
    for (const { ruleVersion: version, dueOn } of await openStepPairs(tx, input.unitId)) {
      if (!rules.has(version)) rules.set(version, await ruleVersion(tx, version));
      const dates = roundDates(rules.get(version)!, dueOn);
      for (const kind of stepKinds) if (dates[kind] <= input.date) due.push({ ruleVersion: version, dueOn, kind });
    }
    return Object.fromEntries((await recordSteps(tx, input.unitId, due, input.at)).map(({ kind, n }) => [kind, n]));
  });
}
