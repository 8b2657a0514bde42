import { createRequire } from 'node:module';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSearchAttributes, missingSearchAttributes } from '../../src/platform/searchAttributes.js';
import type { workerCheck } from '../../workflows/index.js';
import type { sleepDays } from '../fixtures/sleepWorkflow.js';
import { cycleWorker } from '../helpers/cycle.js';
import { freshStore } from '../helpers/store.js';
import { localEnvironment, timeSkippingEnvironment } from '../helpers/temporal.js';

const require = createRequire(import.meta.url);

describe('on the real Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await localEnvironment();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('runs the project worker: a workflow calls an activity and returns its answer', async () => {
    const db = await freshStore('embedded');
    const worker = await cycleWorker(env, db, 'platform-test');
    const info = await worker.runUntil(
      env.client.workflow.execute<typeof workerCheck>('workerCheck', { taskQueue: 'platform-test', workflowId: 'check-1' }),
    );
    expect(info.pid).toBe(process.pid);
    expect(info.node).toBe(process.version);
    await db.close();
  });

  it('registers the custom search attributes, once, idempotently', async () => {
    expect(await missingSearchAttributes(env.connection, 'default')).toEqual(['ArshjulUnit', 'ArshjulRule', 'ArshjulPeriod']);
    await ensureSearchAttributes(env.connection, 'default');
    await ensureSearchAttributes(env.connection, 'default');
    expect(await missingSearchAttributes(env.connection, 'default')).toEqual([]);
  });
});

describe('on the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnvironment();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('waits 30 days of workflow time in seconds of real time', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'time-skipping',
      workflowsPath: require.resolve('../fixtures/sleepWorkflow.ts'),
    });
    const started = performance.now();
    const slept = await worker.runUntil(
      env.client.workflow.execute<typeof sleepDays>('sleepDays', { taskQueue: 'time-skipping', workflowId: 'sleep-30', args: [30] }),
    );
    const realSeconds = (performance.now() - started) / 1000;
    expect(slept).toBeGreaterThanOrEqual(30 * 24 * 3600 * 1000);
    expect(realSeconds).toBeLessThan(10);
  });
});
