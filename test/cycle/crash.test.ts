// Acceptance: the worker is killed in the middle of a sweep of 5,000 cases and started again;
// afterwards every planned task exists exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { projectRoot } from '../../src/platform/paths.js';
import { dataConverterFor } from '../../src/platform/payloadCodec.js';
import { ensureSearchAttributes } from '../../src/platform/searchAttributes.js';
import { plan } from '../../src/planner/plan.js';
import { importCaseFile } from '../../src/store/cases.js';
import { openEmbedded, openPostgres, type Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import type { sweep } from '../../workflows/index.js';
import { cli } from '../helpers/arshjul.js';
import { freePort } from '../helpers/ports.js';
import { referencePack } from '../helpers/rules.js';
import { localEnvironment } from '../helpers/temporal.js';

const unit = syntheticUnit({ households: 5000, seed: 9 });

describe('a worker killed mid-sweep', () => {
  let env: TestWorkflowEnvironment;
  let workerEnv: NodeJS.ProcessEnv;
  let openStore: () => Promise<Db>;
  let client: Client;

  beforeAll(async () => {
    env = await localEnvironment();
    await ensureSearchAttributes(env.connection, 'default');
    // The store outlives the worker: PostgreSQL where the suite has one, else the embedded store,
    // which the killed worker leaves locked by a pid that is gone.
    const url = inject('postgresUrl');
    let storeEnv: NodeJS.ProcessEnv;
    if (url) {
      const admin = openPostgres(url);
      await admin.query('CREATE DATABASE arshjul_crash');
      await admin.close();
      const crashUrl = url.replace(/\/postgres$/, '/arshjul_crash');
      openStore = () => Promise.resolve(openPostgres(crashUrl));
      storeEnv = { DATABASE_URL: crashUrl };
    } else {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-crash-'));
      openStore = () => openEmbedded(path.join(dataDir, 'store'));
      storeEnv = { ARSHJUL_DATA_DIR: dataDir, DATABASE_URL: '' };
    }
    const db = await openStore();
    await migrate(db);
    await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-05-03' });
    await db.close();
    // `arshjul worker` encrypts payloads: this test's client reads them with the same key.
    const keyDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-crash-key-'));
    const payloadKeyFile = path.join(keyDir, 'payload-key');
    await writeFile(payloadKeyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    client = new Client({ connection: env.connection, namespace: 'default', dataConverter: await dataConverterFor({ dataDir: keyDir, payloadKeyFile }) });
    workerEnv = { ...process.env, ...storeEnv, TEMPORAL_ADDRESS: env.connection.options.address, ARSHJUL_TASK_QUEUE: 'crash', ARSHJUL_PAYLOAD_KEY_FILE: payloadKeyFile };
  }, 120_000);
  afterAll(async () => {
    await env?.teardown();
  });

  function startWorker(metricsPort?: number): ChildProcess {
    const env = metricsPort ? { ...workerEnv, ARSHJUL_METRICS_PORT: String(metricsPort) } : workerEnv;
    return spawn(process.execPath, [cli, 'worker'], { env, cwd: projectRoot, stdio: 'ignore' });
  }

  /** The cases the worker's committed chunks have planned, from its Prometheus metrics (0 before it serves them). */
  async function casesSwept(metricsPort: number): Promise<number> {
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text(), () => '');
    return Number(/^arshjul_cases_swept_total(?:\{[^}]*\})? (\d+)/m.exec(metrics)?.[1] ?? 0);
  }

  it('leaves every planned task exactly once', async () => {
    const expected = plan({ caseFile: unit, pack: await referencePack(), from: '2027-05', to: '2027-05' }).filter((t) => t.createOn <= '2027-05-03');
    const metricsPort = await freePort();
    let worker = startWorker(metricsPort);
    const handle = await client.workflow.start<typeof sweep>('sweep', {
      taskQueue: 'crash',
      workflowId: 'crash-sweep',
      args: [{ unitId: unit.unit.id, date: '2027-05-03', chunkSize: 250 }],
    });
    // Kill the worker once a few chunks are committed and the rest are not (the chunks are local
    // activities: their results reach the history only with the workflow task, so the worker's count says).
    await expect.poll(() => casesSwept(metricsPort), { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(3 * 250);
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGKILL');
    await exited;
    const history = await handle.fetchHistory();
    expect(history.events!.some((e) => e.workflowExecutionCompletedEventAttributes), 'the sweep ended before the worker was killed').toBe(false);

    worker = startWorker();
    try {
      expect((await handle.result()).planned).toBe(expected.length);
    } finally {
      worker.kill('SIGINT');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
    const db = await openStore();
    try {
      const stored = await db.query<{ task_id: string }>('SELECT task_id FROM tasks ORDER BY task_id');
      expect(stored.map((t) => t.task_id)).toEqual(expected.map((t) => t.taskId).sort());
      const created = await db.query<{ n: number; distinct: number }>(`SELECT count(*)::int AS n, count(DISTINCT task_id)::int AS distinct FROM task_events WHERE kind = 'created'`);
      expect(created).toEqual([{ n: expected.length, distinct: expected.length }]);
    } finally {
      await db.close();
    }
  });
});
