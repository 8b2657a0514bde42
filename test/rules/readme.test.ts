// The README's list of the reference pack: every rule and parameter with its source, and those that
// rest on a proposal marked, so the list cannot drift from the files.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/platform/paths.js';
import { referencePack } from '../helpers/rules.js';

describe('the README\'s rule list', () => {
  it('lists every rule and parameter with its source, and marks those that rest on a proposal', async () => {
    const readme = await readFile(path.join(projectRoot, 'README.md'), 'utf8');
    const pack = await referencePack();
    const row = (id: string) => readme.split('\n').find((line) => line.startsWith(`| \`${id}\``));
    for (const { rule } of pack.rules) {
      const line = row(rule.id);
      expect(line, rule.id).toBeDefined();
      expect(line, rule.id).toContain(rule.reference[0]!);
      expect(line!.includes('**Proposal, not law**'), rule.id).toBe(rule.proposal !== undefined);
    }
    for (const { parameter } of pack.parameters) {
      expect(row(parameter.id), parameter.id).toContain(parameter.reference[0]!);
    }
    expect(pack.rules.filter((r) => r.rule.proposal).map((r) => r.rule.id).sort()).toEqual(['activity-requirement-follow-up', 'activity-requirement-plan', 'benefit-ceiling-review']);
  });
});
