// Rule packs for tests: the project's own, or rules written in the test as in-memory files.
import { loadRulePack, formatError, type RulePack, type SourceFile } from '../../src/rules/load.js';
import { readRuleFiles } from '../../src/rules/files.js';
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

export function packOf(rules: (object & { id: string })[]): RulePack {
  const { pack, errors } = loadRulePack(rules.map((rule) => ruleFile(rule)));
  if (errors.length > 0) throw new Error(errors.map(formatError).join('\n'));
  return pack;
}
