// The internal-control plan: validated like the rules, every error with file, path and line.
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access -- plans edited as plain JSON */
import { describe, expect, it } from 'vitest';
import { rulesDir } from '../../src/platform/paths.js';
import { readRuleFiles } from '../../src/rules/files.js';
import { formatError, loadRulePack } from '../../src/rules/load.js';
import { controlsOf, planFor, planYears, riskValue } from '../../src/internkontroll/plan.js';

async function withPlan(edit: (plan: Record<string, any>) => void): Promise<{ errors: string[]; text: string }> {
  const files = await readRuleFiles(rulesDir);
  const original = files.find((f) => f.path.endsWith('plan-2027.json'))!;
  const plan = JSON.parse(original.text) as Record<string, any>;
  edit(plan);
  const text = `${JSON.stringify(plan, null, 2)}\n`;
  const { errors } = loadRulePack(files.map((f) => (f === original ? { ...f, text } : f)));
  return { errors: errors.map(formatError), text };
}

const lineOf = (text: string, needle: string, from = 0) => text.split('\n').findIndex((line, i) => i >= from && line.includes(needle)) + 1;

describe('the internal-control plan', () => {
  it('is valid as shipped: risks scored, each control with a method, the reviewed rules in the pack', async () => {
    const { pack, errors } = loadRulePack(await readRuleFiles(rulesDir));
    expect(errors).toEqual([]);
    const [plan] = pack.plans;
    expect(plan!.plan.year).toBe(2027);
    expect(controlsOf(plan!.plan).map((c) => c.id)).toEqual([
      'payout-sample', 'infotorg-review', 'tax-return-review', 'work-plan-review', 'four-eyes', 'file-audit', 'fut-sample-check', 'fut-after-check',
      // The revised domain file: young adults contacted before closing, and KU 2015's own risks, met by the management's unit tasks.
      'young-adult-contact', 'tertial-plan-follow-up', 'flexitime-check', 'sick-leave-check', 'budget-check', 'lex-sarah-routines',
      // Issue 26: the access log reviewed by a monthly sample of its records (loggkontroll).
      'access-log-review',
    ]);
    expect(plan!.plan.risks.map(riskValue)).toEqual([15, 9, 8, 9, 10, 9, 8, 12, 6, 6, 9, 8, 10, 10]);
    // FUT work by the FUT-utredare, the deputy head where the unit has none; the file audit in September.
    const byId = new Map(controlsOf(plan!.plan).map((c) => [c.id, c]));
    expect(['fut-sample-check', 'fut-after-check'].map((id) => [byId.get(id)!.responsibleRole, byId.get(id)!.fallbackRole])).toEqual([['fut-utredare', 'bitradande-enhetschef'], ['fut-utredare', 'bitradande-enhetschef']]);
    expect(byId.get('file-audit')!.month).toBe(9);
    expect(byId.get('file-audit')!.checklist.join(' ')).toMatch(/"Barn".*barnperspektivet/);
    expect(byId.get('young-adult-contact')!.ages).toEqual({ min: 18, max: 24 });
    expect(byId.get('access-log-review')).toMatchObject({ method: 'sample', frequency: 'monthly', population: 'access-records', sampleSize: { count: 10 } });
    expect(byId.get('access-log-review')!.risk.reference!.join(' ')).toMatch(/SFS 2009:400.*26 kap\. 1 §.*2016\/679.*art\. 32/);
  });

  it('samples the access log\'s records without strata, reviewed rules or a month of its own', async () => {
    const at = (plan: Record<string, any>): Record<string, any> => (plan.risks as { id: string; controls: Record<string, any>[] }[]).find((r) => r.id === 'unauthorised-access')!.controls[0]!;
    const stratified = await withPlan((plan) => (at(plan).stratify = 'caseworker'));
    expect(stratified.errors).toEqual([expect.stringMatching(/plan-2027\.json:\d+ .*\.stratify: åtkomstloggens poster fördelas inte på handläggare/)]);
    const reviewing = await withPlan((plan) => Object.assign(at(plan), { method: 'round-review', ruleId: 'infotorg-check-sep' }));
    expect(reviewing.errors).toEqual([
      expect.stringMatching(/\.method: åtkomstloggens poster granskas som ett stickprov/),
      expect.stringMatching(/\.ruleId: en granskning av åtkomstloggen granskar ingen regel/),
    ]);
    const yearly = await withPlan((plan) => Object.assign(at(plan), { frequency: 'yearly', month: 3 }));
    expect(yearly.errors).toEqual([expect.stringMatching(/\.month: åtkomstloggens stickprov dras när perioden är slut/)]);
  });

  it('refuses files per caseworker without stratification, and after-checks on an årshjul review', async () => {
    const audit = await withPlan((plan) => delete plan.risks[5].controls[0].stratify);
    expect(audit.errors).toEqual([expect.stringMatching(/plan-2027\.json:\d+ .*perCaseworker kräver "stratify": "caseworker"/)]);
    const review = await withPlan((plan) => (plan.risks[1].controls[0].population = 'closed'));
    expect(review.errors).toEqual([expect.stringMatching(/plan-2027\.json:\d+ .*ta bort population/)]);
  });

  it('rejects a score outside 1–5', async () => {
    const { errors, text } = await withPlan((plan) => (plan.risks[1].consequence = 7));
    expect(errors).toEqual([`rules/internkontroll/plan-2027.json:${lineOf(text, '"consequence": 7')} $.risks[1].consequence: 7 är för stort: högst 5`]);
  });

  it('rejects a control without a method', async () => {
    const { errors, text } = await withPlan((plan) => delete plan.risks[0].controls[0].method);
    expect(errors).toEqual([`rules/internkontroll/plan-2027.json:${lineOf(text, '"id": "payout-sample"') - 1} $.risks[0].controls[0]: fältet "method" saknas: lägg till det`]);
  });

  it('rejects a sample size larger than allowed', async () => {
    const { errors, text } = await withPlan((plan) => (plan.risks[4].controls[0].sampleSize = { count: 500 }));
    expect(errors).toEqual([`rules/internkontroll/plan-2027.json:${lineOf(text, '"count": 500')} $.risks[4].controls[0].sampleSize.count: 500 är för stort: högst 100`]);
  });

  it('rejects a review of a rule that is not in the pack', async () => {
    const { errors, text } = await withPlan((plan) => (plan.risks[1].controls[0].ruleId = 'infotorg-check-oct'));
    expect(errors).toEqual([`rules/internkontroll/plan-2027.json:${lineOf(text, '"ruleId": "infotorg-check-oct"')} $.risks[1].controls[0].ruleId: regeln "infotorg-check-oct" finns inte i regelpaketet`]);
  });

  it('holds a unit\'s own plan for that unit alone: the demo unit\'s 2026 plan, the common 2027 plan for every unit', async () => {
    const { pack, errors } = loadRulePack(await readRuleFiles(rulesDir));
    expect(errors).toEqual([]);
    // The common plans come first; the demo unit's own after them.
    expect(pack.plans.map((p) => [p.file, p.plan.year, p.plan.units])).toEqual([
      ['rules/internkontroll/plan-2027.json', 2027, undefined],
      ['rules/internkontroll/plan-2026-demo-eb.json', 2026, ['demo-eb']],
    ]);
    expect(planFor(pack.plans, 2026, 'demo-eb')!.title).toBe('Internkontrollplan 2026, Demoenheten för ekonomiskt bistånd');
    expect(planFor(pack.plans, 2026, 'skarholmen-eb')).toBeUndefined();
    expect(planFor(pack.plans, 2027, 'skarholmen-eb')!.year).toBe(2027);
    expect(planFor(pack.plans, 2027, 'demo-eb')!.year).toBe(2027);
    expect(planYears(pack.plans, 'demo-eb')).toEqual([2026, 2027]);
    expect(planYears(pack.plans, 'skarholmen-eb')).toEqual([2027]);
  });

  it('puts a unit\'s own plan before the common plan of its year, and refuses two plans of a year for one unit', async () => {
    const files = await readRuleFiles(rulesDir);
    const common = files.find((f) => f.path.endsWith('plan-2027.json'))!;
    const own = (units: string[], name: string, title: string) => {
      const plan = JSON.parse(common.text) as Record<string, any>;
      Object.assign(plan, { title, units });
      return { path: `rules/internkontroll/${name}`, text: `${JSON.stringify(plan, null, 2)}\n` };
    };
    const a = own(['skarholmen-eb'], 'plan-2027-skarholmen-eb.json', 'Skärholmens plan 2027');
    const ok = loadRulePack([...files, a]);
    expect(ok.errors).toEqual([]);
    expect(planFor(ok.pack.plans, 2027, 'skarholmen-eb')!.title).toBe('Skärholmens plan 2027');
    expect(planFor(ok.pack.plans, 2027, 'demo-eb')!.title).toBe('Internkontrollplan 2027, ekonomiskt bistånd');

    const twice = loadRulePack([...files, a, own(['farsta-eb', 'skarholmen-eb'], 'plan-2027-farsta-eb.json', 'Farstas och Skärholmens plan 2027')]);
    expect(twice.errors.map(formatError)).toEqual([expect.stringMatching(/plan-2027-skarholmen-eb\.json:\d+ \$\.units: det finns redan en plan för 2027 för skarholmen-eb/)]);
    const misnamed = loadRulePack([...files, own(['skarholmen-eb'], 'plan-2027-farsta-eb.json', 'Fel fil')]);
    expect(misnamed.errors.map(formatError)).toEqual([expect.stringMatching(/plan-2027-farsta-eb\.json:\d+ \$\.year: enhetens plan för 2027 ska ligga i filen plan-2027-skarholmen-eb\.json/)]);
    const badUnit = loadRulePack([...files, own(['Skärholmen'], 'plan-2027-Skärholmen.json', 'Fel enhet')]);
    expect(badUnit.errors.map(formatError)).toEqual([expect.stringMatching(/plan-2027-Skärholmen\.json:\d+ \$\.units\[0\]/)]);
  });
});
