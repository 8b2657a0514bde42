// What Temporal runs for every unit, reconciled at every start of `arshjul start` or a worker and
// when an import adds a unit: two Schedules (the daily sweep at 06:00 and the digests at 07:00,
// weekdays in Europe/Stockholm; the workflows themselves skip Swedish holidays), created or updated
// to this spec, and the yearly workflows (internal control, reports), started once.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, WorkflowExecutionAlreadyStartedError, type Client, type ScheduleOptions } from '@temporalio/client';
import { today } from '../calendar/businessDays.js';
import { DIGEST_HOUR, SWEEP_HOUR } from '../calendar/dailyHours.js';
import { planYears } from '../internkontroll/plan.js';
import { reportKinds, reportPeriod, reportClosesAt } from '../reports/period.js';
import { readRulePack } from '../rules/files.js';
import type { Config } from './config.js';
import { unitAttribute } from './searchAttributes.js';
import { rulesDir } from './paths.js';
import { workflowIds } from './workflowIds.js';

function weekdays(scheduleId: string, workflowType: string, hour: number, unitId: string, taskQueue: string): ScheduleOptions {
  return {
    scheduleId,
    spec: {
      calendars: [{ dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY' }], hour, minute: 0, comment: `vardagar ${hour}:00` }],
      timezone: 'Europe/Stockholm',
    },
    // The unit as a search attribute: the Web UI lists a unit's sweeps and digests by it and by the
    // day (TemporalScheduledStartTime), and the sweep's result says what it did.
    action: { type: 'startWorkflow', workflowType, args: [{ unitId }], taskQueue, workflowId: scheduleId, typedSearchAttributes: [{ key: unitAttribute, value: unitId }] },
    // A run still going when the next is due is not started twice; a worker down over a weekend
    // catches up on the missed days when it returns.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '4 days' },
  };
}

export function unitSchedules(unitId: string, taskQueue: string): ScheduleOptions[] {
  return [
    weekdays(workflowIds.sweepSchedule(unitId), 'sweep', SWEEP_HOUR, unitId, taskQueue),
    // After the sweep has made the day's tasks.
    weekdays(workflowIds.digestSchedule(unitId), 'digests', DIGEST_HOUR, unitId, taskQueue),
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

/**
 * Everything Temporal runs for these units: the schedules, this year's and later internal-control
 * plans, and the reports still to come or closed within the last month (a first start in November
 * makes no late T1; next year's too, for a process that runs over New Year). Units a few at a time:
 * a city has dozens, and every call is a round trip.
 */
export async function reconcileUnits(client: Client, taskQueue: string, unitIds: string[]): Promise<void> {
  const thisYear = Number(today().slice(0, 4));
  const { plans } = await readRulePack(rulesDir);
  const periods = [thisYear - 1, thisYear, thisYear + 1]
    .flatMap((year) => reportKinds.map((kind) => reportPeriod(year, kind)))
    .filter((p) => reportClosesAt(p) >= Date.now() - 31 * 86_400_000)
    .map((p) => p.id);
  const pending = [...unitIds];
  const next = async (): Promise<void> => {
    for (let unitId = pending.shift(); unitId !== undefined; unitId = pending.shift()) {
      await reconcileSchedules(client, { taskQueue }, [unitId]);
      await ensureInternalControl(client, taskQueue, [unitId], planYears(plans, unitId).filter((year) => year >= thisYear));
      await ensureReports(client, taskQueue, [unitId], periods);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, unitIds.length) }, next));
}

/**
 * Wakes every round workflow still running from before the daily sweep took the steps over: each
 * wake's step answers done, and the round ends. A round waiting for a change would otherwise wait
 * for ever. Run at every start; after the first it finds none.
 */
export async function endRoundsBegunBefore(client: Client): Promise<number> {
  let woken = 0;
  for await (const round of client.workflow.list({ query: "WorkflowType = 'controlRound' AND ExecutionStatus = 'Running'" })) {
    await client.workflow.getHandle(round.workflowId, round.runId).signal('tasksChanged');
    woken++;
  }
  return woken;
}
