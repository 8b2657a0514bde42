// Indicators as code: validated with the rules, and measured over the store as it was.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseFile } from '../../src/cases/caseFile.js';
import { rulesDir } from '../../src/platform/paths.js';
import { plan } from '../../src/planner/plan.js';
import { meetsTarget } from '../../src/reports/indicators.js';
import { measure } from '../../src/reports/measure.js';
import { readRuleFiles } from '../../src/rules/files.js';
import { formatError, loadRulePack } from '../../src/rules/load.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { recordPack } from '../../src/store/rulePacks.js';
import { insertTasks } from '../../src/store/tasks.js';
import { completeTask } from '../../src/tasks/lifecycle.js';
import { referencePack } from '../helpers/rules.js';
import { exampleCases } from '../helpers/fixtures.js';
import { engines, freshStore } from '../helpers/store.js';

describe('indicator files', () => {
  /** The pack's errors with one indicator edited, and the line of `needle` in the edited file. */
  async function errorsWith(edit: (indicator: Record<string, unknown>) => void, needle: string): Promise<{ errors: string[]; line: number }> {
    let text = '';
    const files = (await readRuleFiles(rulesDir)).map((f) => {
      if (!f.path.endsWith('households-on-assistance.json')) return f;
      const indicator = JSON.parse(f.text) as Record<string, unknown>;
      edit(indicator);
      text = JSON.stringify(indicator, null, 2);
      return { ...f, text };
    });
    const errors = loadRulePack(files).errors.map(formatError);
    return { errors, line: text.split('\n').findIndex((l) => l.includes(needle)) + 1 };
  }

  it('rejects an unknown field, with file, path and line', async () => {
    const { errors, line } = await errorsWith((i) => (i.measur = 'householdsOnAssistance'), '"measur"');
    expect(errors).toEqual([`rules/indicators/households-on-assistance.json:${line} $.measur: okänt fält "measur": ta bort det eller rätta stavningen`]);
  });

  it('rejects a target of the wrong type', async () => {
    const { errors, line } = await errorsWith((i) => (i.target = { value: 'sjuhundra', direction: 'at-most' }), '"sjuhundra"');
    expect(errors).toEqual([`rules/indicators/households-on-assistance.json:${line} $.target.value: ska vara av typen number`]);
  });

  it('rejects an unknown measure', async () => {
    const { errors, line } = await errorsWith((i) => (i.measure = 'happiness'), '"happiness"');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`households-on-assistance\\.json:${line} \\$\\.measure: okänt värde "happiness": tillåtna är householdsOnAssistance,`));
  });
});

describe.each(engines)('indicators measured, store on %s', (engine) => {
  let db: Db;
  const cases: CaseFile = exampleCases();
  beforeEach(async () => {
    db = await freshStore(engine);
    await importCaseFile(db, cases, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-01-04' });
  });
  afterEach(async () => {
    await db.close();
  });

  it('counts households and children as monthly averages, and long-term dependence in adults, in a tertial (issue 16)', async () => {
    const t1 = { unitId: 'exempel-eb', from: '2027-01-01', to: '2027-04-30', asOf: '2027-05-10T00:00:00Z' };
    // EX-0001..0003 active from January, EX-0004 from February; EX-0003 closed in April: 3, 4, 4, 4 a month.
    expect(await measure(db, { ...t1, measure: 'householdsOnAssistance' })).toBe(3.8);
    // Opened before 30 June 2026: EX-0001 (April 2025) and EX-0002 (October 2024), one adult each
    // (EX-0002's child and visiting child are not counted).
    expect(await measure(db, { ...t1, measure: 'adultsDependentOverTenMonths' })).toBe(2);
    expect(await measure(db, { ...t1, measure: 'childrenInHouseholds' })).toBe(1);
    expect(await measure(db, { ...t1, from: '2027-05-01', to: '2027-08-31', measure: 'householdsOnAssistance' })).toBe(3);
  });

  it('counts long-term assistance by months with assistance, and the work plans as a share of the cases open a month, as a recount from the file says', async () => {
    // EX-0001 paid in only six of the twelve months to April; EX-0002 in ten; EX-0004 gets a work plan in March.
    const months = (from: number, n: number) => Array.from({ length: n }, (_, i) => `${from + Math.floor((4 + i) / 12) - 1}-${String(((4 + i) % 12) + 1).padStart(2, '0')}`);
    const changed: CaseFile = {
      ...cases,
      cases: cases.cases.map((c) =>
        c.caseId === 'EX-0001' ? { ...c, assistanceMonths: ['2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04'] }
        : c.caseId === 'EX-0002' ? { ...c, assistanceMonths: months(2027, 12).slice(2) }
        : c.caseId === 'EX-0004' ? { ...c, workPlan: { establishedOn: '2027-03-03' } } : c),
    };
    await importCaseFile(db, changed, { fileName: 'y', fileHash: 'y', importedBy: 'test', full: false, exportDate: '2027-04-30' });
    const t1 = { unitId: 'exempel-eb', from: '2027-01-01', to: '2027-04-30', asOf: '2027-05-10T00:00:00Z' };
    // The recount, made another way: over the file, month by month.
    const window = Array.from({ length: 12 }, (_, i) => { const d = new Date(Date.UTC(2027, 3 - i, 1)); return d.toISOString().slice(0, 7); });
    const activeIn = (c: CaseFile['cases'][number], m: string) => c.openedOn.slice(0, 7) <= m && (!c.closedOn || c.closedOn.slice(0, 7) >= m);
    const longTerm = (threshold: number) => changed.cases.filter((c) => window.some((m) => m >= '2027-01' && activeIn(c, m)))
      .filter((c) => window.filter((m) => (c.assistanceMonths ? c.assistanceMonths.includes(m) : activeIn(c, m))).length >= threshold)
      .flatMap((c) => c.members.filter((m) => m.role === 'applicant' || m.role === 'co-applicant')).length;
    expect(longTerm(10)).toBe(1);
    expect(await measure(db, { ...t1, measure: 'adultsDependentOverTenMonths' })).toBe(longTerm(10));
    const openAMonth = changed.cases.filter((c) => c.openedOn <= '2027-03-30' && (!c.closedOn || c.closedOn >= '2027-04-30'));
    const withPlan = openAMonth.filter((c) => c.workPlan?.establishedOn && c.workPlan.establishedOn <= '2027-04-30');
    expect([withPlan.length, openAMonth.length]).toEqual([1, 3]);
    expect(await measure(db, { ...t1, measure: 'casesWithWorkPlanShare' })).toBeCloseTo(withPlan.length / openAMonth.length, 10);
    // With the parameter at six months, EX-0001's six paid months and EX-0003's nine open ones count too.
    expect(longTerm(6)).toBe(3);
    expect(await measure(db, { ...t1, measure: 'adultsDependentOverTenMonths', longTermMonths: 6 })).toBe(longTerm(6));
  });

  it('measures control completion as it was on a date, from the events\' times', async () => {
    const pack = await referencePack();
    await db.transaction(async (tx) => {
      await recordPack(tx, pack);
      await insertTasks(tx, plan({ caseFile: cases, pack, from: '2027-01', to: '2027-01' }).filter((t) => t.caseId !== null), '2027-01-04T06:00:00Z');
    });
    await completeTask(db, { taskId: 'exempel-eb:infotorg-check-jan:2027-01:EX-0001', outcome: 'ok', note: 'Registerkontroll gjord.', actor: 'ss-1', at: '2027-01-20T10:00:00Z' });
    const january = { unitId: 'exempel-eb', measure: 'controlCompletionRate' as const, from: '2027-01-01', to: '2027-01-31' };
    // Six tasks fall due in January: the årsbesked and the register check of each of three active cases.
    expect(await measure(db, { ...january, asOf: '2027-01-19T00:00:00Z' })).toBe(0);
    expect(await measure(db, { ...january, asOf: '2027-02-01T00:00:00Z' })).toBeCloseTo(1 / 6, 10);
    const indicator = pack.indicators.find((i) => i.indicator.id === 'control-completion')!.indicator;
    expect(meetsTarget(indicator, 1 / 6)).toBe(false);
    expect(meetsTarget(indicator, 0.96)).toBe(true);
  });
});
