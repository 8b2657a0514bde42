// The reference pack corrected against the units' own plans (issue 16): each correction's dates as
// the domain (docs/domain.md) states them, which the first pack got wrong.
import { describe, expect, it } from 'vitest';
import type { Case } from '../../src/cases/caseFile.js';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { addBusinessDays } from '../../src/calendar/businessDays.js';
import { sweepChunk } from '../../src/cycle/sweep.js';
import { importCaseFile } from '../../src/store/cases.js';
import { plan } from '../../src/planner/plan.js';
import { caseFacts } from '../../src/rules/facts.js';
import { personnummer } from '../../src/cases/personnummer.js';
import { referencePack } from '../helpers/rules.js';
import { freshStore } from '../helpers/store.js';

const unit = syntheticUnit({ households: 20, seed: 5 });
const withPlan = (caseId: string, establishedOn: string): Case => ({
  caseId, openedOn: '2025-01-15', closedOn: null, socialsekreterare: 'ss-01', bidragshandlaggare: 'bh-01',
  members: [{ personId: '19800402-2383', role: 'applicant', birthDate: '1980-04-02' }], incomes: [], workPlan: { establishedOn },
});

describe('the corrected reference pack', () => {
  it('dates a work-plan follow-up three months after the plan by date, created ten business days before', async () => {
    const caseFile = { ...unit, cases: [withPlan('WP-1', '2027-01-02'), withPlan('WP-2', '2026-11-30')] };
    const tasks = plan({ caseFile, pack: await referencePack(), from: '2027-01', to: '2027-12' }).filter((t) => t.ruleId === 'work-plan-followup');
    const dates = tasks.map((t) => [t.caseId, t.period, t.createOn, t.dueOn]);
    // 2 January → 2 April (not 30 April), created ten business days before (Easter in between).
    expect(dates).toContainEqual(['WP-1', '2027-04', '2027-03-17', '2027-04-02']);
    expect(dates).toContainEqual(['WP-1', '2027-07', '2027-06-17', '2027-07-02']);
    // 30 November → 28 February, a Sunday: back to Friday 26 February.
    expect(dates).toContainEqual(['WP-2', '2027-02', '2027-02-12', '2027-02-26']);
    expect(tasks.every((t) => t.createOn < t.dueOn)).toBe(true);
  });

  it('has board cases due 16 business days before each meeting, created at least a week before, in the month before when the meeting is early', async () => {
    const tasks = plan({ caseFile: unit, pack: await referencePack(), from: '2027-01', to: '2027-12' }).filter((t) => t.ruleId === 'board-cases');
    expect(tasks.length).toBe(11);
    for (const task of tasks) expect(addBusinessDays(task.createOn, 5) <= task.dueOn, `${task.period}: ${task.createOn} → ${task.dueOn}`).toBe(true);
    // 17 June's meeting: due Wednesday 26 May, so created in May for the June period.
    expect(tasks.find((t) => t.period === '2027-06')).toMatchObject({ createOn: '2027-05-12', dueOn: '2027-05-26' });
  });

  it('says revidering and the documents\' full names, and has the staff-survey action plan due 28 January', async () => {
    const pack = await referencePack();
    const title = (id: string) => pack.rules.find((r) => r.rule.id === id)!.rule.title;
    expect(pack.rules.filter((r) => /personalakt/i.test(`${r.rule.title} ${r.rule.instructions}`)).map((r) => r.rule.id)).toEqual([]);
    expect(['delegation-order-review', 'lex-sarah-review', 'staffing-plan-review', 'continuity-plan-review'].map(title)).toEqual([
      'Revidering av delegationsordningen', 'Revidering av rutinerna för lex Sarah', 'Revidering av kompetens- och bemanningsplanen', 'Revidering av avbrotts- och kontinuitetsplanen',
    ]);
    const survey = plan({ caseFile: unit, pack, from: '2027-01', to: '2027-12' }).filter((t) => t.ruleId === 'staff-survey-action-plan');
    expect(survey.map((t) => [t.period, t.dueOn])).toEqual([['2027-01', '2027-01-28']]);
  });

  it('offers FIA (Förutsättningar Inför Arbete) once, in the first month after five on assistance in which the applicant is unemployed', async () => {
    const pack = await referencePack();
    const fia = pack.rules.find((r) => r.rule.id === 'fia-assessment')!.rule;
    expect(fia.instructions).toContain('Förutsättningar Inför Arbete');
    expect(fia.completion.outcomes.map((o) => o.id)).toEqual(['offered', 'declined', 'not-relevant']);
    const applicant = (caseId: string, openedOn: string, unemployedSince: string): Case => ({ ...withPlan(caseId, '2020-01-01'), openedOn, unemployedSince, workPlan: null });
    const caseFile = { ...unit, cases: [applicant('LONG', '2025-01-15', '2027-02-01'), applicant('NEW', '2027-01-10', '2026-12-01'), applicant('EARLY', '2026-06-01', '2026-09-01')] };
    const tasks = plan({ caseFile, pack, from: '2026-01', to: '2027-12' }).filter((t) => t.ruleId === 'fia-assessment');
    // On assistance for years, unemployed from February: February (months unemployed gave July).
    // Opened in January: June, once five whole months have passed. Unemployed early: once, in November 2026.
    expect(tasks.map((t) => [t.caseId, t.period]).sort()).toEqual([['EARLY', '2026-11'], ['LONG', '2027-02'], ['NEW', '2027-06']]);
  });

  it('shares the deputy heads\' unit tasks between them, the same way every time', async () => {
    const pack = await referencePack();
    const deputies = unit.staff.filter((s) => s.role === 'bitradande-enhetschef').map((s) => s.id);
    expect(deputies.length).toBe(2);
    const shares = () => {
      const count = new Map<string, number>();
      for (const task of plan({ caseFile: unit, pack, from: '2027-01', to: '2027-12' }).filter((t) => t.caseId === null && t.assigneeRole === 'bitradande-enhetschef')) {
        count.set(task.assignee!, (count.get(task.assignee!) ?? 0) + 1);
      }
      return count;
    };
    const count = shares();
    expect([...count.keys()].sort()).toEqual(deputies.sort());
    const [a, b] = [...count.values()];
    expect(Math.abs(a! - b!)).toBeLessThanOrEqual(Math.ceil((a! + b!) / 4));
    expect(shares()).toEqual(count);
  });

  it('counts gymnasium youths of the household norm only, and gives every gymnasium youth, whatever the age, a study plan', async () => {
    const household = (caseId: string, member: Case['members'][number]): Case => ({ ...withPlan(caseId, '2020-01-01'), workPlan: null, members: [withPlan(caseId, '2020-01-01').members[0]!, member] });
    const caseFile = {
      ...unit,
      cases: [
        // A visiting child in gymnasium belongs to the other parent's norm: no letter, no study plan.
        household('VISIT', { personId: '20090301-1234', role: 'visiting-child', birthDate: '2009-03-01', school: { type: 'gymnasium', expectedGraduation: '2027-06-10' } }),
        // Turns 18 on 20 November 2027, in gymnasium until 2028.
        household('NOV18', { personId: '20091120-1234', role: 'child', birthDate: '2009-11-20', school: { type: 'gymnasium', expectedGraduation: '2028-06-10' } }),
        // Sixteen, in gymnasium until 2029: a study plan too (the domain file's correction).
        household('SIXTEEN', { personId: '20110301-1234', role: 'child', birthDate: '2011-03-01', school: { type: 'gymnasium', expectedGraduation: '2029-06-10' } }),
      ],
    };
    const tasks = plan({ caseFile, pack: await referencePack(), from: '2027-01', to: '2027-12' });
    expect(tasks.filter((t) => t.caseId === 'VISIT' && ['graduation-letter', 'study-plan', 'graduate-leaves-norm'].includes(t.ruleId))).toEqual([]);
    expect(tasks.filter((t) => t.ruleId === 'study-plan').map((t) => [t.caseId, t.period])).toEqual([['NOV18', '2027-09'], ['SIXTEEN', '2027-09']]);
  });

  it('gives each caseworker one case-stock review a month, with the same deputy head every month, split evenly (acceptance 4)', async () => {
    const demo = syntheticUnit({ households: 730, seed: 2027 });
    const caseworkers = demo.staff.filter((s) => s.role === 'socialsekreterare' || s.role === 'bidragshandlaggare').map((s) => s.id).sort();
    const reviews = plan({ caseFile: demo, pack: await referencePack(), from: '2027-01', to: '2027-12' }).filter((t) => t.ruleId === 'case-stock-review');
    for (const month of ['2027-01', '2027-06', '2027-12']) {
      const ofMonth = reviews.filter((t) => t.period === month);
      expect(ofMonth.map((t) => t.taskId.split(':staff-')[1]).sort()).toEqual(caseworkers);
      expect(new Set(ofMonth.map((t) => t.assignee))).toEqual(new Set(['bec-01', 'bec-02']));
    }
    const deputyOf = (month: string) => new Map(reviews.filter((t) => t.period === month).map((t) => [t.taskId.split(':staff-')[1], t.assignee]));
    expect(deputyOf('2027-06')).toEqual(deputyOf('2027-01'));
    const perDeputy = [...deputyOf('2027-01').values()].filter((d) => d === 'bec-01').length;
    expect(Math.abs(perDeputy * 2 - caseworkers.length)).toBeLessThanOrEqual(1);
    expect(reviews[0]!.because[0]).toMatch(/^genomgång med .+ \((ss|bh)-\d+\) i januari 2027$/);
    // Twice a year, all cases with each caseworker.
    expect([...new Set(plan({ caseFile: demo, pack: await referencePack(), from: '2027-01', to: '2027-12' }).filter((t) => t.ruleId === 'all-cases-follow-up').map((t) => t.period))]).toEqual(['2027-03', '2027-09']);
  });

  it('keeps the units\' tertial dates in the demo unit\'s 2027 plan: units 2/4 and 2/8, the department 2/5 (30 April) and 2/9; board cases a week or more (acceptance 3)', async () => {
    const demo = syntheticUnit({ households: 730, seed: 2027 });
    const tasks = plan({ caseFile: demo, pack: await referencePack(), from: '2027-01', to: '2027-12' });
    const due = (ruleId: string) => tasks.filter((t) => t.ruleId === ruleId).map((t) => t.dueOn);
    expect(due('tertial-1-unit')).toEqual(['2027-04-02']);
    expect(due('tertial-2-unit')).toEqual(['2027-08-02']);
    // 2 May 2027 is a Sunday: the last business day before.
    expect(due('tertial-1-final')).toEqual(['2027-04-30']);
    expect(due('tertial-2-final')).toEqual(['2027-09-02']);
    // Written inside the tertial: the unit's report task opens before the tertial ends.
    for (const id of ['tertial-1-unit', 'tertial-2-unit']) for (const t of tasks.filter((x) => x.ruleId === id)) expect(t.createOn < t.dueOn).toBe(true);
    const board = tasks.filter((t) => t.ruleId === 'board-cases');
    expect(board.length).toBeGreaterThan(0);
    for (const t of board) expect(addBusinessDays(t.createOn, 5) <= t.dueOn, `${t.period}: ${t.createOn} → ${t.dueOn}`).toBe(true);
  });

  it('derives the facts: applicant\'s age, homelessness, months on assistance of the last twelve, children under 18, youths for holiday jobs', async () => {
    const { parameters } = await referencePack();
    const c: Case = {
      caseId: 'F-1', openedOn: '2026-10-05', closedOn: null, socialsekreterare: 'ss-01', bidragshandlaggare: 'bh-01', incomes: [],
      flags: { homeless: true },
      members: [
        { personId: '19800402-2383', role: 'applicant', birthDate: '1980-04-02' },
        { personId: personnummer('2017-02-01', 11), role: 'child', birthDate: '2017-02-01' },
        { personId: personnummer('2011-06-01', 12), role: 'child', birthDate: '2011-06-01' },
        { personId: personnummer('2015-06-01', 13), role: 'visiting-child', birthDate: '2015-06-01' },
      ],
    };
    const aug = caseFacts(c, '2027-08', parameters);
    expect(aug.applicantAge).toBe(47);
    expect(aug.homeless).toBe(true);
    // Open from October 2026: October to July, ten of the twelve months before August.
    expect(aug.monthsOnAssistanceLast12).toBe(10);
    expect(aug.children).toBe(2);
    expect(aug.members).toBe(3);
    // Born 2011: turns 16 in 2027 (15–18); born 2017 turns 10; the visiting child does not count.
    expect(caseFacts(c, '2027-05', parameters).youthsForHolidayJobs).toBe(1);
    expect(caseFacts({ ...c, assistanceMonths: ['2027-06', '2027-07', '2025-01'] }, '2027-08', parameters).monthsOnAssistanceLast12).toBe(2);
    expect(caseFacts({ ...c, flags: {} }, '2027-08', parameters).homeless).toBe(false);
  });

  it('plans the revised per-case work: housing information once for a new homeless case, the child impact analysis once, summer jobs in March and winter-break jobs in November', async () => {
    const demo = syntheticUnit({ households: 730, seed: 2027 });
    const pack = await referencePack();
    const tasks = plan({ caseFile: demo, pack, from: '2027-01', to: '2027-12' });
    const periods = (ruleId: string) => [...new Set(tasks.filter((t) => t.ruleId === ruleId).map((t) => t.period))].sort();
    for (const withdrawn of ['homeless-review', 'fritidspeng', 'care-files-check', 'care-files-update']) expect(periods(withdrawn)).toEqual([]);
    expect(periods('summer-jobs')).toEqual(['2027-03']);
    expect(periods('winter-break-jobs')).toEqual(['2027-11']);
    const impact = tasks.filter((t) => t.ruleId === 'child-impact-analysis');
    expect(impact.length).toBeGreaterThan(0);
    expect(new Set(impact.map((t) => t.caseId)).size).toBe(impact.length);
    for (const t of impact) {
      const c = demo.cases.find((x) => x.caseId === t.caseId)!;
      expect(caseFacts(c, t.period, pack.parameters).children).toBeGreaterThan(0);
      expect(caseFacts(c, t.period, pack.parameters).monthsOnAssistanceLast12).toBeGreaterThanOrEqual(10);
    }
    // Housing information: homeless cases opened in the month, and only those.
    const homelessOpened = demo.cases.filter((c) => c.flags?.homeless && c.openedOn >= '2027-01-01').map((c) => [c.caseId, c.openedOn.slice(0, 7)]);
    expect(tasks.filter((t) => t.ruleId === 'homeless-housing-info').map((t) => [t.caseId, t.period]).sort()).toEqual(homelessOpened.sort());
  });

  it('creates next month\'s early task in the sweep of this month', async () => {
    const db = await freshStore('embedded');
    try {
      await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-05-13' });
      const result = await sweepChunk(db, { unitId: unit.unit.id, date: '2027-05-13', pack: await referencePack(), afterCaseId: null, limit: 1000, at: '2027-05-13T04:00:00Z' });
      expect(result.created).toBeGreaterThan(0);
      const june = await db.query<{ create_on: string }>(`SELECT create_on::text FROM tasks WHERE rule_id = 'board-cases' AND period = '2027-06'`);
      expect(june).toEqual([{ create_on: expect.stringMatching(/^2027-05-/) as unknown }]);
    } finally {
      await db.close();
    }
  });
});
