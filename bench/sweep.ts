// Sweep benchmark: one sweep of 20,000 cases against the Temporal dev server, with the embedded
// store. Prints wall time, tasks created per second, the steps it took, and the Temporal actions per
// created task, counted from its history: the sweep is the one workflow it starts (the steps are
// a statement of its own, no workflow per round). Targets: under 60 s; under 0.05 workflow starts per task.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { syntheticUnit } from '../src/cases/synthetic.js';
import { loadConfig } from '../src/platform/config.js';
import { ensureSearchAttributes } from '../src/platform/searchAttributes.js';
import { importCaseFile } from '../src/store/cases.js';
import { openEmbedded } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import type { sweep } from '../workflows/index.js';
import { createWorker, depsFor, installRuntime } from '../worker/index.js';
import { localEnvironment } from '../test/helpers/temporal.js';
import { actions } from './actions.js';

const households = 20_000;

export async function sweepBenchmark(): Promise<boolean> {
  installRuntime('ERROR');
  const env = await localEnvironment();
  const db = await openEmbedded(await mkdtemp(path.join(os.tmpdir(), 'arshjul-bench-sweep-')));
  try {
    await ensureSearchAttributes(env.connection, 'default');
    await migrate(db);
    const unit = syntheticUnit({ households, seed: 4 });
    await importCaseFile(db, unit, { fileName: 'bench', fileHash: 'bench', importedBy: 'bench', full: false, exportDate: '2027-05-03' });
    const config = loadConfig({ ARSHJUL_TASK_QUEUE: 'bench', ARSHJUL_DATA_DIR: path.join(os.tmpdir(), 'arshjul-bench-data') });
    const worker = await createWorker(env.nativeConnection, 'default', depsFor(config, db, env.client));
    const running = worker.run();
    const started = performance.now();
    const summary = await env.client.workflow.execute<typeof sweep>('sweep', { taskQueue: 'bench', workflowId: 'bench-sweep', args: [{ unitId: unit.unit.id, date: '2027-05-03' }] });
    const seconds = (performance.now() - started) / 1000;

    const counted = actions((await env.client.workflow.getHandle('bench-sweep').fetchHistory()).events ?? []);
    worker.shutdown();
    await running;

    // Every workflow the server has run, counted from its own list (the sweep should be the only one).
    let starts = 0;
    for await (const execution of env.client.workflow.list()) if (execution.type) starts++;
    const steps = summary.steps ?? {};
    console.log('Svep: 20 000 ärenden, 2027-05-03, Temporal dev server, inbäddad databas');
    console.log(`  wall time             ${seconds.toFixed(1)} s (target < 60 s)`);
    console.log(`  tasks created         ${summary.created}, ${Math.round(summary.created / seconds).toLocaleString('en-US')} per second`);
    console.log(`  steps taken           ${steps['reminder-due'] ?? 0} reminders, ${steps.due ?? 0} due, ${steps['escalation-due'] ?? 0} escalations`);
    console.log(`  workflows started     ${starts}, ${(starts / summary.created).toFixed(5)} per task (target < 0.05)`);
    console.log(`  Temporal actions      ${counted}, ${(counted / summary.created).toFixed(4)} per created task`);
    return seconds < 60 && starts / summary.created < 0.05;
  } finally {
    await db.close();
    await env.teardown();
  }
}
