// The task lifecycle as an activity: how the CLI (and any process without the store) changes a
// task. A refusal is final, not retried; the rounds concerned are signalled after the commit.
import { WorkflowNotFoundError } from '@temporalio/client';
import { reportWorkflowId } from '../src/platform/schedules.js';
import { periodOfAnalysis } from '../src/reports/period.js';
import { ruleVersion } from '../src/store/rulePacks.js';
import { completeTask, markNotApplicable, reassignTask, reopenTask } from '../src/tasks/lifecycle.js';
import { listTasks, type TaskFilter, type TaskRow } from '../src/store/tasks.js';
import type { Deps } from './deps.js';
import { refusalsFinal } from './refusals.js';
import { signalRounds } from './rounds.js';

export type TaskAction =
  | { kind: 'complete'; taskId: string; outcome: string; note?: string; actor: string; at: string }
  | { kind: 'not-applicable'; taskId: string; reason: string; actor: string; at: string }
  | { kind: 'reassign'; taskId: string; to: string; actor: string; at: string }
  | { kind: 'reopen'; taskId: string; reason: string; actor: string; at: string };

export function taskActivities({ db, client, taskQueue }: Deps) {
  /** A report's analysis task was completed: its report workflow reads the text at once. */
  const nudgeReport = async (task: TaskRow) => {
    const { report } = await ruleVersion(db, task.rule_version);
    if (!report) return;
    try {
      await client.workflow.getHandle(reportWorkflowId(task.unit_id, periodOfAnalysis(report, task.period).id)).signal('analysisWritten');
    } catch (error) {
      // No report workflow (not started, or done): the text is in the store for `arshjul report`.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  };
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
      if (action.kind === 'complete') await nudgeReport(result.task);
      return { task: result.task, message: result.message };
    },

    async queryTasks(filter: TaskFilter): Promise<TaskRow[]> {
      return listTasks(db, filter);
    },
  };
}
