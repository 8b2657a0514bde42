// Year benchmark: a whole year of daily sweeps and their control rounds (the example unit of test/fixtures/)
// on the time-skipping server, as test/cycle/year.test.ts checks it. Prints the real time it takes.
// Target: under a minute.
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { isBusinessDay, stockholmTime } from '../src/calendar/businessDays.js';
import { loadConfig } from '../src/platform/config.js';
import { ensureSearchAttributes } from '../src/platform/searchAttributes.js';
import { importCaseFile } from '../src/store/cases.js';
import { openEmbedded } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import type { yearOfSweeps } from '../test/fixtures/cycleWorkflows.js';
import { exampleCases } from '../test/helpers/fixtures.js';
import { timeSkippingEnvironment } from '../test/helpers/temporal.js';
import { depsFor, installRuntime } from '../worker/index.js';

const require = createRequire(import.meta.url);

export async function yearBenchmark(): Promise<boolean> {
  installRuntime('ERROR');
  const env = await timeSkippingEnvironment();
  const db = await openEmbedded(await mkdtemp(path.join(os.tmpdir(), 'arshjul-bench-year-')));
  try {
    await migrate(db);
    await ensureSearchAttributes(env.connection, 'default');
    const cases = exampleCases();
    await importCaseFile(db, cases, { fileName: 'x', fileHash: 'x', importedBy: 'bench', full: false, exportDate: '2027-01-01' });
    const days: { date: string; at: number }[] = [];
    for (let d = new Date(Date.UTC(2027, 0, 1)); d.getUTCFullYear() === 2027; d.setUTCDate(d.getUTCDate() + 1)) {
      const date = d.toISOString().slice(0, 10);
      if (isBusinessDay(date)) days.push({ date, at: stockholmTime(date, 6, 0) });
    }
    const config = loadConfig({ ARSHJUL_TASK_QUEUE: 'bench-year', ARSHJUL_DATA_DIR: path.join(os.tmpdir(), 'arshjul-bench-year-data') });
    const worker = await Worker.create({
      connection: env.nativeConnection, taskQueue: 'bench-year',
      workflowsPath: require.resolve('../test/fixtures/cycleWorkflows.ts'),
      activities: createActivities(depsFor(config, db, env.client)),
    });
    const running = worker.run();
    const started = performance.now();
    const created = await env.client.workflow.execute<typeof yearOfSweeps>('yearOfSweeps', {
      taskQueue: 'bench-year', workflowId: 'bench-year-2027', args: [{ unitId: cases.unit.id, days, until: stockholmTime('2028-01-20', 12) }],
    });
    const seconds = (performance.now() - started) / 1000;
    worker.shutdown();
    await running;
    console.log(`År: ${days.length} dagliga svep 2027 med kontrollomgångar, tidshoppande server, ${created} uppgifter`);
    console.log(`  real time             ${seconds.toFixed(1)} s (target < 60 s)`);
    return seconds < 60;
  } finally {
    await db.close();
    await env.teardown();
  }
}
