// `arshjul worker`: one more worker against an existing cluster, which is how Årshjul scales out.
import type { Config } from '../platform/config.js';
import { ConfigError } from '../platform/config.js';
import { Client } from '@temporalio/client';
import { dataConverterFor } from '../platform/payloadCodec.js';
import { connectClient, connectWorker } from '../platform/temporalConnection.js';
import { serveWorkerHealth } from '../platform/health.js';
import { makePrivate } from '../platform/privateFiles.js';
import { endRoundsBegunBefore, reconcileUnits } from '../platform/schedules.js';
import { ensureSearchAttributes } from '../platform/searchAttributes.js';
import { unitIds } from '../store/cases.js';
import { openStore } from '../store/open.js';
import { createWorker, depsFor, installRuntime } from '../../worker/index.js';

export async function runWorker(config: Config): Promise<void> {
  if (!config.temporalAddress) {
    throw new ConfigError('arshjul worker behöver TEMPORAL_ADDRESS; för allt i en process, kör npm start.');
  }
  await makePrivate(config.dataDir).catch(() => undefined);
  installRuntime(config.logLevel, config.metricsPort ? `${config.webHost}:${config.metricsPort}` : undefined);
  const db = await openStore(config);
  const clientConnection = await connectClient(config, config.temporalAddress);
  const dataConverter = await dataConverterFor(config);
  const client = new Client({ connection: clientConnection, namespace: config.namespace, dataConverter });
  // Every unit in the store, whichever worker starts first: creating what exists is a no-op.
  await ensureSearchAttributes(clientConnection, config.namespace);
  await reconcileUnits(client, config.taskQueue, await unitIds(db));
  await endRoundsBegunBefore(client);
  const connection = await connectWorker(config, config.temporalAddress);
  const worker = await createWorker(connection, config.namespace, depsFor(config, db, client), dataConverter, config.workerActivities);
  const health = config.healthPort ? await serveWorkerHealth({ host: config.webHost, port: config.healthPort }, { worker: () => worker.getState(), db }) : undefined;
  // A stop lets the activities under way finish (the SDK's shutdown grace), then the process ends.
  process.once('SIGINT', () => worker.shutdown());
  process.once('SIGTERM', () => worker.shutdown());
  try {
    await worker.run();
  } finally {
    health?.close();
    await connection.close();
    await clientConnection.close();
    await db.close();
  }
}
