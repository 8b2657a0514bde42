// Acceptance: the plan for the example cases equals test/fixtures/expected-2027-revised.md
// (the expectation under the domain as revised in December 2026, docs/domain.md, by an independent implementation).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/platform/paths.js';
import type { PlannedTask } from '../../src/planner/plan.js';
import { exampleCasesPath, expected2027 } from '../helpers/fixtures.js';

const run = promisify(execFile);

describe('npx arshjul plan --cases test/fixtures/cases-example.json --from 2027-01 --to 2027-12 --json', () => {
  it('equals expected-2027-revised.md, row for row', async () => {
    const { stdout } = await run('npx', ['arshjul', 'plan', '--cases', path.relative(projectRoot, exampleCasesPath), '--from', '2027-01', '--to', '2027-12', '--json'], { cwd: projectRoot });
    const expected = expected2027();
    // "Tasks of rules not in that table aside": the management cycle's, for one.
    const tableRules = new Set(expected.map((row) => row.ruleId));
    const tasks = (JSON.parse(stdout) as PlannedTask[]).filter((t) => tableRules.has(t.ruleId));
    const key = (r: { ruleId: string; caseId: string | null; period: string }) => `${r.ruleId}|${r.caseId ?? 'unit'}|${r.period}`;
    expect(tasks.map(key).sort()).toEqual(expected.map(key).sort());
    expect(expected.length).toBeGreaterThan(30);

    for (const row of expected) {
      const task = tasks.find((t) => key(t) === key(row))!;
      if (row.createOn) expect(task.createOn, key(row)).toBe(row.createOn);
      if (row.dueOn) expect(task.dueOn, key(row)).toBe(row.dueOn);
      if (row.assignee) expect(task.assignee, key(row)).toBe(row.assignee);
    }
  });

  it('keeps the contract: ids from the inputs, sorted by dueOn, ruleId, caseId, with reasons', async () => {
    const { stdout } = await run('npx', ['arshjul', 'plan', '--cases', exampleCasesPath, '--from', '2027-01', '--to', '2027-12', '--json'], { cwd: projectRoot });
    const tasks = JSON.parse(stdout) as PlannedTask[];
    for (const task of tasks) {
      // A staff-scope task (a deputy head's review with a caseworker) names the caseworker instead of a case.
      const subject = task.caseId ?? (/:staff-[^:]+$/.exec(task.taskId)?.[0].slice(1) ?? 'unit');
      expect(task.taskId).toBe(`${task.unitId}:${task.ruleId}:${task.period}:${subject}`);
      expect(task.ruleVersion).toMatch(/^[0-9a-f]{12}$/);
      expect(task.because.length).toBeGreaterThan(0);
    }
    const order = tasks.map((t) => [t.dueOn, t.ruleId, t.caseId ?? ''].join('\u0000'));
    expect(order).toEqual([...order].sort());
    const graduation = tasks.find((t) => t.ruleId === 'graduation-letter')!;
    expect(graduation.because).toEqual(['ett barn fött 2008-07-07 väntas ta studenten 2027-06-10']);
  });
});
