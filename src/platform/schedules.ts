// One Temporal Schedule per unit starts its daily sweep: weekdays 06:00 in Europe/Stockholm (the
// sweep itself skips Swedish holidays). Reconciled at every start: created, or updated to this spec.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from './config.js';

export function sweepScheduleId(unitId: string): string {
  return `sweep:${unitId}`;
}

export function sweepSchedule(unitId: string, taskQueue: string): ScheduleOptions {
  return {
    scheduleId: sweepScheduleId(unitId),
    spec: {
      calendars: [{ dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY' }], hour: 6, minute: 0, comment: 'vardagar 06:00' }],
      timezone: 'Europe/Stockholm',
    },
    action: { type: 'startWorkflow', workflowType: 'sweep', args: [{ unitId }], taskQueue, workflowId: `sweep:${unitId}` },
    // A sweep still running when the next is due is not started twice; a worker down over a
    // weekend catches up on the missed days when it returns.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '4 days' },
  };
}

export function digestScheduleId(unitId: string): string {
  return `digest:${unitId}`;
}

/** The unit's digests, weekdays 07:00, after the sweep has made the day's tasks. */
export function digestSchedule(unitId: string, taskQueue: string): ScheduleOptions {
  return {
    scheduleId: digestScheduleId(unitId),
    spec: {
      calendars: [{ dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY' }], hour: 7, minute: 0, comment: 'vardagar 07:00' }],
      timezone: 'Europe/Stockholm',
    },
    action: { type: 'startWorkflow', workflowType: 'digests', args: [{ unitId }], taskQueue, workflowId: `digest:${unitId}` },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '4 days' },
  };
}

export async function reconcileSchedules(client: Client, config: Pick<Config, 'taskQueue'>, unitIds: string[]): Promise<void> {
  for (const options of unitIds.flatMap((unitId) => [sweepSchedule(unitId, config.taskQueue), digestSchedule(unitId, config.taskQueue)])) {
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
