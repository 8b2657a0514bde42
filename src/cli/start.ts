// `arshjul start`: the embedded defaults in one process tree. Opens the store (a demo unit into an
// empty one), starts the Temporal dev server (unless TEMPORAL_ADDRESS points elsewhere), registers
// the search attributes, reconciles the schedules, the internal-control and the report workflows,
// runs the worker.
import { mkdir } from 'node:fs/promises';
import { Client } from '@temporalio/client';
import { today } from '../calendar/businessDays.js';
import type { Config } from '../platform/config.js';
import { startDevServer, type DevServer } from '../platform/devServer.js';
import { rulesDir } from '../platform/paths.js';
import { ensureInternalControl, ensureReports, reconcileSchedules } from '../platform/schedules.js';
import { ensureSearchAttributes } from '../platform/searchAttributes.js';
import { connectClient, connectWorker } from '../platform/temporalConnection.js';
import { ensureTemporalCli } from '../platform/tools.js';
import { reportKinds } from '../reports/period.js';
import { readRulePack } from '../rules/files.js';
import { unitIds } from '../store/cases.js';
import type { Db } from '../store/db.js';
import { openStore } from '../store/open.js';
import { createWorker, depsFor, installLogging } from '../../worker/index.js';
import { loadDemo } from './demo.js';

export async function start(config: Config): Promise<void> {
  await mkdir(config.dataDir, { recursive: true });
  installLogging(config.logLevel);
  const db = await openStore(config);
  try {
    if ((await unitIds(db)).length === 0) {
      // A newcomer sees a living unit at once.
      const counts = await loadDemo(db, 730, 2027);
      console.log(`Tom databas: laddade demoenheten demo-eb med ${counts.added} hushåll (npx arshjul demo).`);
    }
    await run(config, db);
  } finally {
    await db.close();
  }
}

async function run(config: Config, db: Db): Promise<void> {
  let devServer: DevServer | undefined;
  let address = config.temporalAddress;
  if (!address) {
    devServer = await startDevServer({
      temporalBinary: await ensureTemporalCli(),
      dataDir: config.dataDir,
      namespace: config.namespace,
      port: config.devServerPort,
      uiPort: config.devServerUiPort,
    });
    address = devServer.address;
  }
  try {
    const connection = await connectClient(config, address);
    await ensureSearchAttributes(connection, config.namespace);
    const client = new Client({ connection, namespace: config.namespace });
    const units = await unitIds(db);
    await reconcileSchedules(client, config, units);
    // This year's and later plans; an earlier year's workflow has run its course.
    const thisYear = Number(today().slice(0, 4));
    const years = (await readRulePack(rulesDir)).plans.map((p) => p.plan.year).filter((year) => year >= thisYear);
    await ensureInternalControl(client, config.taskQueue, units, years);
    // Last year's annual report (made in January) and this year's three reports.
    await ensureReports(client, config.taskQueue, units, [`${thisYear - 1}-VB`, ...reportKinds.map((kind) => `${thisYear}-${kind}`)]);

    const workerConnection = await connectWorker(config, address);
    const worker = await createWorker(workerConnection, config.namespace, depsFor(config, db, client));
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: stoppar worker och Temporal ...`);
      worker.shutdown();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));

    console.log(`Årshjul körs. Temporal: ${address}, namespace ${config.namespace}, kö ${config.taskQueue}.`);
    if (devServer) console.log(`Temporal Web UI: ${devServer.uiUrl}`);
    console.log(`Data: ${config.dataDir}. Stoppa med Ctrl-C.`);
    await worker.run();
    await workerConnection.close();
    await connection.close();
  } finally {
    await devServer?.stop();
  }
}
