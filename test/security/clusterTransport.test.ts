// Temporal is not a way in (issue 26, acceptance 2): `arshjul cluster up`, as an operator runs it,
// gives Temporal's services mutual TLS with certificates of the cluster's own CA, PostgreSQL a
// generated password (scram-sha-256) and Temporal's Web UI loopback with write actions off. What
// it prints to set reaches both; a client without the cluster's certificate, or PostgreSQL without
// the password, is refused; keys and password are the owner's alone; the dev server's UI, too,
// listens on loopback only.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterSettings } from '../../src/cli/cluster.js';
import { certificatePaths, ensureCertificates } from '../../src/platform/certificates.js';
import { clusterDown, clusterServerName, passwordFileOf, portsFrom, serverPid, uiPid, type ClusterPorts, type ClusterSettings } from '../../src/platform/cluster.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import { startDevServer } from '../../src/platform/devServer.js';
import { projectRoot } from '../../src/platform/paths.js';
import { exposedFiles } from '../../src/platform/privateFiles.js';
import { connectClient, connectWorker } from '../../src/platform/temporalConnection.js';
import { ensureTemporalCli } from '../../src/platform/tools.js';
import { openPostgres } from '../../src/store/db.js';
import { cli } from '../helpers/arshjul.js';
import { listeningAddresses, listeningSocketsOf } from '../helpers/listeners.js';
import { freePort, listenable } from '../helpers/ports.js';

const run = promisify(execFile);

/** A frontend port whose whole neighbourhood (portsFrom) is free, membership ports below 32768. */
async function freeClusterPorts(): Promise<ClusterPorts> {
  for (;;) {
    const ports = portsFrom(21_000 + Math.floor(Math.random() * 10_000));
    if ((await Promise.all(Object.values(ports).map(listenable))).every(Boolean)) return ports;
  }
}

/** The environment a shell has after the `export` lines `cluster up` printed. */
async function exported(printed: string): Promise<Record<string, string>> {
  const exports = printed.split('\n').filter((line) => line.startsWith('export ')).join('\n');
  const { stdout } = await run('bash', ['-c', 'eval "$1" && env -0', '_', exports], { env: { PATH: process.env.PATH } });
  return Object.fromEntries(stdout.split('\0').filter(Boolean).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

/** Rejects unless the connection is made and the namespace described. */
async function describeWith(options: ConnectionOptions): Promise<void> {
  const connection = await Connection.connect({ ...options, connectTimeout: '3s' });
  try {
    await connection.workflowService.describeNamespace({ namespace: 'default' });
  } finally {
    await connection.close();
  }
}

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await sleep(200);
  }
}

describe('the production shape lets in only those with a credential (cluster up)', () => {
  let dataDir: string;
  let settings: ClusterSettings;
  let printed: string;
  let env: Record<string, string>;
  let config: Config;
  let password: string;
  const certs = () => certificatePaths(settings.dir);

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-transport-'));
    const flags = { port: String((await freeClusterPorts()).frontend), 'postgres-port': String(await freePort()) };
    settings = clusterSettings(loadConfig({ ARSHJUL_DATA_DIR: dataDir }), flags);
    const { stdout } = await run(process.execPath, [cli, 'cluster', 'up', '--port', flags.port, '--postgres-port', flags['postgres-port']], {
      env: { ...process.env, ARSHJUL_DATA_DIR: dataDir }, cwd: projectRoot, timeout: 600_000,
    });
    printed = stdout;
    env = await exported(printed);
    config = loadConfig({ ...env, ARSHJUL_DATA_DIR: dataDir });
    password = (await readFile(passwordFileOf(settings.dir), 'utf8')).trim();
  }, 660_000);

  afterAll(async () => {
    if (settings) await clusterDown(settings, { remove: true });
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('prints what to set without showing the password, and that reaches Temporal by mutual TLS and PostgreSQL by the password', async () => {
    expect(password).toMatch(/^[\w-]{32}$/);
    expect(printed).not.toContain(password);
    expect(env).toMatchObject({
      TEMPORAL_ADDRESS: `127.0.0.1:${settings.ports.frontend}`,
      TEMPORAL_TLS_CERT: certs().clientCertPath, TEMPORAL_TLS_KEY: certs().clientKeyPath, TEMPORAL_TLS_CA: certs().caPath, TEMPORAL_TLS_SERVER_NAME: clusterServerName,
      DATABASE_URL: `postgresql://arshjul:${password}@127.0.0.1:${settings.postgresPort}/arshjul`,
    });
    // A client and a worker (the SDK's two TLS stacks, Node's and Rust's) from that configuration.
    const client = await connectClient(config, config.temporalAddress!);
    try {
      const { namespaceInfo } = await client.workflowService.describeNamespace({ namespace: 'default' });
      expect(namespaceInfo?.name).toBe('default');
    } finally {
      await client.close();
    }
    const worker = await connectWorker(config, config.temporalAddress!);
    try {
      expect((await worker.workflowService.getSystemInfo({})).serverVersion).toBeTruthy();
    } finally {
      await worker.close();
    }
    // The temporal CLI reads the same variables.
    const { stdout } = await run(await ensureTemporalCli(), ['operator', 'search-attribute', 'list'], { env: { ...process.env, ...env } });
    expect(stdout).toContain('ArshjulUnit');
    const db = openPostgres(env.DATABASE_URL!);
    try {
      // Every line of pg_hba.conf asks for the password; none trusts.
      expect(await db.query('SELECT DISTINCT auth_method FROM pg_hba_file_rules')).toEqual([{ auth_method: 'scram-sha-256' }]);
    } finally {
      await db.close();
    }
  });

  it('refuses a client without a certificate, with a certificate of another CA, or in plain text', async () => {
    const address = config.temporalAddress!;
    const ca = await readFile(certs().caPath);
    const server = { serverRootCACertificate: ca, serverNameOverride: clusterServerName };
    const own = { crt: await readFile(certs().clientCertPath), key: await readFile(certs().clientKeyPath) };
    await describeWith({ address, tls: { ...server, clientCertPair: own } });

    await expect(describeWith({ address, tls: server })).rejects.toThrow();
    const strangerDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-stranger-'));
    try {
      const stranger = await ensureCertificates(strangerDir);
      await expect(describeWith({ address, tls: { ...server, clientCertPair: { crt: await readFile(stranger.clientCertPath), key: await readFile(stranger.clientKeyPath) } } })).rejects.toThrow();
    } finally {
      await rm(strangerDir, { recursive: true, force: true });
    }
    await expect(describeWith({ address })).rejects.toThrow();
    // Årshjul's own processes without TEMPORAL_TLS_CERT/KEY: client and worker alike.
    const withoutCert = loadConfig({ ...env, TEMPORAL_TLS_CERT: '', TEMPORAL_TLS_KEY: '', ARSHJUL_DATA_DIR: dataDir });
    await expect(connectClient(withoutCert, address, '3s').then((c) => c.workflowService.describeNamespace({ namespace: 'default' }).finally(() => c.close()))).rejects.toThrow();
    await expect(connectWorker(withoutCert, address).then((c) => c.close())).rejects.toThrow();
    // The frontend's HTTP API asks for the certificate too.
    await expect(run('curl', ['-sS', '--fail', '--cacert', certs().caPath, `https://127.0.0.1:${settings.ports.frontendHttp}/api/v1/namespaces`])).rejects.toThrow();
    const { stdout } = await run('curl', ['-sS', '--fail', '--cacert', certs().caPath, '--cert', certs().clientCertPath, '--key', certs().clientKeyPath, `https://127.0.0.1:${settings.ports.frontendHttp}/api/v1/namespaces`]);
    expect(stdout).toContain('"default"');
  });

  it('refuses PostgreSQL without the password or with a wrong one', async () => {
    for (const url of [`postgresql://arshjul@127.0.0.1:${settings.postgresPort}/arshjul`, `postgresql://arshjul:wrong@127.0.0.1:${settings.postgresPort}/arshjul`, `postgresql://postgres@127.0.0.1:${settings.postgresPort}/postgres`]) {
      const db = openPostgres(url);
      try {
        await expect(db.query('SELECT 1'), url).rejects.toThrow(/password/);
      } finally {
        await db.close();
      }
    }
  });

  it('keeps the keys, the password and the configs that hold them to the owner (0600 in 0700 folders)', async () => {
    expect(await exposedFiles(settings.dir)).toEqual([]);
    const files = [certs().caPath, certs().serverKeyPath, certs().clientKeyPath, path.join(path.dirname(certs().caPath), 'ca.key'), passwordFileOf(settings.dir), path.join(settings.dir, 'config', 'arshjul.yaml')];
    for (const file of files) expect(((await stat(file)).mode & 0o777).toString(8), file).toBe('600');
    // The server's config holds the password and names the certificates.
    const yaml = await readFile(path.join(settings.dir, 'config', 'arshjul.yaml'), 'utf8');
    expect(yaml.match(/requireClientAuth: true/g)).toHaveLength(2);
  });

  it("listens on loopback only: every socket of Temporal's server and its Web UI, and PostgreSQL", async () => {
    for (const [name, pid] of [['temporal-server', await serverPid(settings.dir)], ['temporal-ui-server', await uiPid(settings.dir)]] as const) {
      expect(pid, name).toBeTruthy();
      const sockets = await until(() => listeningSocketsOf(pid!), (found) => found.length > 0);
      expect(sockets.length, name).toBeGreaterThan(0);
      expect(sockets.filter((socket) => socket.address !== '127.0.0.1'), name).toEqual([]);
    }
    expect((await listeningSocketsOf((await serverPid(settings.dir))!)).map((socket) => socket.port)).toEqual(expect.arrayContaining([settings.ports.frontend, settings.ports.frontendHttp, settings.ports.metrics]));
    expect(await listeningAddresses(settings.ports.ui)).toEqual(['127.0.0.1']);
    expect(await listeningAddresses(settings.postgresPort)).toEqual(['127.0.0.1']);
  });

  it('serves the Web UI read-only: a write action is refused by its server, a read goes through by mutual TLS', async () => {
    const ui = `http://127.0.0.1:${settings.ports.ui}`;
    const answer = await until(() => fetch(`${ui}/api/v1/settings`).catch(() => undefined), (r) => r?.status === 200);
    expect(((await answer!.json()) as { DisableWriteActions: boolean }).DisableWriteActions).toBe(true);
    const csrf = /_csrf=([^;]+)/.exec(answer!.headers.getSetCookie().join('\n'))?.[1];
    expect(csrf).toBeTruthy();
    const post = (route: string) =>
      fetch(`${ui}/api/v1/namespaces/default/workflows/nobody/${route}`, { method: 'POST', headers: { cookie: `_csrf=${csrf}`, 'x-csrf-token': csrf!, 'content-type': 'application/json' }, body: '{}' });
    for (const route of ['terminate', 'cancel', 'signal/anything']) expect((await post(route)).status, route).toBe(405);
    // A query passes the UI and reaches the server over its own mutual TLS: the workflow does not exist.
    const query = await post('query/state');
    expect(query.status).toBe(404);
    expect(await query.text()).toContain('workflow not found');
    const namespaces = await fetch(`${ui}/api/v1/namespaces`);
    expect(await namespaces.text()).toContain('"default"');
  });
});

describe('the dev server', () => {
  it('binds its Web UI (and its gRPC port) to loopback only', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-devui-'));
    const [port, uiPort] = [await freePort(), await freePort()];
    const server = await startDevServer({ temporalBinary: await ensureTemporalCli(), dataDir, namespace: 'default', port, uiPort });
    try {
      expect(await until(() => listeningAddresses(uiPort), (found) => found.length > 0)).toEqual(['127.0.0.1']);
      expect(await listeningAddresses(port)).toEqual(['127.0.0.1']);
    } finally {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
