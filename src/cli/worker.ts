// `arshjul worker`: one more worker against an existing cluster, which is how Årshjul scales out.
import type { Config } from '../platform/config.js';
import { ConfigError } from '../platform/config.js';
import { Client } from '@temporalio/client';
import { dataConverterFor } from '../platform/payloadCodec.js';
import { connectClient, connectWorker } from '../platform/temporalConnection.js';
import { openStore } from '../store/open.js';
import { createWorker, depsFor, installLogging } from '../../worker/index.js';

export async function runWorker(config: Config): Promise<void> {
  if (!config.temporalAddress) {
    throw new ConfigError('arshjul worker behöver TEMPORAL_ADDRESS; för allt i en process, kör npm start.');
  }
  installLogging(config.logLevel);
  const db = await openStore(config);
  const clientConnection = await connectClient(config, config.temporalAddress);
  const dataConverter = await dataConverterFor(config);
  const client = new Client({ connection: clientConnection, namespace: config.namespace, dataConverter });
  const connection = await connectWorker(config, config.temporalAddress);
  const worker = await createWorker(connection, config.namespace, depsFor(config, db, client), dataConverter);
  process.once('SIGINT', () => worker.shutdown());
  process.once('SIGTERM', () => worker.shutdown());
  try {
    await worker.run();
  } finally {
    await connection.close();
    await clientConnection.close();
    await db.close();
  }
}
