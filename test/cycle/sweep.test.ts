// Acceptance: with the demo unit and the clock in May 2027, one sweep creates exactly the tasks
// `plan` shows for May (those whose creation day has come); a second sweep creates none.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { backfillCommand } from '../../src/cli/cycle.js';
import { roundDates, stepKinds, type StepKind } from '../../src/cycle/steps.js';
import { loadConfig } from '../../src/platform/config.js';
import { reconcileSchedules } from '../../src/platform/schedules.js';
import { ensureSearchAttributes } from '../../src/platform/searchAttributes.js';
import { plan } from '../../src/planner/plan.js';
import { recordAccess, searchAccess, verifyAccessLog } from '../../src/accessLog/log.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import type { sweep } from '../../workflows/index.js';
import { runCycleWorker } from '../helpers/cycle.js';
import { referencePack } from '../helpers/rules.js';
import { engines, freshStore } from '../helpers/store.js';
import { localEnvironment } from '../helpers/temporal.js';

const unit = syntheticUnit({ households: 730, seed: 2027 });

describe.each(engines)('the sweep on the dev server, store on %s', (engine) => {
  let env: TestWorkflowEnvironment;
  let db: Db;
  let stopWorker: (() => Promise<void>) | undefined;
  const taskQueue = `sweep-${engine}`;

  beforeAll(async () => {
    [env, db] = await Promise.all([localEnvironment(), freshStore(engine)]);
    await ensureSearchAttributes(env.connection, 'default');
    await importCaseFile(db, unit, { fileName: 'demo', fileHash: 'demo', importedBy: 'test', full: false, exportDate: '2027-05-03' });
    stopWorker = await runCycleWorker(env, db, taskQueue);
  });
  afterAll(async () => {
    await stopWorker?.();
    await db?.close();
    await env?.teardown();
  });

  const runSweep = (date: string, id: string) =>
    env.client.workflow.execute<typeof sweep>('sweep', { taskQueue, workflowId: id, args: [{ unitId: unit.unit.id, date, chunkSize: 200 }] });

  it('creates the plan of the day once, and takes the day\'s steps once, with no workflow per round', async () => {
    const first = await runSweep('2027-05-03', 'sweep-1');
    const expected = plan({ caseFile: unit, pack: await referencePack(), from: '2027-05', to: '2027-05' }).filter((t) => t.createOn <= '2027-05-03');
    expect(expected.length).toBeGreaterThan(500);
    expect(first).toMatchObject({ date: '2027-05-03', skipped: false, created: expected.length, planned: expected.length });

    const stored = await db.query<{ task_id: string; due_on: string; assignee: string }>(`SELECT task_id, due_on, assignee FROM tasks ORDER BY task_id`);
    expect(stored).toEqual(
      expected.map((t) => ({ task_id: t.taskId, due_on: t.dueOn, assignee: t.assignee })).sort((a, b) => (a.task_id < b.task_id ? -1 : 1)),
    );
    expect(await db.query(`SELECT count(*)::int AS n FROM task_events WHERE kind = 'created'`)).toEqual([{ n: expected.length }]);

    const second = await runSweep('2027-05-03', 'sweep-2');
    expect(second).toMatchObject({ created: 0, planned: expected.length });
    expect(await db.query(`SELECT count(*)::int AS n FROM tasks`)).toEqual([{ n: expected.length }]);

    // The steps whose day has come, counted from each planned task's rule (not from the store).
    const pack = await referencePack();
    const rules = new Map(pack.rules.map((r) => [r.rule.id, r.rule]));
    const come = (kind: StepKind) => expected.filter((t) => roundDates(rules.get(t.ruleId)!, t.dueOn)[kind] <= '2027-05-03').length;
    expect(come('reminder-due')).toBeGreaterThan(0);
    expect(first.steps).toEqual(Object.fromEntries(stepKinds.filter((k) => come(k) > 0).map((k) => [k, come(k)])));
    expect(second.steps).toEqual({});
    expect(first.rounds).toBeUndefined();
    await expect(env.client.workflow.getHandle(`round:${unit.unit.id}:${expected[0]!.ruleId}:2027-05`).describe()).rejects.toThrow(WorkflowNotFoundError);
  });

  it('backfills missed scheduled sweeps, each planning the day it was scheduled for, creating nothing twice', async () => {
    const other = syntheticUnit({ households: 60, seed: 8, unitId: `backfill-${engine}` });
    await importCaseFile(db, other, { fileName: 'b', fileHash: 'b', importedBy: 'test', full: false, exportDate: '2027-05-03' });
    await reconcileSchedules(env.client, { taskQueue }, [other.unit.id]);
    const config = loadConfig({ TEMPORAL_ADDRESS: env.connection.options.address, ARSHJUL_TASK_QUEUE: taskQueue });
    // Friday 30 April to Monday 3 May: Friday plans April's tasks; the weekend never fires; Monday plans May.
    expect(await backfillCommand(config, { unit: other.unit.id, from: '2027-04-30', to: '2027-05-03' })).toContain('är beställd');
    const schedule = env.client.schedule.getHandle(`sweep:${other.unit.id}`);
    let actions = 0;
    for (let i = 0; i < 200 && actions < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      actions = (await schedule.describe()).info.recentActions.length;
    }
    expect(actions).toBe(2);
    const pack = await referencePack();
    const expected = [
      ...plan({ caseFile: other, pack, from: '2027-04', to: '2027-04' }),
      ...plan({ caseFile: other, pack, from: '2027-05', to: '2027-05' }).filter((t) => t.createOn <= '2027-05-03'),
    ].map((t) => t.taskId).sort();
    let stored: string[] = [];
    for (let i = 0; i < 200 && stored.length < expected.length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      stored = (await db.query<{ task_id: string }>('SELECT task_id FROM tasks WHERE unit_id = $1 ORDER BY task_id', [other.unit.id])).map((t) => t.task_id);
    }
    expect(stored).toEqual(expected);
  });

  it('skips a day that is no business day', async () => {
    expect(await runSweep('2027-05-06', 'sweep-ascension')).toMatchObject({ skipped: true, created: 0 });
  });

  it('purges the access log past its retention each day, holidays too, logs the purge and leaves the chain whole', async () => {
    const unitId = unit.unit.id;
    for (const at of ['2022-05-01T10:00:00Z', '2022-05-05T10:00:00Z', '2022-05-06T10:00:00Z']) {
      await recordAccess(db, { unitId, staffId: 'ss-01', view: 'task', caseIds: [unit.cases[0]!.caseId], at: new Date(at) });
    }
    // Kristi himmelsfärd 2027: no tasks, but the purge runs; five years back is 6 May 2022.
    expect(await runSweep('2027-05-06', 'sweep-purge')).toMatchObject({ skipped: true });
    const { records } = await searchAccess(db, { unitId, limit: 10 });
    expect(records.map((r) => [r.seq, r.view])).toEqual([[4, 'purge'], [3, 'task']]);
    expect(records[0]!.query).toContain('2 poster äldre än 2022-05-06 (5 år)');
    expect(await verifyAccessLog(db, unitId)).toEqual([expect.objectContaining({ ok: true, count: 2, from: 3 })]);
  });
});
