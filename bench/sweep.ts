// Sweep benchmark: one sweep of 20,000 cases against the Temporal dev server, with the embedded
// store. Prints wall time, tasks created per second, workflows started and Temporal actions per
// created task, counted from the histories. Targets: under 60 s; under 0.05 workflow starts per task.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
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

    // Let each round take its first step before its history is counted.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const rounds = (await db.query<{ rule_id: string }>('SELECT DISTINCT rule_id FROM tasks')).map((r) => env.client.workflow.getHandle(`round:${unit.unit.id}:${r.rule_id}:2027-05`));
    const handles: WorkflowHandle[] = [env.client.workflow.getHandle('bench-sweep'), ...rounds];
    let counted = 0;
    for (const handle of handles) counted += actions((await handle.fetchHistory()).events ?? []);
    worker.shutdown();
    await running;

    const starts = handles.length;
    console.log('Svep: 20 000 ärenden, 2027-05-03, Temporal dev server, inbäddad databas');
    console.log(`  wall time             ${seconds.toFixed(1)} s (target < 60 s)`);
    console.log(`  tasks created         ${summary.created}, ${Math.round(summary.created / seconds).toLocaleString('en-US')} per second`);
    console.log(`  workflows started     ${starts} (1 sweep + ${rounds.length} rounds), ${(starts / summary.created).toFixed(5)} per task (target < 0.05)`);
    console.log(`  Temporal actions      ${counted}, ${(counted / summary.created).toFixed(4)} per created task`);
    return seconds < 60 && starts / summary.created < 0.05;
  } finally {
    await db.close();
    await env.teardown();
  }
}
