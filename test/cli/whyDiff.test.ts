// `arshjul why` and `arshjul rules diff`, run as an admin runs them.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { personnummer } from '../../src/cases/personnummer.js';
import { projectRoot, rulesDir } from '../../src/platform/paths.js';
import { exampleCasesPath } from '../helpers/fixtures.js';

const run = promisify(execFile);
const arshjul = async (...args: string[]) => (await run('npx', ['arshjul', ...args], { cwd: projectRoot })).stdout;

describe('arshjul why', () => {
  it('shows each condition with the fact json-rules-engine saw, and the task', async () => {
    const out = await arshjul('why', '--cases', exampleCasesPath, '--case', 'EX-0002', '--rule', 'diet-certificate', '--month', '2027-11');
    expect(out).toContain('ärendet aktivt: ja');
    expect(out).toMatch(/✓ kosttillskott \(beviljat kosttillskott\) = true equal true/);
    expect(out).toContain('Resultat: uppgift exempel-eb:diet-certificate:2027-11:EX-0002, skapas 2027-11-01, förfaller 2027-11-30, tilldelas ss-1');
  });

  it('says which step stopped a rule: a failed condition, or a closed case', async () => {
    const failed = await arshjul('why', '--cases', exampleCasesPath, '--case', 'EX-0001', '--rule', 'diet-certificate', '--month', '2027-11');
    expect(failed).toMatch(/✗ kosttillskott \(beviljat kosttillskott\) = false equal true/);
    expect(failed).toContain('Resultat: ingen uppgift');
    const closed = await arshjul('why', '--cases', exampleCasesPath, '--case', 'EX-0003', '--rule', 'tax-return-check', '--month', '2027-05');
    expect(closed).toContain('ärendet aktivt: nej (öppnat 2026-08-01, avslutat 2027-04-15)');
    expect(closed).toContain('Resultat: ingen uppgift');
  });
});

describe('arshjul why, for a rule on a proposal and a parameter', () => {
  it('names the sources, says the rule rests on a proposal, and shows the parameter\'s value in force with where it comes from', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-why-'));
    const children = ['2015-01-01', '2016-02-02', '2017-03-03', '2018-04-04'].map((birthDate, i) => ({ personId: personnummer(birthDate, 10 + i), role: 'child', birthDate }));
    const cases = {
      version: 1, unit: { id: 'exempel-eb', name: 'Exempel' },
      staff: [{ id: 'ss-1', name: 'S', role: 'socialsekreterare', email: 'ss-1@example.se' }, { id: 'bh-1', name: 'B', role: 'bidragshandlaggare', email: 'bh-1@example.se' }],
      cases: [{ caseId: 'STOR', openedOn: '2025-05-05', closedOn: null, socialsekreterare: 'ss-1', bidragshandlaggare: 'bh-1', incomes: [],
        members: [{ personId: personnummer('1985-05-05', 1), role: 'applicant', birthDate: '1985-05-05' }, ...children] }],
    };
    const file = path.join(dir, 'cases.json');
    await writeFile(file, JSON.stringify(cases));
    const out = await arshjul('why', '--cases', file, '--case', 'STOR', '--rule', 'benefit-ceiling-review', '--month', '2027-01');
    expect(out).toMatch(/källa: Lagrådsremiss december 2025 \(bidragsreformen\).*benefit-ceiling-review\.json/);
    expect(out).toContain('bygger på ett förslag, inte lag: Lagrådsremiss december 2025 (bidragsreformen): bidragstak från 1 januari 2027');
    expect(out).toMatch(/✓ children \(.*\) = 4 greaterThanInclusive parametern benefit-ceiling-children = 4 \(från 2027-01-01; .*benefit-ceiling-children\.json; källa: Lagrådsremiss/);
    expect(out).toContain('Resultat: uppgift exempel-eb:benefit-ceiling-review:2027-01:STOR');
    const before = await arshjul('why', '--cases', file, '--case', 'STOR', '--rule', 'benefit-ceiling-review', '--month', '2026-12');
    expect(before).toContain('giltig i månaden: nej (från 2027-01-01, till 2027-12-31)');
    expect(before).toContain('Resultat: ingen uppgift');
  });
});

describe('arshjul rules diff', () => {
  it('lists the tasks a rule change adds and removes, against a git revision or a folder', async () => {
    const repo = await mkdtemp(path.join(os.tmpdir(), 'arshjul-diff-'));
    const rules = path.join(repo, 'rules');
    await cp(rulesDir, rules, { recursive: true });
    const git = (...args: string[]) => run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.se', ...args], { cwd: repo });
    await git('init', '-q');
    await git('add', '.');
    await git('commit', '-qm', 'base');

    // Move the graduation letter from April to May, and the visitation certificate from February to April.
    const edit = async (name: string, change: (rule: Record<string, unknown>) => void) => {
      const file = path.join(rules, 'handlaggning', `${name}.json`);
      const rule = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      change(rule);
      await writeFile(file, JSON.stringify(rule, null, 2));
    };
    await edit('graduation-letter', (rule) => (rule.when = { months: [5] }));
    await edit('visitation-certificate', (rule) => (rule.when = { months: [4] }));

    const april = await arshjul('rules', 'diff', '--base', 'HEAD', '--rules', rules, '--cases', exampleCasesPath, '--month', '2027-04');
    expect(april).toContain('graduation-letter: +0 −1\n  försvinner: EX-0002');
    expect(april).toContain('visitation-certificate: +1 −0\n  tillkommer: EX-0002');

    const baseDir = path.join(repo, 'base-rules');
    await git('worktree', 'add', '-q', path.join(repo, 'base'), 'HEAD');
    await cp(path.join(repo, 'base', 'rules'), baseDir, { recursive: true });
    const may = await arshjul('rules', 'diff', '--base', baseDir, '--rules', rules, '--cases', exampleCasesPath, '--month', '2027-05');
    expect(may).toBe(`Skillnad i 2027-05, ${baseDir} → ${rules}:\ngraduation-letter: +1 −0\n  tillkommer: EX-0002\n`);
  });
});

describe('arshjul rules diff for a parameter', () => {
  it('lists the tasks a dated parameter moves, per rule: the riktålder raised to 68 from 2028', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-param-'));
    const rules = path.join(dir, 'rules');
    await cp(rulesDir, rules, { recursive: true });
    const file = path.join(rules, 'parameters', 'riktalder.json');
    const riktalder = JSON.parse(await readFile(file, 'utf8')) as { values: { from: string; value: number }[] };
    riktalder.values.push({ from: '2028-01-01', value: 68 });
    await writeFile(file, JSON.stringify(riktalder, null, 2));
    const applicant = (caseId: string, birthDate: string) => ({
      caseId, openedOn: '2024-01-10', closedOn: null, socialsekreterare: 'ss-1', bidragshandlaggare: 'bh-1', incomes: ['sjukersattning'],
      members: [{ personId: personnummer(birthDate, 1), role: 'applicant', birthDate }],
    });
    const cases = {
      version: 1, unit: { id: 'exempel-eb', name: 'Exempel' },
      staff: [{ id: 'ss-1', name: 'S', role: 'socialsekreterare', email: 'ss-1@example.se' }, { id: 'bh-1', name: 'B', role: 'bidragshandlaggare', email: 'bh-1@example.se' }],
      // Turns 67 in November 2027: under 67 still; 67 in February 2028: then 68 is the riktålder, reached in February 2029.
      cases: [applicant('NOV-2027', '1960-11-05'), applicant('FEB-2028', '1961-02-10')],
    };
    const casesFile = path.join(dir, 'cases.json');
    await writeFile(casesFile, JSON.stringify(cases));
    const out = await arshjul('rules', 'diff', '--base', rulesDir, '--rules', rules, '--cases', casesFile, '--from', '2027-01', '--to', '2029-12');
    expect(out).toContain('Parametrar som ändrats:\n  riktalder: nytt värde 68 från 2028-01-01');
    expect(out).toContain('pension-age-applications: +0 −0 ~1\n  flyttas: FEB-2028 2027-11 → 2028-11');
    expect(out).not.toContain('NOV-2027');
  });
});
