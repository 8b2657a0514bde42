// The planner: a pure function of (cases, rule pack, months, calendar) → tasks in the contract's
// shape and order. Same inputs, same output, same task ids.
import type { Case, CaseFile, Staff, StaffRole } from '../cases/caseFile.js';
import { monthFromIndex, monthIndex, monthRange } from '../calendar/months.js';
import { compileConditions, factsUsed, type Predicate } from '../rules/compile.js';
import { activeInMonth, caseProfile, factContext, factDefinitions, factsAt, type CaseProfile, type FactName, type Facts } from '../rules/facts.js';
import type { ParameterValues } from '../rules/parameters.js';
import type { RulePack } from '../rules/load.js';
import type { Anchor, LoadedRule, Rule } from '../rules/rule.js';
import { datedPerCase, swedishCalendar, taskDates, type Calendar, type TaskDates } from './calendar.js';

export { taskDates, type TaskDates };

export interface PlannedTask {
  taskId: string;
  unitId: string;
  ruleId: string;
  ruleVersion: string;
  caseId: string | null;
  period: string;
  createOn: string;
  dueOn: string;
  assigneeRole: StaffRole;
  assignee: string | null;
  because: string[];
}

export interface PlanInput {
  caseFile: Pick<CaseFile, 'unit' | 'staff' | 'cases'>;
  pack: RulePack;
  /** First and last month, 'YYYY-MM', inclusive. */
  from: string;
  to: string;
  calendar?: Calendar;
  /** Evaluates a rule's conditions; the compiled form by default. Tests pass the reference interpreter's verdicts. */
  evaluate?: (rule: CompiledRule, facts: Facts, c: Case, period: string, params: ParameterValues) => boolean;
}

export interface CompiledRule {
  loaded: LoadedRule;
  rule: Rule;
  predicate: Predicate;
  facts: FactName[];
  /** Calendar months (1–12) the rule is planned in; undefined: every month (anchored or "every"). */
  months: Set<number> | undefined;
  anchored: boolean;
}

const compiledPacks = new WeakMap<RulePack, CompiledRule[]>();

export function compilePack(pack: RulePack): CompiledRule[] {
  let compiled = compiledPacks.get(pack);
  if (!compiled) {
    compiled = pack.rules.map((loaded) => {
      const { rule } = loaded;
      const months = 'months' in rule.when && rule.when.months !== 'every' ? new Set(rule.when.months) : undefined;
      return { loaded, rule, predicate: compileConditions(rule.conditions), facts: [...factsUsed(rule.conditions)], months, anchored: 'anchor' in rule.when };
    });
    compiledPacks.set(pack, compiled);
  }
  return compiled;
}

/** Code-point order, as the contract's sort means: the same in every locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const monthNames = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

export function monthName(period: string): string {
  return `${monthNames[Number(period.slice(5, 7)) - 1]} ${period.slice(0, 4)}`;
}

/** Whether the rule is planned in this month (validity, calendar month, anchor); conditions aside. */
export function plannedIn(compiled: CompiledRule, month: number, firstDay: string): boolean {
  const { rule } = compiled;
  if ((rule.validFrom && firstDay < rule.validFrom) || (rule.validTo && firstDay > rule.validTo)) return false;
  if ('followUp' in rule.when) return false;
  return compiled.months ? compiled.months.has(month) : true;
}

/** The date an anchored rule counts from, for a case: the work plan's, the unemployment's or the opening's. */
function anchorOn(rule: Rule, c: Case): string | undefined {
  if (!('anchor' in rule.when)) return undefined;
  const anchor: Anchor = rule.when.anchor;
  if (anchor === 'monthsSinceWorkPlan') return c.workPlan?.establishedOn ?? undefined;
  if (anchor === 'monthsSinceActivityPlan') return c.activityPlan?.establishedOn ?? undefined;
  return anchor === 'monthsUnemployed' ? c.unemployedSince ?? undefined : c.openedOn;
}

/** For anchored rules: whether this month is one the anchor names (e.g. every third month after the work plan). */
export function anchorHolds(rule: Rule, facts: Facts): boolean {
  if (!('anchor' in rule.when)) return true;
  const months = facts[rule.when.anchor];
  if (months === null) return false;
  if ('every' in rule.when) return months > 0 && months % rule.when.every === 0;
  return 'at' in rule.when ? months === rule.when.at : months >= rule.when.from;
}

/**
 * Whether a `from` or `once` rule must look at the month before: it is created in the first month its
 * conditions hold, not when they held the month before as well. For `once`, the month before counts
 * only when the case was active then and the rule in force.
 */
function looksBack(rule: Rule, facts: Facts, profile: CaseProfile, month: number, dayBefore: string): boolean {
  if ('once' in rule.when) return activeInMonth(profile, month - 1) && !(rule.validFrom && dayBefore < rule.validFrom);
  if (!('anchor' in rule.when) || !('from' in rule.when)) return false;
  const months = facts[rule.when.anchor];
  return months !== null && months - 1 >= rule.when.from;
}

/**
 * The unit's person of a role for a unit task: with several (two deputy heads), the work is shared in
 * turn, month by month and rule by rule, so neither gets every task; the same inputs, the same person.
 */
function inTurn(staff: Staff[], role: StaffRole, ruleId: string, period: string): string | null {
  const people = staff.filter((person) => person.role === role).map((person) => person.id).sort(compare);
  if (people.length === 0) return null;
  let offset = 0;
  for (const char of ruleId) offset = (offset * 31 + char.charCodeAt(0)) % 9973;
  return people[(monthIndex(`${period}-01`) + offset) % people.length]!;
}

/** The role that does a rule's task in this unit: its own, or its fallback when the unit has nobody of that role. */
export function effectiveRole(rule: Rule, staff: Staff[]): StaffRole {
  const { role, fallback } = rule.assignee;
  if (!fallback || role === 'socialsekreterare' || role === 'bidragshandlaggare') return role;
  return staff.some((person) => person.role === role) ? role : fallback;
}

/** Who a task goes to: the case's own socialsekreterare or bidragshandläggare, else the unit's people of the role in turn. */
export function assigneeFor(rule: Rule, c: CaseStaff | null, staff: Staff[], period: string): string | null {
  const role = effectiveRole(rule, staff);
  if (c && role === 'socialsekreterare') return c.socialsekreterare;
  if (c && role === 'bidragshandlaggare') return c.bidragshandlaggare;
  return inTurn(staff, role, rule.id, period);
}

/** What a task needs of its case: its id and its two caseworkers. */
export type CaseStaff = Pick<Case, 'caseId' | 'socialsekreterare' | 'bidragshandlaggare'>;

/**
 * The one place a task is built, for the planner, the sweep and follow-ups alike: a rule's task for
 * a case (or, with none, the unit) in a month, with the contract's id and its assignee by role.
 */
export function buildTask(input: {
  unitId: string; staff: Staff[]; rule: Pick<LoadedRule, 'rule' | 'version'>; subject: CaseStaff | null; period: string; dates: TaskDates; because: string[];
  /** A staff-scope task: the person it is about (its id ends in `staff-<id>`) and who does it. */
  about?: { staffId: string; assignee: string | null };
}): PlannedTask {
  const { rule, version } = input.rule;
  return {
    taskId: `${input.unitId}:${rule.id}:${input.period}:${input.subject?.caseId ?? (input.about ? `staff-${input.about.staffId}` : 'unit')}`,
    unitId: input.unitId,
    ruleId: rule.id,
    ruleVersion: version,
    caseId: input.subject?.caseId ?? null,
    period: input.period,
    createOn: input.dates.createOn,
    dueOn: input.dates.dueOn,
    assigneeRole: effectiveRole(rule, input.staff),
    assignee: input.about ? input.about.assignee : assigneeFor(rule, input.subject, input.staff, input.period),
    because: input.because,
  };
}

/** In words, the facts that made the rule fire for this case. */
export function because(compiled: CompiledRule, c: Case, period: string, facts: Facts, params: ParameterValues, active = `ärendet är aktivt i ${monthName(period)}`): string[] {
  const when = compiled.rule.when;
  // Most controls apply to every active case: one reason, worded once per month by the caller.
  if (compiled.facts.length === 0 && !('anchor' in when)) return [active];
  const reasons: string[] = [];
  if ('anchor' in when && !compiled.facts.includes(when.anchor)) reasons.push(...factDefinitions[when.anchor].explain(c, period, facts, params));
  for (const fact of compiled.facts) reasons.push(...factDefinitions[fact].explain(c, period, facts, params));
  if (reasons.length === 0) reasons.push(active);
  return reasons;
}

export function plan(input: PlanInput): PlannedTask[] {
  const { unit, staff } = input.caseFile;
  const calendar = input.calendar ?? swedishCalendar;
  const compiled = compilePack(input.pack);
  const evaluate = input.evaluate;
  // The compiled predicate, or the reference interpreter when a test passes one.
  const holds = (r: CompiledRule, f: Facts, params: ParameterValues, c: Case, p: string) => (evaluate ? evaluate(r, f, c, p, params) : r.predicate(f, params));
  const parameters = input.pack.parameters;
  // Cases in id order, so each (due date, rule) bucket fills already sorted by case id; each read once.
  const cases = [...input.caseFile.cases].sort((a, b) => compare(a.caseId, b.caseId)).map(caseProfile);
  const buckets = new Map<string, { tasks: PlannedTask[]; periods: Set<string> }>();
  const bucket = (dueOn: string, ruleId: string, period: string) => {
    const key = `${dueOn}\0${ruleId}`;
    let found = buckets.get(key);
    if (!found) buckets.set(key, (found = { tasks: [], periods: new Set() }));
    found.periods.add(period);
    return found.tasks;
  };

  // Each case's facts in the month before, where computed: a once rule looks one month back. Two
  // objects per case, by the month's parity, are written over month after month.
  let previous: (Facts | undefined)[] = [];
  const slots: Facts[][] = [[], []];
  const slot = (k: number, month: number) => (slots[month & 1]![k] ??= {} as Facts);
  for (const period of monthRange(input.from, input.to)) {
    const month = Number(period.slice(5, 7));
    const firstDay = `${period}-01`;
    const rules = compiled.filter((r) => plannedIn(r, month, firstDay));
    if (rules.length === 0) {
      previous = [];
      continue;
    }
    const dated = rules.flatMap((r): { compiled: CompiledRule; dates: TaskDates | undefined }[] => {
      if (datedPerCase(r.rule)) return [{ compiled: r, dates: undefined }];
      const dates = taskDates(r.rule, period, calendar, input.pack.events);
      return dates ? [{ compiled: r, dates }] : [];
    });

    for (const { compiled: r, dates } of dated) {
      if (r.rule.scope !== 'staff' || !dates) continue;
      // One per person of the roles, the people split evenly between those who do them (the deputy
      // heads), each the same deputy every month.
      const about = staff.filter((person) => r.rule.staffRoles!.includes(person.role)).sort((a, b) => compare(a.id, b.id));
      const doers = staff.filter((person) => person.role === r.rule.assignee.role).map((person) => person.id).sort(compare);
      about.forEach((person, i) => {
        const assignee = doers.length ? doers[i % doers.length]! : null;
        bucket(dates.dueOn, r.rule.id, period).push(buildTask({
          unitId: unit.id, staff, rule: r.loaded, subject: null, period, dates, because: [`genomgång med ${person.name} (${person.id}) i ${monthName(period)}`], about: { staffId: person.id, assignee },
        }));
      });
    }

    for (const { compiled: r, dates } of dated) {
      if (r.rule.scope !== 'unit' || !dates) continue;
      bucket(dates.dueOn, r.rule.id, period).push(
        buildTask({ unitId: unit.id, staff, rule: r.loaded, subject: null, period, dates, because: [`enhetsuppgift i ${monthName(period)}`] }),
      );
    }

    const caseRules = dated.filter((d) => d.compiled.rule.scope === 'case');
    if (caseRules.length === 0) {
      previous = [];
      continue;
    }
    const targets = caseRules.map((d) => (d.dates ? bucket(d.dates.dueOn, d.compiled.rule.id, period) : undefined));
    // What buildTask works out per task, worked out once per rule and month: tasks are built here by the hundred thousand.
    const prefixes = caseRules.map((d) => `${unit.id}:${d.compiled.rule.id}:${period}:`);
    const roles = caseRules.map((d) => effectiveRole(d.compiled.rule, staff));
    const unitAssignees = caseRules.map((d, i) => inTurn(staff, roles[i]!, d.compiled.rule.id, period));
    // Most controls apply to every active case: one reason for the month, shared by its tasks.
    const active = `ärendet är aktivt i ${monthName(period)}`;
    const activeReason = [active];
    const month0 = monthIndex(period);
    const context = factContext(parameters, firstDay);
    const { params } = context;
    const beforeFirstDay = `${monthFromIndex(month0 - 1)}-01`;
    const before = { month: month0 - 1, period: monthFromIndex(month0 - 1), firstDay: beforeFirstDay, context: factContext(parameters, beforeFirstDay) };
    // A case's dates that depend on its anchor depend only on the anchor's day of the month.
    const perCaseDates = new Map<string, TaskDates | undefined>();
    const current = new Array<Facts | undefined>(cases.length);
    for (let k = 0; k < cases.length; k++) {
      const profile = cases[k]!;
      if (!activeInMonth(profile, month0)) continue;
      const c = profile.c;
      const facts = (current[k] = factsAt(profile, month0, firstDay, context, slot(k, month0)));
      for (let i = 0; i < caseRules.length; i++) {
        const { compiled: r, dates: monthDates } = caseRules[i]!;
        if (r.anchored && !anchorHolds(r.rule, facts)) continue;
        if (!(evaluate ? evaluate(r, facts, c, period, params) : r.predicate(facts, params))) continue;
        if (looksBack(r.rule, facts, profile, month0, before.firstDay)) {
          const earlier = previous[k] ?? (previous[k] = factsAt(profile, before.month, before.firstDay, before.context, slot(k, before.month)));
          if (holds(r, earlier, before.context.params, c, before.period)) continue;
        }
        let dates = monthDates;
        if (!dates) {
          const anchor = anchorOn(r.rule, c);
          const key = `${r.rule.id}\0${anchor?.slice(8, 10)}`;
          if (!perCaseDates.has(key)) perCaseDates.set(key, taskDates(r.rule, period, calendar, input.pack.events, undefined, anchor));
          dates = perCaseDates.get(key);
          if (!dates) continue;
        }
        const reasons = r.facts.length === 0 && !r.anchored ? activeReason : because(r, c, period, facts, params, active);
        const role = roles[i]!;
        // buildTask's shape and assignee, inline (test/planner/plan.test.ts holds the two equal).
        (targets[i] ?? bucket(dates.dueOn, r.rule.id, period)).push({
          taskId: prefixes[i]! + c.caseId, unitId: unit.id, ruleId: r.rule.id, ruleVersion: r.loaded.version, caseId: c.caseId, period,
          createOn: dates.createOn, dueOn: dates.dueOn, assigneeRole: role,
          assignee: role === 'socialsekreterare' ? c.socialsekreterare : role === 'bidragshandlaggare' ? c.bidragshandlaggare : unitAssignees[i]!,
          because: reasons,
        });
      }
    }
    previous = current;
  }

  const tasks: PlannedTask[] = [];
  for (const key of [...buckets.keys()].sort()) {
    const { tasks: inBucket, periods } = buckets.get(key)!;
    // Tasks of one period are already in case order; several periods with one due date are merged.
    if (periods.size > 1) inBucket.sort((a, b) => compare(a.caseId ?? '', b.caseId ?? '') || compare(a.period, b.period));
    for (const task of inBucket) tasks.push(task);
  }
  return tasks;
}
