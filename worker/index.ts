// Wiring only: a worker for Årshjul's task queue with its workflows and activities.
import { createRequire } from 'node:module';
import { DefaultLogger, Runtime, Worker, type LogLevel, type NativeConnection } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { createActivities, type Deps } from '../activities/index.js';
import { createMailer } from '../src/notifications/mailer.js';
import type { Config } from '../src/platform/config.js';
import { rulesDir } from '../src/platform/paths.js';
import type { Db } from '../src/store/db.js';

const require = createRequire(import.meta.url);

/**
 * The SDK's runtime, once per process, before connecting: logs at WARN by default (the bundler's
 * INFO lines say nothing a user needs), and Prometheus metrics when a bind address is given.
 */
export function installRuntime(level: LogLevel = 'WARN', metricsAddress?: string): void {
  Runtime.install({
    logger: new DefaultLogger(level),
    ...(metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress, countersTotalSuffix: true } } } } : {}),
  });
}

/** What the activities need, from the configuration, the store and a Temporal client. */
export function depsFor(config: Config, db: Db, client: Client): Deps {
  return { db, client, taskQueue: config.taskQueue, rulesDir, mailer: createMailer(config), mailFrom: config.mailFrom, baseUrl: config.baseUrl, accessLogRetentionYears: config.accessLogRetentionYears };
}

/**
 * A worker; with a data converter (Årshjul's own processes: src/platform/payloadCodec.ts), its
 * payloads encrypted; `activities`: how many it runs at once, and as many local ones, each at most the store's pool.
 */
export async function createWorker(connection: NativeConnection, namespace: string, deps: Deps, dataConverter?: DataConverter, activities?: number): Promise<Worker> {
  return Worker.create({
    maxConcurrentActivityTaskExecutions: activities,
    maxConcurrentLocalActivityExecutions: activities,
    connection,
    namespace,
    taskQueue: deps.taskQueue,
    workflowsPath: require.resolve('../workflows/index.ts'),
    activities: createActivities(deps),
    dataConverter,
  });
}
