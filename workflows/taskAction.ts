import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { TaskAction } from '../activities/tasks.js';
import type { TaskFilter } from '../src/store/tasks.js';

// A refusal (wrong outcome, missing note…) is final; anything else is retried.
const { applyTaskAction, queryTasks } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });

/** A change to a task from a process without the store (the CLI): the worker that holds it applies it. */
export async function taskAction(action: TaskAction) {
  return await applyTaskAction(action);
}

export async function taskList(filter: TaskFilter) {
  return await queryTasks(filter);
}
