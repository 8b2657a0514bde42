// `arshjul start`: the embedded defaults in one process tree. Opens the store (a demo unit into an
// empty one), starts the Temporal dev server (unless TEMPORAL_ADDRESS points elsewhere), registers
// the search attributes, reconciles the schedules, the internal-control and the report workflows,
// runs the worker.
import { mkdir } from 'node:fs/promises';
import { Client } from '@temporalio/client';
import type { Config } from '../platform/config.js';
import { startDevServer, type DevServer } from '../platform/devServer.js';
import { endRoundsBegunBefore, reconcileUnits } from '../platform/schedules.js';
import { ensureSearchAttributes } from '../platform/searchAttributes.js';
import { connectClient, connectWorker } from '../platform/temporalConnection.js';
import { dataConverterFor } from '../platform/payloadCodec.js';
import { makePrivate } from '../platform/privateFiles.js';
import { ensureTemporalCli } from '../platform/tools.js';
import { unitIds } from '../store/cases.js';
import { analyze, type Db } from '../store/db.js';
import { openStore } from '../store/open.js';
import { serveLocal } from './localChannel.js';
import { createWorker, depsFor, installRuntime } from '../../worker/index.js';
import { startWeb } from '../web/index.js';
import { demoPassword, loadDemo, sweepDemoMonth } from './demo.js';
import { today } from '../calendar/businessDays.js';
import { backfillYear } from '../demo/pastYear.js';
import { readRuleFiles } from '../rules/files.js';
import { usablePack } from '../store/rulePacks.js';
import { rulesDir } from '../platform/paths.js';

/**
 * Whether a start loads the demo unit (with its published password, an admin among them): only
 * into an empty embedded store, a newcomer's `npm start`. A PostgreSQL store is an installation's:
 * it gets the demo only when asked (`arshjul demo`), never because it happens to be empty.
 */
export function loadsDemo(config: Pick<Config, 'databaseUrl'>, emptyStore: boolean): boolean {
  return emptyStore && !config.databaseUrl;
}

export async function start(config: Config): Promise<void> {
  await mkdir(config.dataDir, { recursive: true });
  // A data folder made before (or by another tool) is put right too.
  await makePrivate(config.dataDir);
  installRuntime(config.logLevel, config.metricsPort ? `${config.webHost}:${config.metricsPort}` : undefined);
  const db = await openStore(config);
  try {
    // The embedded engine has no autovacuum: fresh statistics for the web app before the first
    // sweep refreshes them (once in every half day). Not in openStore: short CLI commands need none.
    if (!config.databaseUrl) await analyze(db);
    const empty = (await unitIds(db)).length === 0;
    const freshDemo = loadsDemo(config, empty);
    if (empty && !freshDemo) {
      console.log('Databasen (DATABASE_URL) har inga enheter: importera enhetens ärendefil (npx arshjul import cases FIL) eller, för att prova, demoenheten (npx arshjul demo).');
    }
    if (freshDemo) {
      // A newcomer sees a living unit at once: its year so far, run by the real cycle day by day.
      const counts = await loadDemo(db, 730, 2027, Number(today().slice(0, 4)));
      console.log(`Tom databas: laddade demoenheten demo-eb med ${counts.added} hushåll (npx arshjul demo).`);
      if (config.demoYear) {
        console.log('Kör årets cykel dag för dag fram till i dag (ungefär en minut, bara första gången) ...');
        const { pack } = await usablePack(db, await readRuleFiles(rulesDir));
        const year = await backfillYear(db, { unitId: 'demo-eb', pack, until: today() });
        console.log(`Demoåret: ${year.days} bankdagar, ${year.created} uppgifter, ${year.actions} gjorda av personalen, ${year.reports} rapportversioner.`);
        const ik = year.internalControl;
        console.log(ik ? `Internkontrollen: ${ik.samples} stickprov, ${ik.reviews} granskningar, ${ik.deviations} avvikelser (${ik.closed} rättade), ${ik.analyses} analyser, ${ik.reports} rapporter.`
          : 'Internkontrollen: ingen plan för året bland reglerna.');
      }
    }
    await run(config, db, freshDemo);
  } finally {
    await db.close();
  }
}

async function run(config: Config, db: Db, freshDemo: boolean): Promise<void> {
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
    // Payloads encrypted on every client and worker of this process (the web app's client is this one).
    const dataConverter = await dataConverterFor(config);
    const client = new Client({ connection, namespace: config.namespace, dataConverter });
    const units = await unitIds(db);
    const demo = units.includes('demo-eb');
    await reconcileUnits(client, config.taskQueue, units);
    await endRoundsBegunBefore(client);

    const workerConnection = await connectWorker(config, address);
    const worker = await createWorker(workerConnection, config.namespace, depsFor(config, db, client), dataConverter, config.workerActivities);
    // The web app lives in this process: the embedded store can only be open in one.
    const web = await startWeb(config, db, client);
    // The CLI's task changes, lists and closes reach the store this process holds through a private socket.
    const local = await serveLocal(config, { db, client });
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: stoppar worker och Temporal ...`);
      worker.shutdown();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));

    const running = worker.run();
    if (freshDemo) await sweepDemoMonth(client, config.taskQueue);
    console.log(`Årshjul körs. Temporal: ${address}, namespace ${config.namespace}, kö ${config.taskQueue}.`);
    if (devServer) console.log(`Temporal Web UI: ${devServer.uiUrl}`);
    console.log(`Årshjul i webbläsaren: http://${config.webHost}:${config.webPort}/ (länkar i e-post: ${config.baseUrl})`);
    if (demo) console.log(`Demo: logga in som ss-01 (socialsekreterare), bh-01 (bidragshandläggare), bec-01 (biträdande enhetschef), ec-01 (enhetschef) eller adm-01 (admin) med lösenordet ${demoPassword}.`);
    console.log(`Data: ${config.dataDir}. Stoppa med Ctrl-C.`);
    await running;
    await local.close();
    await web.close();
    await workerConnection.close();
    await connection.close();
  } finally {
    await devServer?.stop();
  }
}
