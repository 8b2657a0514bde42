import type { WorkerInfo } from '../activities/index.js';
import { check } from './activities.js';

/** A round trip through a worker: `arshjul doctor` runs it to prove that workflows and activities are served. */
export async function workerCheck(): Promise<WorkerInfo> {
  return await check.workerInfo();
}
