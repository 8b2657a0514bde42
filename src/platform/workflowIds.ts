// Every workflow and schedule id in one place. Ids reach Temporal's UI and logs, so none holds a
// task id or anything else that names a case.
import { randomUUID } from 'node:crypto';
import type { RoundKey } from '../store/controlRounds.js';

export const workflowIds = {
  sweepSchedule: (unitId: string) => `sweep:${unitId}`,
  digestSchedule: (unitId: string) => `digest:${unitId}`,
  /** One control round per unit, rule and month. */
  controlRound: (round: RoundKey) => `round:${round.unitId}:${round.ruleId}:${round.period}`,
  internalControl: (unitId: string, year: number) => `internal-control:${unitId}:${year}`,
  tertialReport: (unitId: string, period: string) => `report:${unitId}:${period}`,
  /** A sweep or the digests run by hand (CLI, first start), beside the schedule's own runs. */
  manualSweep: (unitId: string, date: string) => `sweep:${unitId}:manual:${date}:${randomUUID()}`,
  manualDigests: (unitId: string, date: string) => `digest:${unitId}:manual:${date}:${randomUUID()}`,
  /** A task change from the web app or the CLI: the same kind of workflow, the same kind of id. */
  taskList: () => `task-list:${randomUUID()}`,
  settingsChange: () => `settings:${randomUUID()}`,
  workerCheck: () => `doctor:${randomUUID()}`,
};
