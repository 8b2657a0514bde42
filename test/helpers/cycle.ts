// A worker with the project's workflows and activities on a test server, over a given store.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { rulesDir } from '../../src/platform/paths.js';
import type { Db } from '../../src/store/db.js';
import { createWorker } from '../../worker/index.js';

export function cycleWorker(env: TestWorkflowEnvironment, db: Db, taskQueue: string): Promise<Worker> {
  return createWorker(env.nativeConnection, env.namespace ?? 'default', { db, client: env.client, taskQueue, rulesDir });
}
