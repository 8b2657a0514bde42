import { proxyActivities } from '@temporalio/workflow';
import type { Activities, WorkerInfo } from '../activities/index.js';

const { workerInfo } = proxyActivities<Activities>({ startToCloseTimeout: '10s', retry: { maximumAttempts: 1 } });

/** A round trip through a worker: `arshjul doctor` runs it to prove that workflows and activities are served. */
export async function workerCheck(): Promise<WorkerInfo> {
  return await workerInfo();
}
