import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities/index.js';

const { workerInfo } = proxyActivities<typeof activities>({ startToCloseTimeout: '10s', retry: { maximumAttempts: 1 } });

/** A round trip through a worker: `arshjul doctor` runs it to prove that workflows and activities are served. */
export async function workerCheck(): Promise<activities.WorkerInfo> {
  return await workerInfo();
}
