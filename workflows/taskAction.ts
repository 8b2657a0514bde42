import { store } from './activities.js';
import type { TaskAction } from '../src/tasks/lifecycle.js';
import type { TaskFilter } from '../src/store/tasks.js';


/** A change to a task from a process without the store (the CLI): the worker that holds it applies it. */
export async function taskAction(action: TaskAction) {
  return await store.applyTaskAction(action);
}

export async function taskList(filter: TaskFilter) {
  return await store.queryTasks(filter);
}
