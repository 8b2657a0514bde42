// Every activity the worker serves, made with what they need (deps.ts).
// Each file serves the workflow of its name.
import { controlRoundActivities } from './controlRound.js';
import type { Deps } from './deps.js';
import { digestActivities } from './digests.js';
import { internalControlActivities } from './internalControl.js';
import { sweepActivities } from './sweep.js';
import { taskActionActivities } from './taskAction.js';
import { taskListActivities } from './taskList.js';
import { tertialReportActivities } from './tertialReport.js';
import { workerInfo } from './workerCheck.js';

export type { Deps };

export function createActivities(deps: Deps) {
  return {
    workerInfo, ...sweepActivities(deps), ...controlRoundActivities(deps), ...taskActionActivities(deps), ...taskListActivities(deps), ...digestActivities(deps), ...internalControlActivities(deps), ...tertialReportActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { WorkerInfo } from './workerCheck.js';
