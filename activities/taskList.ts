// The CLI's task list as a workflow ran it before the CLI read the store itself: kept so that lists
// begun before finish. The reading goes on the access log first (src/tasks/listOnRecord.ts).
import { listTasksOnRecord } from '../src/tasks/listOnRecord.js';
import type { TaskFilter, TaskRow } from '../src/store/tasks.js';
import type { Deps } from './deps.js';

export function taskListActivities({ db }: Pick<Deps, 'db'>) {
  return {
    async listTasksOnRecord(input: { filter: TaskFilter; reader: string }): Promise<TaskRow[]> {
      return listTasksOnRecord(db, input);
    },
  };
}
