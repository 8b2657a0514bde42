// The reference pack's controls written by hand in TypeScript, for the planner benchmark only:
// the yardstick that shows what compiling the rule files costs. Production plans with src/planner.
import type { Case, CaseFile } from '../src/cases/caseFile.js';
import { firstBusinessDay, lastBusinessDay } from '../src/calendar/businessDays.js';
import { lastDayOfMonth, monthRange } from '../src/calendar/months.js';
import { activeIn, caseFacts, factDefinitions, type Facts } from '../src/rules/facts.js';
import type { PlannedTask } from '../src/planner/plan.js';
import { monthName } from '../src/planner/plan.js';
import type { RulePack } from '../src/rules/load.js';

type Role = 'socialsekreterare' | 'bidragshandlaggare';
interface Control {
  id: string;
  role: Role;
  test: (f: Facts) => boolean;
  because: (c: Case, period: string, f: Facts) => string[];
  dueMonth?: number;
}

const active = (_c: Case, period: string) => [`ärendet är aktivt i ${monthName(period)}`];
const explain = (fact: keyof Facts) => (c: Case, period: string, f: Facts) => factDefinitions[fact].explain(c, period, f);
const all = () => true;

const byMonth: Record<number, Control[]> = {
  1: [
    { id: 'annual-statements', role: 'bidragshandlaggare', test: (f) => f.pensionOrSocialInsuranceIncome, because: explain('pensionOrSocialInsuranceIncome') },
    { id: 'infotorg-check-jan', role: 'socialsekreterare', test: all, because: active },
  ],
  2: [
    { id: 'bank-overview', role: 'bidragshandlaggare', test: all, because: active },
    { id: 'visitation-certificate', role: 'socialsekreterare', test: (f) => f.visitingChildren > 0, because: explain('visitingChildren') },
  ],
  3: [{ id: 'tax-return-letter', role: 'bidragshandlaggare', test: all, because: active }],
  4: [{ id: 'graduation-letter', role: 'socialsekreterare', test: (f) => f.membersInLastGymnasiumYear > 0, because: explain('membersInLastGymnasiumYear') }],
  5: [{ id: 'tax-return-check', role: 'bidragshandlaggare', test: all, because: active, dueMonth: 10 }],
  6: [
    { id: 'tax-refund-check-jun', role: 'bidragshandlaggare', test: all, because: active },
    { id: 'graduate-leaves-norm', role: 'bidragshandlaggare', test: (f) => f.membersGraduatingInJune > 0, because: explain('membersGraduatingInJune') },
  ],
  8: [
    { id: 'tax-refund-check-aug', role: 'bidragshandlaggare', test: all, because: active },
    { id: 'graduate-rent-share', role: 'bidragshandlaggare', test: (f) => f.membersGraduatingInJune > 0, because: explain('membersGraduatingInJune') },
  ],
  9: [
    { id: 'study-plan', role: 'socialsekreterare', test: (f) => f.adultsInGymnasium > 0, because: explain('adultsInGymnasium') },
    { id: 'final-tax-assessment', role: 'bidragshandlaggare', test: all, because: active },
    { id: 'infotorg-check-sep', role: 'socialsekreterare', test: all, because: active, dueMonth: 10 },
    { id: 'passport-check', role: 'socialsekreterare', test: (f) => f.passportCheck, because: explain('passportCheck') },
  ],
  11: [{ id: 'diet-certificate', role: 'socialsekreterare', test: (f) => f.kosttillskott, because: explain('kosttillskott') }],
  12: [{ id: 'f-tax-assessment', role: 'bidragshandlaggare', test: (f) => f.fSkatt, because: explain('fSkatt') }],
};
const unitControls: Record<number, { id: string; role: 'administrativ-assistent' | 'bitradande-enhetschef' }> = {
  3: { id: 'tax-return-notice', role: 'administrativ-assistent' },
  6: { id: 'summer-temps-intro', role: 'bitradande-enhetschef' },
};

export function handwrittenPlan(caseFile: CaseFile, pack: RulePack, from: string, to: string): PlannedTask[] {
  const version = new Map(pack.rules.map((r) => [r.rule.id, r.version]));
  const unitId = caseFile.unit.id;
  const firstStaff = (role: string) => caseFile.staff.filter((s) => s.role === role).map((s) => s.id).sort()[0] ?? null;
  const tasks: PlannedTask[] = [];
  const cases = [...caseFile.cases].sort((a, b) => (a.caseId < b.caseId ? -1 : 1));
  for (const period of monthRange(from, to)) {
    const [year, month] = [Number(period.slice(0, 4)), Number(period.slice(5, 7))];
    const createOn = firstBusinessDay(year, month);
    const monthEnd = lastBusinessDay(year, month);
    const unit = unitControls[month];
    if (unit) {
      tasks.push({ taskId: `${unitId}:${unit.id}:${period}:unit`, unitId, ruleId: unit.id, ruleVersion: version.get(unit.id)!, caseId: null, period, createOn, dueOn: monthEnd, assigneeRole: unit.role, assignee: firstStaff(unit.role), because: [`enhetsuppgift i ${monthName(period)}`] });
    }
    const controls = byMonth[month] ?? [];
    const [firstDay, lastDay] = [`${period}-01`, lastDayOfMonth(period)];
    for (const c of cases) {
      if (!activeIn(c, firstDay, lastDay)) continue;
      const f = caseFacts(c, period);
      const push = (id: string, role: Role, dueOn: string, because: string[]) =>
        tasks.push({ taskId: `${unitId}:${id}:${period}:${c.caseId}`, unitId, ruleId: id, ruleVersion: version.get(id)!, caseId: c.caseId, period, createOn, dueOn, assigneeRole: role, assignee: c[role], because });
      for (const control of controls) {
        if (control.test(f)) push(control.id, control.role, control.dueMonth ? lastBusinessDay(year, control.dueMonth) : monthEnd, control.because(c, period, f));
      }
      if (f.monthsSinceWorkPlan !== null && f.monthsSinceWorkPlan > 0 && f.monthsSinceWorkPlan % 3 === 0) {
        push('work-plan-followup', 'socialsekreterare', monthEnd, factDefinitions.monthsSinceWorkPlan.explain(c, period, f));
      }
      if (f.monthsUnemployed === 5) push('fia-assessment', 'socialsekreterare', monthEnd, factDefinitions.monthsUnemployed.explain(c, period, f));
    }
  }
  // tax-return-followup is created by an outcome, never planned.
  return tasks.sort((a, b) => (a.dueOn !== b.dueOn ? (a.dueOn < b.dueOn ? -1 : 1) : a.ruleId !== b.ruleId ? (a.ruleId < b.ruleId ? -1 : 1) : (a.caseId ?? '') < (b.caseId ?? '') ? -1 : 1));
}
