// Every activity the worker serves, made with what they need: the store, a Temporal client to
// start and signal rounds, and where the rule pack lives.
import type { Client } from '@temporalio/client';
import type { Mailer } from '../src/notifications/mailer.js';
import type { Db } from '../src/store/db.js';
import { cycleActivities } from './cycle.js';
import { internkontrollActivities } from './internkontroll.js';
import { notificationActivities } from './notifications.js';
import { reportActivities } from './reports.js';
import { taskActivities } from './tasks.js';
import { workerInfo } from './workerInfo.js';

export interface Deps {
  db: Db;
  client: Client;
  taskQueue: string;
  rulesDir: string;
  mailer: Mailer;
  mailFrom: string;
  /** The web app's address, for the links in mails. */
  baseUrl: string;
}

export function createActivities(deps: Deps) {
  return { workerInfo, ...cycleActivities(deps), ...taskActivities(deps), ...notificationActivities(deps), ...internkontrollActivities(deps), ...reportActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
export type { WorkerInfo } from './workerInfo.js';
