// A person's change to a task: a store transaction in the process that holds the store, and the
// activity that runs the same for workflows begun before. A refusal is final, not retried; a report
// waiting for its analysis hears of it after the commit.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { workflowIds } from '../src/platform/workflowIds.js';
import { periodOfAnalysis } from '../src/reports/period.js';
import { ruleVersion } from '../src/store/rulePacks.js';
import { listTasks, type TaskFilter, type TaskRow } from '../src/store/tasks.js';
import { applyTaskAction, type TaskAction } from '../src/tasks/lifecycle.js';
import { analysisWritten } from '../workflows/definitions.js';
import type { Deps } from './deps.js';
import { refusalsFinal } from './refusals.js';

/** A report's analysis task was completed: its report workflow reads the text at once. */
async function nudgeReport({ db, client }: Pick<Deps, 'db' | 'client'>, task: TaskRow): Promise<void> {
  const { report } = await ruleVersion(db, task.rule_version);
  if (!report) return;
  try {
    await client.workflow.getHandle(workflowIds.tertialReport(task.unit_id, periodOfAnalysis(report, task.period).id)).signal(analysisWritten);
  } catch (error) {
    // No report workflow (not started, or done): the text is in the store for `arshjul report`.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

/** How long a person's request waits for Temporal to take the signal before it answers without. */
const signalWait = 2_000;

/** After the commit, a completed analysis wakes its report. The change stands if Temporal cannot hear of it. */
async function tellTemporal({ db, client }: Pick<Deps, 'db' | 'client'>, action: TaskAction, result: Awaited<ReturnType<typeof applyTaskAction>>) {
  if (action.kind !== 'complete') return;
  try {
    await client.withDeadline(Date.now() + signalWait, () => nudgeReport({ db, client }, result.task));
  } catch (error) {
    console.warn(`Temporal fick inte veta om en klar uppgift (${(error as Error).name}); ändringen är sparad, och rapporten läser analysen när den skrivs ut.`);
  }
}

/**
 * A person's change to a task: one store transaction (the lifecycle's). The web app calls this in
 * its own process; the CLI in the store it opens, or through the running instance's private channel
 * (src/cli/localChannel.ts) when that holds the embedded store. No workflow runs per action: the
 * next sweep's steps read the store. Only a report waiting for its analysis is told, after the commit.
 */
export async function actOnTask({ db, client }: Pick<Deps, 'db'> & { client: Client | undefined }, action: TaskAction): Promise<TaskActed> {
  const result = await applyTaskAction(db, action);
  // No client: no Temporal runs here (the CLI on a stopped embedded installation).
  if (client) await tellTemporal({ db, client }, action, result);
  return { task: result.task, message: result.message, followUp: result.followUps > 0 };
}

export interface TaskActed {
  task: TaskRow;
  message: string;
  /** A follow-up task was made. */
  followUp: boolean;
}

export function taskActionActivities(deps: Deps) {
  return {
    /** The changed task, the lifecycle's words for it, and whether a follow-up task was made. */
    async applyTaskAction(action: TaskAction): Promise<TaskActed> {
      return refusalsFinal(() => actOnTask(deps, action));
    },

    async queryTasks(filter: TaskFilter): Promise<TaskRow[]> {
      return listTasks(deps.db, filter);
    },
  };
}
