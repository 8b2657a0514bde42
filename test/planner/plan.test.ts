// The planner's rules beyond the shared example: validity dates, date expressions, anchors,
// follow-ups, unit tasks, and determinism.
import { describe, expect, it } from 'vitest';
import type { CaseFile } from '../../src/cases/caseFile.js';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { buildTask, plan } from '../../src/planner/plan.js';
import { exampleCases } from '../helpers/fixtures.js';
import { loadRulePack } from '../../src/rules/load.js';
import { packOf, parameterFiles, referencePack, ruleFile, testRule } from '../helpers/rules.js';

const unitFile: CaseFile = { ...exampleCases(), cases: [exampleCases().cases[0]!] };

describe('plan', () => {
  it('is a pure function: the same inputs give the same tasks and ids', async () => {
    const pack = await referencePack();
    const caseFile = syntheticUnit({ households: 200, seed: 3 });
    const first = plan({ caseFile, pack, from: '2027-01', to: '2027-12' });
    const shuffled = { ...caseFile, cases: [...caseFile.cases].reverse() };
    expect(plan({ caseFile: shuffled, pack, from: '2027-01', to: '2027-12' })).toEqual(first);
    expect(new Set(first.map((t) => t.taskId)).size).toBe(first.length);
  });

  it('switches between two versions of a rule on the date a law changes', () => {
    const { pack, errors } = loadRulePack([
      ruleFile(testRule({ id: 'activity-check', validTo: '2027-06-30', when: { months: [6, 7] } })),
      ruleFile(testRule({ id: 'activity-check', validFrom: '2027-07-01', when: { months: [6, 7] }, dueOn: { businessDaysAfterCreate: 5 } }), 'activity-check@2027-07-01'),
      ...parameterFiles(),
    ]);
    expect(errors).toEqual([]);
    const tasks = plan({ caseFile: unitFile, pack, from: '2027-05', to: '2027-08' });
    expect(tasks.map((t) => [t.period, t.dueOn])).toEqual([
      ['2027-06', '2027-06-30'],
      ['2027-07', '2027-07-08'],
    ]);
    expect(tasks[0]!.ruleVersion).not.toBe(tasks[1]!.ruleVersion);
  });

  it('resolves fixed dates, rolled to a business day either way, and named months in the next year', () => {
    const pack = packOf([
      testRule({ id: 'fixed-next', when: { months: [5] }, createOn: { date: '05-01' }, dueOn: { date: '05-02' } }),
      testRule({ id: 'fixed-back', when: { months: [12] }, dueOn: { date: '12-24', roll: 'previous' } }),
      testRule({ id: 'into-next-year', when: { months: [11] }, dueOn: { businessDay: 'first', month: 1 } }),
    ]);
    const tasks = plan({ caseFile: unitFile, pack, from: '2027-01', to: '2027-12' });
    const by = (id: string) => tasks.find((t) => t.ruleId === id)!;
    expect([by('fixed-next').createOn, by('fixed-next').dueOn]).toEqual(['2027-05-03', '2027-05-03']);
    expect(by('fixed-back').dueOn).toBe('2027-12-23');
    expect(by('into-next-year').dueOn).toBe('2028-01-03');
  });

  it('plans follow-up rules only through their trigger, never by month', async () => {
    const pack = await referencePack();
    const tasks = plan({ caseFile: syntheticUnit({ households: 100 }), pack, from: '2027-01', to: '2027-12' });
    expect(tasks.some((t) => t.ruleId === 'tax-return-followup')).toBe(false);
    expect(tasks.some((t) => t.ruleId === 'tax-return-check')).toBe(true);
  });

  it('anchors work-plan follow-ups every third month and FIA once, explaining why', async () => {
    const pack = await referencePack();
    const c = { ...unitFile.cases[0]!, workPlan: { establishedOn: '2026-11-20' }, unemployedSince: '2027-04-15' };
    const tasks = plan({ caseFile: { ...unitFile, cases: [c] }, pack, from: '2027-01', to: '2027-12' });
    expect(tasks.filter((t) => t.ruleId === 'work-plan-followup').map((t) => t.period)).toEqual(['2027-02', '2027-05', '2027-08', '2027-11']);
    const fia = tasks.filter((t) => t.ruleId === 'fia-assessment');
    // The first month both hold: open five whole months (long since) and unemployed (from April).
    expect(fia.map((t) => t.period)).toEqual(['2027-04']);
    expect(fia[0]!.because).toEqual(['ärendet öppnades 2025-04-01, 24 månader sedan', 'arbetslös sedan 2027-04-15, 0 månader']);
  });

  it('gives unit tasks to the unit role, one per unit, and ends their id in :unit; a staff task in staff-<id>', async () => {
    const pack = await referencePack();
    const staffScope = new Set(pack.rules.filter((r) => r.rule.scope === 'staff').map((r) => r.rule.id));
    const all = plan({ caseFile: syntheticUnit({ households: 50 }), pack, from: '2027-03', to: '2027-03' }).filter((t) => t.caseId === null);
    const unitTasks = all.filter((t) => !staffScope.has(t.ruleId));
    expect(unitTasks.every((t) => t.taskId.endsWith(':2027-03:unit'))).toBe(true);
    expect(all.filter((t) => staffScope.has(t.ruleId)).every((t) => /:2027-03:staff-(ss|bh)-\d+$/.test(t.taskId))).toBe(true);
    const tasks = unitTasks.filter((t) => t.ruleId === 'tax-return-notice');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ ruleId: 'tax-return-notice', taskId: 'demo-eb:tax-return-notice:2027-03:unit', assignee: 'adm-01', assigneeRole: 'administrativ-assistent' });
  });

  it('builds each case task as buildTask does, the one shape the sweep and follow-ups use', async () => {
    const pack = await referencePack();
    const caseFile = syntheticUnit({ households: 60, seed: 9 });
    const tasks = plan({ caseFile, pack, from: '2027-01', to: '2027-12' }).filter((t) => t.caseId !== null);
    expect(tasks.length).toBeGreaterThan(500);
    for (const task of tasks) {
      const loaded = pack.rules.find((r) => r.rule.id === task.ruleId && r.version === task.ruleVersion)!;
      const subject = caseFile.cases.find((c) => c.caseId === task.caseId)!;
      expect(buildTask({ unitId: caseFile.unit.id, staff: caseFile.staff, rule: loaded, subject, period: task.period, dates: task, because: task.because })).toEqual(task);
    }
  });

  it('gives a FUT-utredare\'s or arbetskonsulent\'s task to the fallback role in a unit without one', () => {
    const pack = packOf([
      testRule({ id: 'fut-work', scope: 'unit', when: { months: [3] }, assignee: { role: 'fut-utredare', fallback: 'bitradande-enhetschef' } }),
      testRule({ id: 'job-work', scope: 'unit', when: { months: [3] }, assignee: { role: 'arbetskonsulent', fallback: 'bitradande-enhetschef' } }),
    ]);
    const without = plan({ caseFile: unitFile, pack, from: '2027-03', to: '2027-03' });
    expect(without.map((t) => [t.ruleId, t.assigneeRole, t.assignee])).toEqual([['fut-work', 'bitradande-enhetschef', 'bec-1'], ['job-work', 'bitradande-enhetschef', 'bec-1']]);
    const withFut = { ...unitFile, staff: [...unitFile.staff, { id: 'fut-1', name: 'FUT-utredare Ett', role: 'fut-utredare' as const, email: 'fut-1@example.se' }] };
    expect(plan({ caseFile: withFut, pack, from: '2027-03', to: '2027-03' }).map((t) => [t.ruleId, t.assigneeRole, t.assignee])).toEqual([
      ['fut-work', 'fut-utredare', 'fut-1'], ['job-work', 'bitradande-enhetschef', 'bec-1'],
    ]);
  });
});
