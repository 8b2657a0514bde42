import { patched } from '@temporalio/workflow';
import { store } from './activities.js';
import type { TaskAction } from '../src/tasks/lifecycle.js';
import type { TaskFilter } from '../src/store/tasks.js';


/**
 * A change to a task, as the CLI once sent it through Temporal. Nothing starts it now (the web app
 * and the CLI change tasks in the store); it stays registered so that runs begun before finish.
 */
export async function taskAction(action: TaskAction) {
  return await store.applyTaskAction(action);
}

/**
 * The CLI's task list. It prints case ids, so the reading goes on the access log with the CLI's
 * machine account (`reader`); patched, so a list begun before replays as it ran.
 */
export async function taskList(filter: TaskFilter, reader?: string) {
  if (patched('task-list-access-log')) return await store.listTasksOnRecord({ filter, reader: reader ?? 'kommandorad' });
  return await store.queryTasks(filter);
}
