// The compiled conditions against json-rules-engine, the reference interpreter: the same cases,
// the same rules, the same months must give identical task sets.
import { describe, expect, it } from 'vitest';
import type { CaseFile } from '../../src/cases/caseFile.js';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { monthFromIndex, monthIndex, monthRange } from '../../src/calendar/months.js';
import { plan, type PlannedTask } from '../../src/planner/plan.js';
import { caseFacts, factContext } from '../../src/rules/facts.js';
import type { RulePack } from '../../src/rules/load.js';
import { referenceHolds } from '../../src/rules/reference.js';
import { packOf, referencePack, testRule } from '../helpers/rules.js';

async function referencePlan(caseFile: CaseFile, pack: RulePack, from: string, to: string): Promise<PlannedTask[]> {
  const verdicts = new Map<string, boolean>();
  // From the month before: a rule created in the first month its conditions hold looks one back.
  for (const period of monthRange(monthFromIndex(monthIndex(`${from}-01`) - 1), to)) {
    for (const c of caseFile.cases) {
      const facts = caseFacts(c, period, pack.parameters);
      const { params } = factContext(pack.parameters, `${period}-01`);
      for (const { rule } of pack.rules) verdicts.set(`${rule.id}|${c.caseId}|${period}`, await referenceHolds(rule, facts, params));
    }
  }
  return plan({ caseFile, pack, from, to, evaluate: (r, _facts, c, period) => verdicts.get(`${r.rule.id}|${c.caseId}|${period}`)! });
}

describe('compiled conditions agree with json-rules-engine', () => {
  it('on the reference pack over a synthetic unit for a year', async () => {
    const caseFile = syntheticUnit({ households: 150, seed: 7 });
    const pack = await referencePack();
    const compiled = plan({ caseFile, pack, from: '2027-01', to: '2027-12' });
    expect(compiled.length).toBeGreaterThan(1000);
    expect(compiled).toEqual(await referencePlan(caseFile, pack, '2027-01', '2027-12'));
  });

  it('on every operator, nesting and edge value', async () => {
    const pack = packOf([
      testRule({ id: 'any-not', conditions: { any: [{ fact: 'fSkatt', operator: 'equal', value: true }, { not: { fact: 'children', operator: 'lessThan', value: 2 } }] } }),
      testRule({ id: 'in-contains', conditions: { all: [{ fact: 'incomes', operator: 'contains', value: 'lon' }, { fact: 'adults', operator: 'in', value: [1, 2] }] } }),
      testRule({ id: 'not-in', conditions: { all: [{ fact: 'incomes', operator: 'doesNotContain', value: 'a-kassa' }, { fact: 'children', operator: 'notIn', value: [0] }] } }),
      testRule({ id: 'dates', conditions: { all: [{ fact: 'openedOn', operator: 'dateOnOrAfter', value: '2025-06-01' }, { fact: 'closedOn', operator: 'dateOnOrBefore', value: '2027-12-31' }] } }),
      testRule({ id: 'null-numbers', conditions: { any: [{ fact: 'monthsUnemployed', operator: 'greaterThanInclusive', value: 12 }, { fact: 'monthsSinceWorkPlan', operator: 'multipleOf', value: 4 }] } }),
      testRule({ id: 'inclusive', conditions: { all: [{ fact: 'monthsSinceOpened', operator: 'lessThanInclusive', value: 24 }, { fact: 'visitingChildren', operator: 'notEqual', value: 0 }] } }),
      testRule({ id: 'empty-any', conditions: { any: [] } }),
      // A dated parameter as the value: json-rules-engine's fact with params.
      testRule({ id: 'parameter', conditions: { all: [{ fact: 'monthsOnAssistanceLast12', operator: 'greaterThanInclusive', value: { fact: 'parameter', params: { id: 'long-term-assistance-months' } } }] } }),
      testRule({ id: 'once', when: { once: true }, conditions: { all: [{ fact: 'youthsForHolidayJobs', operator: 'greaterThan', value: 0 }] } }),
      testRule({ id: 'nested', conditions: { all: [{ any: [{ fact: 'kosttillskott', operator: 'equal', value: true }, { all: [{ fact: 'passportCheck', operator: 'equal', value: true }] }] }] } }),
    ]);
    const caseFile = syntheticUnit({ households: 120, seed: 11 });
    const compiled = plan({ caseFile, pack, from: '2027-01', to: '2027-06' });
    const fired = new Set(compiled.map((t) => t.ruleId));
    // Every rule fires for some case and not for others, so both branches are compared.
    for (const { rule } of pack.rules) if (rule.id !== 'empty-any') expect(fired, rule.id).toContain(rule.id);
    expect(compiled.length).toBeLessThan(caseFile.cases.length * 6 * pack.rules.length);
    expect(compiled).toEqual(await referencePlan(caseFile, pack, '2027-01', '2027-06'));
  });
});
