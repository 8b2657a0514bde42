// Every activity the worker serves, made with what they need (deps.ts).
import { controlRoundActivities } from './controlRound.js';
import { internkontrollActivities } from './internkontroll.js';
import { notificationActivities } from './notifications.js';
import { reportActivities } from './reports.js';
import { sweepActivities } from './sweep.js';
import { taskActivities } from './tasks.js';
import { workerInfo } from './workerInfo.js';
import type { Deps } from './deps.js';

export type { Deps };

export function createActivities(deps: Deps) {
  return {
    workerInfo, ...sweepActivities(deps), ...controlRoundActivities(deps), ...taskActivities(deps), ...notificationActivities(deps), ...internkontrollActivities(deps), ...reportActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { WorkerInfo } from './workerInfo.js';
