// The reference pack's caseworker controls (rules/handlaggning/) written by hand in TypeScript, for
// the planner benchmark only: the yardstick that shows what compiling the rule files costs, and an
// independent check that the compiled planner plans the same tasks. Production plans with src/planner.
import type { Case, CaseFile } from '../src/cases/caseFile.js';
import { firstBusinessDay, lastBusinessDay, rollToBusinessDay, subtractBusinessDays } from '../src/calendar/businessDays.js';
import { lastDayOfMonth, monthFromIndex, monthIndex, monthRange } from '../src/calendar/months.js';
import { activeInMonth, caseProfile, factContext, factDefinitions, factsAt, type CaseProfile, type FactName, type Facts } from '../src/rules/facts.js';
import type { ParameterValues } from '../src/rules/parameters.js';
import type { PlannedTask } from '../src/planner/plan.js';
import { monthName } from '../src/planner/plan.js';
import type { RulePack } from '../src/rules/load.js';

type Role = 'socialsekreterare' | 'bidragshandlaggare';
interface Control {
  id: string;
  role: Role;
  /** The facts the rule's conditions read, in order: its `because`. */
  facts: FactName[];
  test: (f: Facts, p: ParameterValues) => boolean;
  /** Due on the last business day of this month (default: the task's), or on 15 April. */
  dueMonth?: number;
  dueApril15?: boolean;
}

const all = () => true;
const byMonth: Record<number, Control[]> = {
  1: [
    { id: 'annual-statements', role: 'bidragshandlaggare', facts: [], test: all },
    { id: 'infotorg-check-jan', role: 'socialsekreterare', facts: [], test: all },
  ],
  2: [
    { id: 'bank-overview', role: 'bidragshandlaggare', facts: [], test: all },
    { id: 'visitation-certificate', role: 'socialsekreterare', facts: ['visitingChildren'], test: (f) => f.visitingChildren > 0 },
  ],
  3: [
    { id: 'tax-return-letter', role: 'bidragshandlaggare', facts: [], test: all },
    { id: 'summer-jobs', role: 'socialsekreterare', facts: ['youthsForHolidayJobs'], test: (f) => f.youthsForHolidayJobs >= 1, dueApril15: true },
  ],
  4: [
    { id: 'graduation-letter', role: 'socialsekreterare', facts: ['membersInLastGymnasiumYear'], test: (f) => f.membersInLastGymnasiumYear > 0 },
    { id: 'tax-refund-check-apr', role: 'bidragshandlaggare', facts: [], test: all },
  ],
  5: [{ id: 'tax-return-check', role: 'bidragshandlaggare', facts: [], test: all, dueMonth: 10 }],
  6: [
    { id: 'tax-refund-check-jun', role: 'bidragshandlaggare', facts: [], test: all },
    { id: 'graduate-leaves-norm', role: 'bidragshandlaggare', facts: ['membersGraduatingInJune'], test: (f) => f.membersGraduatingInJune > 0 },
  ],
  8: [
    { id: 'tax-refund-check-aug', role: 'bidragshandlaggare', facts: [], test: all },
    { id: 'graduate-rent-share', role: 'bidragshandlaggare', facts: ['membersGraduatingInJune'], test: (f) => f.membersGraduatingInJune > 0 },
  ],
  9: [
    { id: 'study-plan', role: 'socialsekreterare', facts: ['gymnasiumYouths'], test: (f) => f.gymnasiumYouths >= 1 },
    { id: 'final-tax-assessment', role: 'bidragshandlaggare', facts: [], test: all },
    { id: 'infotorg-check-sep', role: 'socialsekreterare', facts: [], test: all, dueMonth: 10 },
    { id: 'passport-check', role: 'socialsekreterare', facts: ['passportCheck'], test: (f) => f.passportCheck },
  ],
  11: [
    { id: 'diet-certificate', role: 'socialsekreterare', facts: ['kosttillskott'], test: (f) => f.kosttillskott },
    { id: 'winter-break-jobs', role: 'socialsekreterare', facts: ['youthsForHolidayJobs'], test: (f) => f.youthsForHolidayJobs >= 1 },
  ],
  12: [
    { id: 'f-tax-assessment', role: 'bidragshandlaggare', facts: ['fSkatt'], test: (f) => f.fSkatt },
    { id: 'tax-refund-check-dec', role: 'bidragshandlaggare', facts: [], test: all },
  ],
};

/** Once per case, in the first month the test holds: valid from, the facts, the test. */
const onceControls: (Control & { validFrom?: string; validTo?: string })[] = [
  {
    id: 'child-impact-analysis', role: 'socialsekreterare', facts: ['children', 'monthsOnAssistanceLast12'],
    test: (f, p) => f.children >= 1 && f.monthsOnAssistanceLast12 >= p['long-term-assistance-months']!,
  },
  {
    id: 'activity-requirement-plan', role: 'socialsekreterare', facts: ['adultsOfWorkingAge', 'incomes', 'hasActivityPlan'], validFrom: '2026-07-01',
    test: (f) => f.adultsOfWorkingAge >= 1 && !f.incomes.includes('sjukersattning') && !f.incomes.includes('aktivitetsersattning') && !f.hasActivityPlan,
  },
  {
    id: 'benefit-ceiling-review', role: 'bidragshandlaggare', facts: ['children', 'members'], validFrom: '2027-01-01', validTo: '2027-12-31',
    test: (f, p) => f.children >= p['benefit-ceiling-children']! || f.members >= p['benefit-ceiling-members']!,
  },
];

const unitControls: Record<number, { id: string; role: 'administrativ-assistent' | 'bitradande-enhetschef' }> = {
  3: { id: 'tax-return-notice', role: 'administrativ-assistent' },
  6: { id: 'summer-temps-intro', role: 'bitradande-enhetschef' },
};

/** The anchor's day in the month (its last day when shorter), back to a business day. */
function anchorDay(period: string, anchor: string): string {
  const last = lastDayOfMonth(period);
  const day = `${period}-${anchor.slice(8, 10)}`;
  return rollToBusinessDay(day < last ? day : last, 'previous');
}

export function handwrittenPlan(caseFile: CaseFile, pack: RulePack, from: string, to: string): PlannedTask[] {
  const version = new Map(pack.rules.map((r) => [r.rule.id, r.version]));
  const unitId = caseFile.unit.id;
  // Several of a role (two deputy heads) take unit tasks in turn, by month and rule.
  const inTurn = (role: string, ruleId: string, period: string) => {
    const people = caseFile.staff.filter((s) => s.role === role).map((s) => s.id).sort();
    let offset = 0;
    for (const char of ruleId) offset = (offset * 31 + char.charCodeAt(0)) % 9973;
    return people.length ? people[(monthIndex(period) + offset) % people.length]! : null;
  };
  const tasks: PlannedTask[] = [];
  const profiles = [...caseFile.cases].sort((a, b) => (a.caseId < b.caseId ? -1 : 1)).map(caseProfile);
  const factsIn = (profile: CaseProfile, month: number) => {
    const day = `${monthFromIndex(month)}-01`;
    const context = factContext(pack.parameters, day);
    return { facts: factsAt(profile, month, day, context), params: context.params };
  };
  for (const period of monthRange(from, to)) {
    const [year, monthOfYear] = [Number(period.slice(0, 4)), Number(period.slice(5, 7))];
    const month = monthIndex(period);
    const firstDay = `${period}-01`;
    const createOn = firstBusinessDay(year, monthOfYear);
    const monthEnd = lastBusinessDay(year, monthOfYear);
    const unit = unitControls[monthOfYear];
    if (unit) {
      tasks.push({ taskId: `${unitId}:${unit.id}:${period}:unit`, unitId, ruleId: unit.id, ruleVersion: version.get(unit.id)!, caseId: null, period, createOn, dueOn: monthEnd, assigneeRole: unit.role, assignee: inTurn(unit.role, unit.id, period), because: [`enhetsuppgift i ${monthName(period)}`] });
    }
    const controls = byMonth[monthOfYear] ?? [];
    const context = factContext(pack.parameters, firstDay);
    const active = [`ärendet är aktivt i ${monthName(period)}`];
    for (const profile of profiles) {
      if (!activeInMonth(profile, month)) continue;
      const c: Case = profile.c;
      const f = factsAt(profile, month, firstDay, context);
      const p = context.params;
      const explain = (names: FactName[]) => (names.length ? names.flatMap((name) => factDefinitions[name].explain(c, period, f, p)) : active);
      const push = (id: string, role: Role, because: string[], dueOn = monthEnd, created = createOn) =>
        tasks.push({ taskId: `${unitId}:${id}:${period}:${c.caseId}`, unitId, ruleId: id, ruleVersion: version.get(id)!, caseId: c.caseId, period, createOn: created, dueOn, assigneeRole: role, assignee: c[role], because });
      for (const control of controls) {
        if (!control.test(f, p)) continue;
        const dueOn = control.dueApril15 ? rollToBusinessDay(`${year}-04-15`, 'next') : control.dueMonth ? lastBusinessDay(year, control.dueMonth) : monthEnd;
        push(control.id, control.role, explain(control.facts), dueOn);
      }
      for (const control of onceControls) {
        if ((control.validFrom && firstDay < control.validFrom) || (control.validTo && firstDay > control.validTo) || !control.test(f, p)) continue;
        const before = month - 1;
        const beforeCounts = activeInMonth(profile, before) && (!control.validFrom || `${monthFromIndex(before)}-01` >= control.validFrom);
        if (beforeCounts) {
          const earlier = factsIn(profile, before);
          if (control.test(earlier.facts, earlier.params)) continue;
        }
        push(control.id, control.role, explain(control.facts));
      }
      // Every third month from the work plan, and from the activity requirement's plan (from July 2026): due on the plan's day.
      const followUp = (id: string, months: number | null, anchor: string | null | undefined, fact: FactName) => {
        if (months === null || months <= 0 || months % 3 !== 0 || !anchor) return;
        const dueOn = anchorDay(period, anchor);
        push(id, 'socialsekreterare', factDefinitions[fact].explain(c, period, f, p), dueOn, subtractBusinessDays(dueOn, 10));
      };
      followUp('work-plan-followup', f.monthsSinceWorkPlan, c.workPlan?.establishedOn, 'monthsSinceWorkPlan');
      if (firstDay >= '2026-07-01') followUp('activity-requirement-follow-up', f.monthsSinceActivityPlan, c.activityPlan?.establishedOn, 'monthsSinceActivityPlan');
      if (f.monthsSinceOpened === 1 && !f.hasWorkPlan) push('work-plan-missing', 'socialsekreterare', [...factDefinitions.monthsSinceOpened.explain(c, period, f, p), ...explain(['hasWorkPlan'])]);
      if (f.monthsSinceOpened === 0 && f.homeless) push('homeless-housing-info', 'socialsekreterare', [...factDefinitions.monthsSinceOpened.explain(c, period, f, p), ...explain(['homeless'])]);
      if (f.monthsUntilRiktalder === 3) push('pension-age-applications', 'bidragshandlaggare', explain(['monthsUntilRiktalder']));
      // FIA: from five months after opening, the first month the applicant is unemployed.
      if (f.monthsSinceOpened >= 5 && f.monthsUnemployed !== null && f.monthsUnemployed >= 0) {
        const heldBefore = f.monthsSinceOpened - 1 >= 5 && (factsIn(profile, month - 1).facts.monthsUnemployed ?? -1) >= 0;
        if (!heldBefore) push('fia-assessment', 'socialsekreterare', [...factDefinitions.monthsSinceOpened.explain(c, period, f, p), ...explain(['monthsUnemployed'])]);
      }
    }
  }
  // tax-return-followup is created by an outcome, never planned.
  const key = (t: PlannedTask) => [t.dueOn, t.ruleId, t.caseId ?? '', t.period].join('\u0000');
  return tasks.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
