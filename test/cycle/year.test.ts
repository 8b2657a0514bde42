// Acceptance: on the time-skipping server, a whole year of daily sweeps for a small unit gives every
// task once, with reminder, due and escalation events on the right business days around Easter,
// midsummer and Christmas, taken by the sweeps themselves; a round a head has closed takes none.
// Its real time is measured by `npm run bench` (bench/year.ts), not here.
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
import { closeRound } from '../../src/cycle/controlRound.js';
import type { yearOfSweeps } from '../fixtures/cycleWorkflows.js';
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

/** The last day swept: into the new year, past December's escalation days. */
const lastDay = '2028-01-19';

/** A round the deputy head closed before its tasks were made: no step is taken for them. */
const closed = { ruleId: 'graduation-letter', period: '2027-04' };

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
    await closeRound(db, { unitId: cases.unit.id, ...closed, by: 'bec-1', at: '2027-01-01T08:00:00Z' });
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
      // Into January 2028: the sweeps take December's escalations on the new year's business days.
      args: [{ unitId: cases.unit.id, days: [...businessDays(2027), ...businessDays(2028).filter((d) => d.date <= lastDay)], until: stockholmTime('2028-01-20', 12) }],
    });
  }, 240_000);
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await db?.close();
    await env?.teardown();
  });

  it('creates every task of the year exactly once, and January\'s whose creation day came', async () => {
    const planned = plan({ caseFile: exampleCases(), pack: await referencePack(), from: '2027-01', to: '2028-01' });
    const expected = planned.filter((t) => t.period < '2028-01' || t.createOn <= lastDay);
    expect(expected.length).toBeGreaterThan(planned.filter((t) => t.period < '2028-01').length);
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
      'reminder-due': '2027-03-22 06:00',
      due: '2027-03-31 06:00',
      'escalation-due': '2027-04-05 06:00',
    });
  });

  it('… around midsummer', async () => {
    // Due Wednesday 30 June; midsommarafton (25 June) is no business day.
    expect(await steps('exempel-eb:tax-refund-check-jun:2027-06:EX-0001')).toEqual({
      'reminder-due': '2027-06-22 06:00',
      due: '2027-06-30 06:00',
      'escalation-due': '2027-07-05 06:00',
    });
  });

  it('… and around Christmas and the new year', async () => {
    // Due Thursday 30 December; julafton is skipped before it, nyårsafton and the new-year weekend after.
    expect(await steps('exempel-eb:f-tax-assessment:2027-12:EX-0004')).toEqual({
      'reminder-due': '2027-12-22 06:00',
      due: '2027-12-30 06:00',
      'escalation-due': '2028-01-05 06:00',
    });
  });

  it('takes no step for a closed round, while the other rounds of its month take theirs', async () => {
    const stepsOf = async (ruleId: string) =>
      db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM task_events e JOIN tasks t ON t.task_id = e.task_id
         WHERE t.rule_id = $1 AND t.period = $2 AND e.kind IN ('reminder-due', 'due', 'escalation-due')`,
        [ruleId, closed.period],
      );
    const tasks = await db.query<{ rule_id: string }>('SELECT DISTINCT rule_id FROM tasks WHERE period = $1', [closed.period]);
    expect(tasks.map((t) => t.rule_id)).toContain(closed.ruleId);
    expect(await stepsOf(closed.ruleId)).toEqual([{ n: 0 }]);
    // Every other April round reached its escalation day within the year: three steps for each open task, at least one.
    const others = tasks.filter((t) => t.rule_id !== closed.ruleId);
    expect(others.length).toBeGreaterThan(0);
    for (const { rule_id } of others) expect((await stepsOf(rule_id))[0]!.n, rule_id).toBeGreaterThan(0);
  });

  it('takes each step once per task and kind, however many sweeps passed after it', async () => {
    const twice = await db.query(
      `SELECT task_id, kind FROM task_events WHERE kind IN ('reminder-due', 'due', 'escalation-due') GROUP BY task_id, kind HAVING count(*) > 1`,
    );
    expect(twice).toEqual([]);
  });
});
