// The task lifecycle as an activity: how the CLI (and any process without the store) changes a
// task. A refusal is final, not retried; the rounds concerned are signalled after the commit.
import { completeTask, listTasks, markNotApplicable, reassignTask, reopenTask, type TaskFilter, type TaskRow } from '../src/tasks/lifecycle.js';
import type { Deps } from './index.js';
import { refusalsFinal } from './refusals.js';
import { signalRounds } from './rounds.js';

export type TaskAction =
  | { kind: 'complete'; taskId: string; outcome: string; note?: string; actor: string; at: string }
  | { kind: 'not-applicable'; taskId: string; reason: string; actor: string; at: string }
  | { kind: 'reassign'; taskId: string; to: string; actor: string; at: string }
  | { kind: 'reopen'; taskId: string; reason: string; actor: string; at: string };

export function taskActivities({ db, client, taskQueue }: Deps) {
  return {
    async applyTaskAction(action: TaskAction): Promise<{ task: TaskRow; message: string }> {
      const result = await refusalsFinal(() =>
        action.kind === 'complete'
          ? completeTask(db, action)
          : action.kind === 'not-applicable'
            ? markNotApplicable(db, action)
            : action.kind === 'reassign'
              ? reassignTask(db, action)
              : reopenTask(db, action),
      );
      await signalRounds(client, taskQueue, result.rounds);
      return { task: result.task, message: result.message };
    },

    async queryTasks(filter: TaskFilter): Promise<TaskRow[]> {
      return listTasks(db, filter);
    },
  };
}
