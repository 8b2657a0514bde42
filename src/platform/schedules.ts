// Two Temporal Schedules per unit: the daily sweep at 06:00 and the digests at 07:00, weekdays in
// Europe/Stockholm (the workflows themselves skip Swedish holidays). Reconciled at every start:
// created, or updated to this spec.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, WorkflowExecutionAlreadyStartedError, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from './config.js';
import { workflowIds } from './workflowIds.js';

function weekdays(scheduleId: string, workflowType: string, hour: number, unitId: string, taskQueue: string): ScheduleOptions {
  return {
    scheduleId,
    spec: {
      calendars: [{ dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY' }], hour, minute: 0, comment: `vardagar ${hour}:00` }],
      timezone: 'Europe/Stockholm',
    },
    action: { type: 'startWorkflow', workflowType, args: [{ unitId }], taskQueue, workflowId: scheduleId },
    // A run still going when the next is due is not started twice; a worker down over a weekend
    // catches up on the missed days when it returns.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '4 days' },
  };
}

export function unitSchedules(unitId: string, taskQueue: string): ScheduleOptions[] {
  return [
    weekdays(workflowIds.sweepSchedule(unitId), 'sweep', 6, unitId, taskQueue),
    // After the sweep has made the day's tasks.
    weekdays(workflowIds.digestSchedule(unitId), 'digests', 7, unitId, taskQueue),
  ];
}

export async function reconcileSchedules(client: Client, config: Pick<Config, 'taskQueue'>, unitIds: string[]): Promise<void> {
  for (const options of unitIds.flatMap((unitId) => unitSchedules(unitId, config.taskQueue))) {
    try {
      await client.schedule.create(options);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(options.scheduleId).update((previous) => ({
        ...previous,
        spec: options.spec,
        action: options.action,
        policies: { ...previous.policies, ...options.policies },
      }));
    }
  }
}

/** Starts a workflow unless one with its id runs or has completed; a failed one may start again. */
async function startOnce(client: Client, taskQueue: string, workflowType: string, workflowId: string, args: unknown[]): Promise<void> {
  try {
    await client.workflow.start(workflowType, { taskQueue, workflowId, args, workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/** One internal-control workflow per unit and plan year. */
export async function ensureInternalControl(client: Client, taskQueue: string, unitIds: string[], years: number[]): Promise<void> {
  for (const unitId of unitIds) {
    for (const year of years) await startOnce(client, taskQueue, 'internalControl', workflowIds.internalControl(unitId, year), [{ unitId, year }]);
  }
}

/** One report workflow per unit and period (YYYY-T1, YYYY-T2, YYYY-VB); each sleeps until its period has closed. */
export async function ensureReports(client: Client, taskQueue: string, unitIds: string[], periods: string[]): Promise<void> {
  for (const unitId of unitIds) {
    for (const period of periods) await startOnce(client, taskQueue, 'tertialReport', workflowIds.tertialReport(unitId, period), [{ unitId, period }]);
  }
}
