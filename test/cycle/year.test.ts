// Acceptance: on the time-skipping server, a whole year of rounds for a small unit gives every task
// once, with reminder, due and escalation events on the right business days around Easter,
// midsummer and Christmas. Its real time is measured by `npm run bench` (bench/year.ts), not here.
import { createRequire } from 'node:module';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { depsFor } from '../../worker/index.js';
import { isBusinessDay, stockholmTime } from '../../src/calendar/businessDays.js';
import { ensureSearchAttributes } from '../../src/platform/searchAttributes.js';
import { plan } from '../../src/planner/plan.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import type { taskAction, yearOfSweeps } from '../fixtures/cycleWorkflows.js';
import { referencePack } from '../helpers/rules.js';
import { exampleCases } from '../helpers/fixtures.js';
import { testConfig } from '../helpers/cycle.js';
import { freshStore } from '../helpers/store.js';
import { timeSkippingEnvironment } from '../helpers/temporal.js';

const require = createRequire(import.meta.url);

function businessDays(year: number): { date: string; at: number }[] {
  const days = [];
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    const date = d.toISOString().slice(0, 10);
    if (isBusinessDay(date)) days.push({ date, at: stockholmTime(date, 6, 0) });
  }
  return days;
}

describe('a year of control rounds on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let db: Db;
  let created: number;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    [env, db] = await Promise.all([timeSkippingEnvironment(), freshStore('embedded')]);
    await ensureSearchAttributes(env.connection, 'default');
    const cases = exampleCases();
    await importCaseFile(db, cases, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-01-01' });
    // One worker for the whole suite: a round's next task goes to the worker that ran it before.
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'year',
      workflowsPath: require.resolve('../fixtures/cycleWorkflows.ts'),
      activities: createActivities(depsFor(testConfig('year'), db, env.client)),
    });
    running = worker.run();
    created = await env.client.workflow.execute<typeof yearOfSweeps>('yearOfSweeps', {
      taskQueue: 'year',
      workflowId: 'year-2027',
      args: [{ unitId: cases.unit.id, days: businessDays(2027), until: stockholmTime('2028-01-20', 12) }],
    });
  }, 120_000);
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await db?.close();
    await env?.teardown();
  });

  it('creates every task of the year exactly once', async () => {
    const expected = plan({ caseFile: exampleCases(), pack: await referencePack(), from: '2027-01', to: '2027-12' });
    expect(created).toBe(expected.length);
    const stored = await db.query<{ task_id: string }>('SELECT task_id FROM tasks ORDER BY task_id');
    expect(stored.map((t) => t.task_id)).toEqual(expected.map((t) => t.taskId).sort());
  });

  async function steps(taskId: string): Promise<Record<string, string>> {
    const rows = await db.query<{ kind: string; local: string }>(
      `SELECT kind, to_char(at AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD HH24:MI') AS local FROM task_events
       WHERE task_id = $1 AND kind IN ('reminder-due', 'due', 'escalation-due') ORDER BY id`,
      [taskId],
    );
    return Object.fromEntries(rows.map((r) => [r.kind, r.local]));
  }

  it('reminds, falls due and escalates on business days around Easter', async () => {
    // Due Wednesday 31 March; five business days back skip annandag påsk and långfredagen.
    expect(await steps('exempel-eb:tax-return-letter:2027-03:EX-0001')).toEqual({
      'reminder-due': '2027-03-22 06:30',
      due: '2027-03-31 06:30',
      'escalation-due': '2027-04-05 06:30',
    });
  });

  it('… around midsummer', async () => {
    // Due Wednesday 30 June; midsommarafton (25 June) is no business day.
    expect(await steps('exempel-eb:tax-refund-check-jun:2027-06:EX-0001')).toEqual({
      'reminder-due': '2027-06-22 06:30',
      due: '2027-06-30 06:30',
      'escalation-due': '2027-07-05 06:30',
    });
  });

  it('… and around Christmas and the new year', async () => {
    // Due Thursday 30 December; julafton is skipped before it, nyårsafton and the new-year weekend after.
    expect(await steps('exempel-eb:f-tax-assessment:2027-12:EX-0004')).toEqual({
      'reminder-due': '2027-12-22 06:30',
      due: '2027-12-30 06:30',
      'escalation-due': '2028-01-05 06:30',
    });
  });

  it('keeps a round while a task is open, and ends it when the last one is completed', async () => {
    const round = env.client.workflow.getHandle('round:exempel-eb:graduation-letter:2027-04');
    expect((await round.describe()).status.name).toBe('RUNNING');
    const done = await env.client.workflow.execute<typeof taskAction>('taskAction', {
      taskQueue: 'year',
      workflowId: 'complete-graduation-letter',
      args: [{ kind: 'complete', taskId: 'exempel-eb:graduation-letter:2027-04:EX-0002', outcome: 'sent', actor: 'ss-1', at: new Date().toISOString() }],
    });
    expect(done.task.state).toBe('completed');
    expect(await round.result()).toBe('done');
  });
});
