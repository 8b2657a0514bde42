// `arshjul worker`: one more worker against an existing cluster, which is how Årshjul scales out.
import type { Config } from '../platform/config.js';
import { ConfigError } from '../platform/config.js';
import { connectWorker } from '../platform/temporalConnection.js';
import { createWorker, installLogging } from '../../worker/index.js';

export async function runWorker(config: Config): Promise<void> {
  if (!config.temporalAddress) {
    throw new ConfigError('arshjul worker behöver TEMPORAL_ADDRESS; för allt i en process, kör npm start.');
  }
  installLogging(config.logLevel);
  const connection = await connectWorker(config, config.temporalAddress);
  const worker = await createWorker(connection, config.namespace, config.taskQueue);
  process.once('SIGINT', () => worker.shutdown());
  process.once('SIGTERM', () => worker.shutdown());
  await worker.run();
  await connection.close();
}
