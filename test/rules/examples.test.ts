// `arshjul rules test`: every embedded example runs, and a wrong one fails the command.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runExamples } from '../../src/cli/rules.js';
import { projectRoot, rulesDir } from '../../src/platform/paths.js';
import { referencePack } from '../helpers/rules.js';

const run = promisify(execFile);

describe('rules test', () => {
  it('runs every example of the reference pack, and each holds', async () => {
    const pack = await referencePack();
    const { failures, count } = runExamples(pack);
    expect(failures).toEqual([]);
    expect(count).toBe(pack.rules.reduce((n, { rule }) => n + (rule.examples?.length ?? 0), 0));
    // Every rule the sweep plans has an example of a task expected and one of none (unit rules: at least one).
    for (const { rule } of pack.rules) {
      if ('followUp' in rule.when) continue;
      expect(rule.examples?.some((e) => e.expect), rule.id).toBe(true);
      if (rule.scope === 'case') expect(rule.examples?.some((e) => !e.expect), rule.id).toBe(true);
    }
  });

  it('fails, naming the example, when one is wrong', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-examples-'));
    await cp(rulesDir, dir, { recursive: true });
    const file = path.join(dir, 'handlaggning', 'passport-check.json');
    const rule = JSON.parse(await readFile(file, 'utf8')) as { examples: { expect: boolean }[] };
    rule.examples[1]!.expect = true;
    await writeFile(file, JSON.stringify(rule, null, 2));
    const failure = await run('npx', ['arshjul', 'rules', 'test', dir], { cwd: projectRoot }).catch((e: { code: number; stderr: string }) => e);
    expect((failure as { code: number }).code).toBe(1);
    expect((failure as { stderr: string }).stderr).toMatch(/passport-check\.json: passport-check, "ärende utan flagga" \(2027-09\): väntade en uppgift, fick ingen/);
    expect((failure as { stderr: string }).stderr).toMatch(/Exempel: \d+ stämmer, 1 stämmer inte/);
  });
});
