// Every workflow and schedule id in one place. Ids reach Temporal's UI and logs, so none holds a
// task id or anything else that names a case.
import { randomUUID } from 'node:crypto';

export const workflowIds = {
  sweepSchedule: (unitId: string) => `sweep:${unitId}`,
  digestSchedule: (unitId: string) => `digest:${unitId}`,
  internalControl: (unitId: string, year: number) => `internal-control:${unitId}:${year}`,
  tertialReport: (unitId: string, period: string) => `report:${unitId}:${period}`,
  /** A sweep or the digests run by hand (CLI, first start), beside the schedule's own runs. */
  manualSweep: (unitId: string, date: string) => `sweep:${unitId}:manual:${date}:${randomUUID()}`,
  manualDigests: (unitId: string, date: string) => `digest:${unitId}:manual:${date}:${randomUUID()}`,
  settingsChange: () => `settings:${randomUUID()}`,
  workerCheck: () => `doctor:${randomUUID()}`,
};
