// Rule packs for tests: the project's own, or rules written in the test as in-memory files.
import { loadRulePack, formatError, type RulePack, type SourceFile } from '../../src/rules/load.js';
import { readRuleFiles } from '../../src/rules/files.js';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { rulesDir } from '../../src/platform/paths.js';
import type { Rule } from '../../src/rules/rule.js';

export async function referencePack(): Promise<RulePack> {
  const { pack, errors } = loadRulePack(await readRuleFiles(rulesDir));
  if (errors.length > 0) throw new Error(errors.map(formatError).join('\n'));
  return pack;
}

/** A rule with every required field; the overrides make it what the test needs. */
export function testRule(overrides: Partial<Rule> & { id: string }): Rule & { $schema: string } {
  return {
    $schema: '../schema/rule.schema.json',
    title: `Testregel ${overrides.id}`,
    reference: ['Årshjulets val: en regel som bara finns i ett test'],
    instructions: 'Gör kontrollen.',
    scope: 'case',
    when: { months: 'every' },
    dueOn: { businessDay: 'last' },
    assignee: { role: 'socialsekreterare' },
    completion: { outcomes: [{ id: 'done', label: 'Utförd' }] },
    ...overrides,
  };
}

export function ruleFile(rule: object & { id: string }, name = rule.id): SourceFile {
  return { path: `rules/test/${name}.json`, text: `${JSON.stringify(rule, null, 2)}\n` };
}

/** The reference pack's dated parameters (rules/parameters/), which the facts of every case read. */
export function parameterFiles(): SourceFile[] {
  const dir = path.join(rulesDir, 'parameters');
  return readdirSync(dir).filter((name) => name.endsWith('.json')).map((name) => ({ path: `rules/parameters/${name}`, text: readFileSync(path.join(dir, name), 'utf8') }));
}

export function packOf(rules: (object & { id: string })[]): RulePack {
  const { pack, errors } = loadRulePack([...rules.map((rule) => ruleFile(rule)), ...parameterFiles()]);
  if (errors.length > 0) throw new Error(errors.map(formatError).join('\n'));
  return pack;
}
