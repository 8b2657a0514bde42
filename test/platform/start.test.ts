// The README's start command, end to end: a real dev server, the worker, doctor, Ctrl-C.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTemporalCli } from '../../src/platform/tools.js';
import { doctor, interrupt, run, startArshjul } from '../helpers/arshjul.js';
import { freePort } from '../helpers/ports.js';
import { alive, descendants } from '../helpers/processes.js';
import { localEnvironment } from '../helpers/temporal.js';

describe('arshjul start', () => {
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let port: number;
  let uiPort: number;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-start-'));
    port = await freePort();
    uiPort = await freePort();
    env = {
      ...process.env,
      ARSHJUL_DATA_DIR: dataDir,
      ARSHJUL_TEMPORAL_PORT: String(port),
      ARSHJUL_TEMPORAL_UI_PORT: String(uiPort),
      TEMPORAL_ADDRESS: '',
      DATABASE_URL: '',
      // The demo's past year is the browser test's (test/web/browser.test.ts): here, only today.
      ARSHJUL_DEMO_YEAR: 'off',
    };
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('brings up server and worker, answers doctor, and leaves no process behind on SIGINT', async () => {
    const started = await startArshjul(env);
    expect(started.output()).toContain(`Temporal Web UI: http://127.0.0.1:${uiPort}`);
    expect(started.output()).toContain('Tom databas: laddade demoenheten demo-eb med 730 hushåll');

    const temporal = await ensureTemporalCli();
    const { stdout } = await run(temporal, ['operator', 'namespace', 'describe', '-n', 'default', '--address', `127.0.0.1:${port}`]);
    expect(stdout).toMatch(/NamespaceInfo\.State\s+Registered/);

    const ui = await fetch(`http://127.0.0.1:${uiPort}/`);
    expect(ui.status).toBe(200);

    const healthy = await doctor(env);
    expect(healthy.stdout).not.toContain('FAIL');
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toMatch(/OK\s+Worker: svarar/);
    expect(healthy.stdout).toMatch(/OK\s+Databas: inbäddad .*: öppen i Årshjul \(pid \d+\)/);

    expect(healthy.stdout).toMatch(/OK\s+Datamapp: .*bara ägaren/);

    const children = await interrupt(started);
    // Security finding 2: after a start, its first sweep and a stop, nothing of the data folder is
    // open to the group or others (the embedded PostgreSQL's own files included).
    expect((await run('find', [dataDir, '-perm', '/o+rwx,g+rwx'])).stdout).toBe('');
    expect((await run('find', [path.join(dataDir, 'store'), '-type', 'f'])).stdout.split('\n').length).toBeGreaterThan(100);
    expect(children.length).toBeGreaterThan(0);
    expect(children.map(alive).filter(Boolean)).toEqual([]);
    expect(alive(started.child.pid!)).toBeUndefined();

    const stopped = await doctor(env);
    expect(stopped.code).not.toBe(0);
    expect(stopped.stdout).toMatch(/FAIL Temporal nåbar/);
    expect(stopped.stdout).toContain('Starta Årshjul med npm start');
    // A first start loads the demo unit and sweeps it: about 20 s alone, more beside the rest of the suite.
  }, 150_000);

  it('finds the earlier state on a second start', async () => {
    const started = await startArshjul(env);
    try {
      const temporal = await ensureTemporalCli();
      const { stdout } = await run(temporal, [
        'workflow', 'list', '--address', `127.0.0.1:${port}`, '--query', "WorkflowType = 'workerCheck'", '-o', 'json',
      ]);
      // The first start's doctor ran one workerCheck; it is still in the dev server's database.
      expect(JSON.parse(stdout)).toHaveLength(1);
      expect(started.output()).not.toContain('Tom databas');
      // The first start's sweep of the demo month carries its unit, as the README's query asks.
      const sweeps = await run(temporal, [
        'workflow', 'list', '--address', `127.0.0.1:${port}`, '--query', "ArshjulUnit = 'demo-eb' AND WorkflowType = 'sweep'", '-o', 'json',
      ]);
      expect(JSON.parse(sweeps.stdout)).toHaveLength(1);
    } finally {
      await interrupt(started);
    }
  });

  it('with TEMPORAL_ADDRESS, starts no server of its own and serves that cluster', async () => {
    const cluster = await localEnvironment();
    try {
      const address = cluster.connection.options.address;
      const remote = { ...env, TEMPORAL_ADDRESS: address };
      const started = await startArshjul(remote);
      try {
        expect(started.output()).not.toContain('Temporal Web UI');
        const children = descendants(started.child.pid!).map((pid) => alive(pid) ?? '');
        expect(children.filter((c) => c.includes('temporal'))).toEqual([]);
        const checked = await doctor(remote);
        expect(checked.stdout).toContain(`OK   Temporal nåbar: ${address}`);
        expect(checked.code).toBe(0);
      } finally {
        await interrupt(started);
      }
    } finally {
      await cluster.teardown();
    }
  });

  it('takes its dev server down with it when it crashes, so the next start starts cleanly (security finding 11)', async () => {
    const crashed = await startArshjul(env);
    const below = descendants(crashed.child.pid!);
    expect(below.length).toBeGreaterThan(0);
    crashed.child.kill('SIGKILL');
    await expect.poll(() => below.map(alive).filter(Boolean), { timeout: 15_000, interval: 200 }).toEqual([]);
    const again = await startArshjul(env);
    expect(again.output()).not.toContain('tidigare körning');
    await interrupt(again);
  });

  it('finds and stops a dev server left running on its data folder, and says so (security finding 11)', async () => {
    // As a crash could leave one where the parent-death signal is not to be had.
    const stateDir = path.join(dataDir, 'temporal');
    const left = spawn(await ensureTemporalCli(), [
      'server', 'start-dev', '--db-filename', path.join(stateDir, 'dev-server.sqlite'), '--ip', '127.0.0.1',
      '--port', String(port), '--ui-port', String(uiPort), '--log-level', 'error',
    ], { stdio: 'ignore', detached: true });
    left.unref();
    await writeFile(path.join(stateDir, 'dev-server.pid'), String(left.pid));
    await expect.poll(() => fetch(`http://127.0.0.1:${uiPort}/`).then((r) => r.status, () => 0), { timeout: 30_000, interval: 200 }).toBe(200);
    const started = await startArshjul(env);
    expect(started.output()).toContain(`En Temporal dev server från en tidigare körning (pid ${left.pid})`);
    expect(alive(left.pid!)).toBeUndefined();
    await interrupt(started);
  });

  it('refuses to start on a port that is taken, saying which variable to change', async () => {
    const blocker = await startArshjul(env);
    try {
      const otherData = await mkdtemp(path.join(os.tmpdir(), 'arshjul-second-'));
      await expect(startArshjul({ ...env, ARSHJUL_DATA_DIR: otherData })).rejects.toThrow(/ARSHJUL_TEMPORAL_PORT/);
    } finally {
      await interrupt(blocker);
    }
  });
});
