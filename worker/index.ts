// Wiring only: a worker for Årshjul's task queue with its workflows and activities.
import { createRequire } from 'node:module';
import { DefaultLogger, Runtime, Worker, type LogLevel, type NativeConnection } from '@temporalio/worker';
import { createActivities, type Deps } from '../activities/index.js';

const require = createRequire(import.meta.url);

/** Worker logs at WARN by default: the bundler's INFO lines say nothing a user needs. Call before connecting. */
export function installLogging(level: LogLevel = 'WARN'): void {
  Runtime.install({ logger: new DefaultLogger(level) });
}

export async function createWorker(connection: NativeConnection, namespace: string, deps: Deps): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue: deps.taskQueue,
    workflowsPath: require.resolve('../workflows/index.ts'),
    activities: createActivities(deps),
  });
}
