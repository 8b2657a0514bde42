// The task lifecycle as an activity: how the web app and the CLI (processes without the store)
// change a task. A refusal is final, not retried; the rounds concerned are signalled after the commit.
import { WorkflowNotFoundError } from '@temporalio/client';
import { workflowIds } from '../src/platform/workflowIds.js';
import { periodOfAnalysis } from '../src/reports/period.js';
import { ruleVersion } from '../src/store/rulePacks.js';
import { listTasks, type TaskFilter, type TaskRow } from '../src/store/tasks.js';
import { applyTaskAction, type TaskAction } from '../src/tasks/lifecycle.js';
import { analysisWritten } from '../workflows/definitions.js';
import { signalRounds } from './controlRound.js';
import type { Deps } from './deps.js';
import { refusalsFinal } from './refusals.js';

export function taskActionActivities({ db, client, taskQueue }: Deps) {
  /** A report's analysis task was completed: its report workflow reads the text at once. */
  const nudgeReport = async (task: TaskRow) => {
    const { report } = await ruleVersion(db, task.rule_version);
    if (!report) return;
    try {
      await client.workflow.getHandle(workflowIds.tertialReport(task.unit_id, periodOfAnalysis(report, task.period).id)).signal(analysisWritten);
    } catch (error) {
      // No report workflow (not started, or done): the text is in the store for `arshjul report`.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  };
  return {
    /** The changed task, the lifecycle's words for it, and whether a follow-up task was made. */
    async applyTaskAction(action: TaskAction): Promise<{ task: TaskRow; message: string; followUp: boolean }> {
      const result = await refusalsFinal(() => applyTaskAction(db, action));
      await signalRounds(client, taskQueue, result.rounds);
      if (action.kind === 'complete') await nudgeReport(result.task);
      return { task: result.task, message: result.message, followUp: action.kind === 'complete' && result.rounds.length > 1 };
    },

    async queryTasks(filter: TaskFilter): Promise<TaskRow[]> {
      return listTasks(db, filter);
    },
  };
}
