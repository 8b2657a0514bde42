// `arshjul web`: the web app as a process of its own, against PostgreSQL and a Temporal cluster,
// with no worker. Several can run side by side behind a load balancer: sessions, sign-in failures
// and secrets live in the store, nothing in the process a second replica would miss.
import { Client } from '@temporalio/client';
import { ConfigError, type Config } from '../platform/config.js';
import { dataConverterFor } from '../platform/payloadCodec.js';
import { makePrivate } from '../platform/privateFiles.js';
import { connectClient } from '../platform/temporalConnection.js';
import { openStore } from '../store/open.js';
import { draining } from '../web/health.js';
import { startWeb } from '../web/index.js';


export async function runWeb(config: Config): Promise<void> {
  if (!config.databaseUrl || !config.temporalAddress) {
    throw new ConfigError('arshjul web behöver DATABASE_URL och TEMPORAL_ADDRESS (den inbyggda databasen är en process: kör npm start).');
  }
  await makePrivate(config.dataDir).catch(() => undefined);
  const db = await openStore(config);
  const connection = await connectClient(config, config.temporalAddress);
  const client = new Client({ connection, namespace: config.namespace, dataConverter: await dataConverterFor(config) });
  const web = await startWeb(config, db, client);
  console.log(`Årshjul webb på http://${config.webHost}:${config.webPort}/ (Temporal ${config.temporalAddress}). Stoppa med Ctrl-C.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  // Drains: /readyz says 503 at once so the load balancer stops sending; a moment later no new
  // connections are taken, the requests under way are answered, then the store and Temporal close.
  draining.value = true;
  await new Promise((resolve) => setTimeout(resolve, config.drainSeconds * 1000));
  await web.close();
  await connection.close();
  await db.close();
}
