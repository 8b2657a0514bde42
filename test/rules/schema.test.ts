// The JSON Schema editors use must know exactly the facts and operators the planner knows.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rulesDir } from '../../src/platform/paths.js';
import { factDefinitions, factNames } from '../../src/rules/facts.js';
import { operatorNames } from '../../src/rules/operators.js';
import { readRuleFiles } from '../../src/rules/files.js';

interface Schema {
  definitions: { condition: { oneOf: [unknown, { properties: { fact: { enum: string[] }; operator: { enum: string[] } } }] } };
}

describe('rule.schema.json', () => {
  it('lists the facts and operators the planner implements, no more and no fewer', async () => {
    const schema = JSON.parse(await readFile(path.join(rulesDir, 'schema', 'rule.schema.json'), 'utf8')) as Schema;
    const leaf = schema.definitions.condition.oneOf[1].properties;
    expect([...leaf.fact.enum].sort()).toEqual([...factNames].sort());
    expect([...leaf.operator.enum].sort()).toEqual([...operatorNames].sort());
    for (const name of factNames) expect(factDefinitions[name].label, name).not.toBe('');
  });

  it('is referenced by every rule file; the plan and calendar schemas by their files', async () => {
    for (const file of await readRuleFiles(rulesDir)) {
      const data = JSON.parse(file.text) as { $schema: string };
      const folder = path.basename(path.dirname(file.path));
      const schemas: Record<string, string> = { internkontroll: 'internkontroll-plan.schema.json', calendar: 'calendar.schema.json', indicators: 'indicator.schema.json', parameters: 'parameter.schema.json' };
      const schema = schemas[folder] ?? 'rule.schema.json';
      expect(path.resolve(path.dirname(file.path), data.$schema), file.path).toBe(path.join(rulesDir, 'schema', schema));
    }
  });
});
