// The example unit and its expected 2027 plan (test/fixtures/), read as the acceptance checks read them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CaseFile } from '../../src/cases/caseFile.js';
import { projectRoot } from '../../src/platform/paths.js';

export const fixturesDir = path.join(projectRoot, 'test', 'fixtures');
export const exampleCasesPath = path.join(fixturesDir, 'cases-example.json');

export function exampleCases(): CaseFile {
  return JSON.parse(readFileSync(exampleCasesPath, 'utf8')) as CaseFile;
}

export interface ExpectedRow {
  ruleId: string;
  caseId: string | null;
  period: string;
  createOn: string | undefined;
  dueOn: string | undefined;
  assignee: string | undefined;
}

/** The table in expected-2027-revised.md (the plan under the revised domain, docs/domain.md); empty cells are facts the table leaves open. */
export function expected2027(): ExpectedRow[] {
  const text = readFileSync(path.join(fixturesDir, 'expected-2027-revised.md'), 'utf8');
  return text
    .split('\n')
    .filter((line) => /^\| [a-z]/.test(line) && !line.startsWith('| ruleId'))
    .map((line) => {
      const [ruleId, caseId, period, createOn, dueOn, assignee] = line.split('|').slice(1, 7).map((cell) => cell.trim());
      return {
        ruleId: ruleId!,
        caseId: caseId === '(unit)' ? null : caseId!,
        period: period!,
        createOn: createOn || undefined,
        dueOn: dueOn || undefined,
        assignee: assignee || undefined,
      };
    });
}
