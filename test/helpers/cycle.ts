// A worker with the project's workflows and activities on a test server, over a given store.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/platform/config.js';
import type { Db } from '../../src/store/db.js';
import { createWorker, depsFor } from '../../worker/index.js';

/** Settings as the environment would give them: the task queue, and where mail goes (an outbox by default). */
export function testConfig(taskQueue: string, env: NodeJS.ProcessEnv = {}) {
  return loadConfig({ ARSHJUL_TASK_QUEUE: taskQueue, ARSHJUL_DATA_DIR: `${process.env.TMPDIR ?? '/tmp'}/arshjul-test-${taskQueue}-${process.pid}`, ...env });
}

export function cycleWorker(env: TestWorkflowEnvironment, db: Db, taskQueue: string, configEnv?: NodeJS.ProcessEnv): Promise<Worker> {
  return createWorker(env.nativeConnection, env.namespace ?? 'default', depsFor(testConfig(taskQueue, configEnv), db, env.client));
}

/** A cycle worker running for a whole suite; call the returned function to stop it. */
export async function runCycleWorker(env: TestWorkflowEnvironment, db: Db, taskQueue: string, configEnv?: NodeJS.ProcessEnv): Promise<() => Promise<void>> {
  const worker = await cycleWorker(env, db, taskQueue, configEnv);
  const running = worker.run();
  return async () => {
    worker.shutdown();
    await running;
  };
}
