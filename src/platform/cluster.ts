// The production shape on one machine: Temporal's own server with its persistence and visibility
// on PostgreSQL (one given by URL, or Debian's started in a folder of ours), and the store's own
// database beside them. `arshjul cluster up` prepares the databases with temporal-sql-tool, writes
// the server's config, starts it, makes the namespace and the search attributes, and says what to
// set; `down` stops what it started. The same pieces on Kubernetes: see the README.
// Nothing of it is open without a credential (issue 26): Temporal's services speak mutual TLS to
// each other and to every client, with certificates of the cluster's own CA; our PostgreSQL asks
// for a generated password (scram-sha-256); Temporal's Web UI listens on loopback with write
// actions off.
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, openSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { ensureDatabase, hasTemporalSchema, setRolePassword } from '../store/databases.js';
import { openPostgres } from '../store/db.js';
import { certificatePaths, ensureCertificates, type ClusterCertificates } from './certificates.js';
import { isRoot } from './debian.js';
import { runPostgres, stopPostgres, type LocalPostgres } from './postgres.js';
import { ensureSearchAttributes } from './searchAttributes.js';
import { ensureTemporalServer, ensureTemporalUi, type TemporalServerTools } from './tools.js';
import { alive, stopPid } from './pids.js';

const run = promisify(execFile);

export class ClusterError extends Error {}

/** The name clients check the server's certificate for (TLS names no IP address; the certificate carries both). */
export const clusterServerName = 'localhost';

/** Every port the one-host server opens: gRPC and membership per service, the frontend's HTTP API, Prometheus, the Web UI. */
export interface ClusterPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  frontendMembership: number;
  historyMembership: number;
  matchingMembership: number;
  workerMembership: number;
  metrics: number;
  ui: number;
}

/** Temporal's own defaults around a frontend port (7233 gives 7234, 7235, 7239, 6933 …, 8000; the UI 8233 as the dev server's). */
export function portsFrom(frontend: number): ClusterPorts {
  return {
    frontend, frontendHttp: frontend + 10, history: frontend + 1, matching: frontend + 2, worker: frontend + 6,
    frontendMembership: frontend - 300, historyMembership: frontend - 299, matchingMembership: frontend - 298, workerMembership: frontend - 294, metrics: frontend + 767,
    ui: frontend + 1000,
  };
}

export interface ClusterSettings {
  /** Config, logs and the pid file; by default `$ARSHJUL_DATA_DIR/cluster`. */
  dir: string;
  /** An existing PostgreSQL (a role that may create databases); unset: Debian's, started by us. */
  postgresUrl?: string;
  postgresPort: number;
  ports: ClusterPorts;
  /** Fixed for the life of the cluster: history is split in this many shards. */
  numHistoryShards: number;
  retentionDays: number;
  namespace: string;
  /** Tests: no fsync in our own PostgreSQL. */
  fast?: boolean;
}

export interface Cluster {
  temporalAddress: string;
  /** With our PostgreSQL's password in it. */
  databaseUrl: string;
  metricsUrl: string;
  /** Temporal's Web UI, on loopback, read-only. */
  uiUrl: string;
  tls: ClusterCertificates;
  /** What Årshjul's processes set to reach the cluster: TEMPORAL_ADDRESS, TEMPORAL_TLS_CERT/KEY/CA/SERVER_NAME, DATABASE_URL. */
  env: Record<string, string>;
  /** Our PostgreSQL's password (0600); unset with --postgres URL. */
  passwordFile?: string;
}

/** As root our PostgreSQL cannot live in the data folder (0700, root's): a folder in the postgres user's home, one per cluster. */
function postgresDir(dir: string): string {
  return isRoot ? path.join('/var/lib/postgresql', `arshjul-${createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 12)}`) : path.join(dir, 'postgres');
}

const pidFile = (dir: string) => path.join(dir, 'temporal-server.pid');
const uiPidFile = (dir: string) => path.join(dir, 'temporal-ui.pid');
export const passwordFileOf = (dir: string) => path.join(dir, 'postgres-password');

/** Our PostgreSQL's password: generated at the first up, kept 0600 in the cluster's folder. */
async function ensurePassword(dir: string): Promise<string> {
  const file = passwordFileOf(dir);
  const kept = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (kept) {
    await chmod(file, 0o600);
    return kept;
  }
  // base64url: safe in a URL and in ALTER ROLE as it stands.
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return password;
}

interface Database {
  host: string;
  port: number;
  user: string;
  password: string;
}

function databaseOf(url: string): Database {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 5432), user: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
}

const urlOf = (db: Database, name: string) =>
  `postgresql://${encodeURIComponent(db.user)}${db.password ? `:${encodeURIComponent(db.password)}` : ''}@${db.host}:${db.port}/${name}`;

/** The two Temporal databases at the newest schema of the pinned server (setup once, then update: both idempotent). */
async function prepareDatabases(tools: TemporalServerTools, db: Database): Promise<void> {
  const admin = openPostgres(urlOf(db, 'postgres'));
  try {
    for (const [name, schema] of [['temporal', 'temporal'], ['temporal_visibility', 'visibility'], ['arshjul', undefined]] as const) {
      await ensureDatabase(admin, name);
      if (!schema) continue;
      const args = ['--plugin', 'postgres12', '--ep', db.host, '-p', String(db.port), '-u', db.user, '--db', name];
      // The password by the environment, not the command line that every local user can read.
      const env = { ...process.env, SQL_PASSWORD: db.password };
      const versioned = openPostgres(urlOf(db, name));
      const fresh = !(await hasTemporalSchema(versioned).finally(() => versioned.close()));
      if (fresh) await run(tools.sqlTool, [...args, 'setup-schema', '-v', '0.0'], { env });
      await run(tools.sqlTool, [...args, 'update-schema', '-d', path.join(tools.postgresSchema, schema, 'versioned')], { env });
    }
  } catch (error) {
    throw new ClusterError(`Temporals databaser kunde inte förberedas på ${db.host}:${db.port}: ${(error as Error).message}`);
  } finally {
    await admin.close();
  }
}

function serverConfig(settings: ClusterSettings, db: Database, certs: ClusterCertificates): string {
  const p = settings.ports;
  // Every listener asks for a certificate of our CA; every service's client checks the server's by it.
  const serverTls = `
      server:
        certFile: ${JSON.stringify(certs.serverCertPath)}
        keyFile: ${JSON.stringify(certs.serverKeyPath)}
        requireClientAuth: true
        clientCaFiles: [${JSON.stringify(certs.caPath)}]
      client:
        serverName: ${clusterServerName}
        rootCaFiles: [${JSON.stringify(certs.caPath)}]`;
  const store = (name: string, maxConns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${name}
        connectAddr: "${db.host}:${db.port}"
        connectProtocol: tcp
        user: ${JSON.stringify(db.user)}
        password: ${JSON.stringify(db.password)}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: 1h`;
  const service = (grpc: number, membership: number, http?: number) => `
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${http ? `\n      httpPort: ${http}` : ''}`;
  return `# Written by arshjul cluster up; written again at every up.
log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: ${settings.numHistoryShards}
  datastores:
    default:${store('temporal', 20)}
    visibility:${store('temporal_visibility', 10)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
  metrics:
    prometheus:
      framework: tally
      timerType: histogram
      listenAddress: "127.0.0.1:${p.metrics}"
  tls:
    internode:${serverTls}
    frontend:${serverTls}
services:
  frontend:${service(p.frontend, p.frontendMembership, p.frontendHttp)}
  history:${service(p.history, p.historyMembership)}
  matching:${service(p.matching, p.matchingMembership)}
  worker:${service(p.worker, p.workerMembership)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:${p.frontend}"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${JSON.stringify(path.join(settings.dir, 'config', 'dynamicconfig.yaml'))}
  pollInterval: 10s
`;
}

// Search attributes registered a moment ago are usable at once, as on the dev server.
const dynamicConfig = `system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
    constraints: {}
limit.maxIDLength:
  - value: 255
    constraints: {}
`;


/** Temporal's Web UI server: loopback only, every write action refused (the UI server answers 405), mutual TLS to the frontend. */
function uiConfig(settings: ClusterSettings, certs: ClusterCertificates): string {
  const p = settings.ports;
  return `# Written by arshjul cluster up; written again at every up.
temporalGrpcAddress: "127.0.0.1:${p.frontend}"
host: 127.0.0.1
port: ${p.ui}
enableUi: true
defaultNamespace: ${JSON.stringify(settings.namespace)}
notifyOnNewVersion: false
disableWriteActions: true
cors:
  cookieInsecure: true
  allowOrigins: ["http://127.0.0.1:${p.ui}", "http://localhost:${p.ui}"]
tls:
  caFile: ${JSON.stringify(certs.caPath)}
  certFile: ${JSON.stringify(certs.clientCertPath)}
  keyFile: ${JSON.stringify(certs.clientKeyPath)}
  enableHostVerification: true
  serverName: ${clusterServerName}
`;
}

/** The pid in a pid file, if it names a running process of that program. */
async function pidOf(file: string, program: string): Promise<number | undefined> {
  const pid = Number(await readFile(file, 'utf8').catch(() => ''));
  if (!pid || !alive(pid)) return undefined;
  const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0')[0] ?? '';
  return path.basename(command) === program ? pid : undefined;
}

/** The server's pid, if the pid file names a running temporal-server. */
export const serverPid = (dir: string) => pidOf(pidFile(dir), 'temporal-server');

/** The Web UI server's pid, if it runs. */
export const uiPid = (dir: string) => pidOf(uiPidFile(dir), 'temporal-ui-server');

/** Starts the Web UI server on its written config, detached like the server; its output goes to `temporal-ui.log`. */
async function startUi(dir: string, binary: string): Promise<number> {
  const running = await uiPid(dir);
  if (running) return running;
  const log = openSync(path.join(dir, 'temporal-ui.log'), 'a', 0o600);
  const child = spawn(binary, ['--root', dir, '--config', 'ui-config', '--env', 'arshjul', 'start'], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  await writeFile(uiPidFile(dir), `${child.pid}\n`, { mode: 0o600 });
  return child.pid!;
}

/** Starts the server on the written config, detached: it outlives `arshjul cluster up`. Its output goes to `temporal-server.log`. */
export async function startServer(dir: string, server: string): Promise<number> {
  const running = await serverPid(dir);
  if (running) return running;
  const log = openSync(path.join(dir, 'temporal-server.log'), 'a', 0o600);
  const child = spawn(server, ['--root', dir, '--config', 'config', '--env', 'arshjul', '--allow-no-auth', 'start'], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  await writeFile(pidFile(dir), `${child.pid}\n`, { mode: 0o600 });
  return child.pid!;
}

/** The server's last fatal words, for an error message. */
async function lastFatal(dir: string): Promise<string> {
  const log = await readFile(path.join(dir, 'temporal-server.log'), 'utf8').catch(() => '');
  const line = log.split('\n').reverse().find((l) => l.includes('"level":"fatal"'));
  const fatal = line ? (JSON.parse(line) as { msg: string; error?: string }) : undefined;
  return fatal ? ` Den skrev: ${fatal.msg}${fatal.error ? `: ${fatal.error}` : ''}.` : '';
}

/** A client connection to the cluster's frontend with Årshjul's client certificate (mutual TLS). */
export async function clusterConnection(address: string, certs: ClusterCertificates, connectTimeout = '10s'): Promise<Connection> {
  const [crt, key, ca] = await Promise.all([readFile(certs.clientCertPath), readFile(certs.clientKeyPath), readFile(certs.caPath)]);
  return Connection.connect({ address, connectTimeout, tls: { clientCertPair: { crt, key }, serverRootCACertificate: ca, serverNameOverride: clusterServerName } });
}

/** Waits until the frontend answers (the server takes some seconds to join its own ring); fails at once if the server has died. */
export async function waitForFrontend(address: string, dir: string, timeoutMs = 90_000): Promise<Connection> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (!(await serverPid(dir))) throw new ClusterError(`Temporal-servern avslutades under starten.${await lastFatal(dir)} Se ${path.join(dir, 'temporal-server.log')}.`);
    try {
      const connection = await clusterConnection(address, certificatePaths(dir), '2s');
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (error) {
      if (Date.now() > until) throw new ClusterError(`Temporal-servern svarar inte på ${address} (${(error as Error).message}); se temporal-server.log.`);
      await sleep(500);
    }
  }
}

const alreadyExists = 6;

/** Registers the namespace with its retention unless it exists, and waits until it is served. */
export async function ensureNamespace(connection: Connection, namespace: string, retentionDays: number): Promise<void> {
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`) });
  } catch (error) {
    if ((error as { code?: number }).code !== alreadyExists) throw error;
  }
  // Registered is not yet served everywhere: wait until the namespace can be described.
  for (let tries = 0; ; tries++) {
    try {
      await connection.workflowService.describeNamespace({ namespace });
      return;
    } catch (error) {
      if (tries > 60) throw error;
      await sleep(500);
    }
  }
}

export async function clusterUp(settings: ClusterSettings, log: (line: string) => void = console.error): Promise<Cluster & { postgres?: LocalPostgres }> {
  // Temporal keeps membership ports in a smallint column.
  const tooHigh = Object.entries(settings.ports).filter(([name, port]) => name.endsWith('Membership') && port > 32767);
  if (tooHigh.length > 0) throw new ClusterError(`Temporals membership-portar måste vara högst 32767: ${tooHigh.map(([name, port]) => `${name} ${port}`).join(', ')}; välj en lägre --port.`);
  await mkdir(path.join(settings.dir, 'config'), { recursive: true, mode: 0o700 });
  await mkdir(path.join(settings.dir, 'ui-config'), { recursive: true, mode: 0o700 });
  await chmod(settings.dir, 0o700);
  const tools = await ensureTemporalServer({ log });
  const uiServer = await ensureTemporalUi({ log });
  const certs = await ensureCertificates(settings.dir);
  let postgres: LocalPostgres | undefined;
  let passwordFile: string | undefined;
  let db: Database;
  if (settings.postgresUrl) {
    db = databaseOf(settings.postgresUrl);
  } else {
    const password = await ensurePassword(settings.dir);
    postgres = runPostgres(postgresDir(settings.dir), settings.postgresPort, { fast: settings.fast, password });
    if (postgres.trusting) {
      // A folder made before passwords were asked for: the role gets its password while trust still lets us in, then trust goes.
      log('PostgreSQL släppte in utan lösenord: rollen arshjul får ett lösenord och pg_hba.conf kräver det (scram-sha-256) ...');
      const admin = openPostgres(postgres.url);
      try {
        await setRolePassword(admin, 'arshjul', password);
      } finally {
        await admin.close();
      }
      postgres.requirePassword();
    }
    passwordFile = passwordFileOf(settings.dir);
    db = databaseOf(postgres.url);
  }
  log(`PostgreSQL ${db.host}:${db.port}: Temporals databaser förbereds (temporal-sql-tool) ...`);
  await prepareDatabases(tools, db);
  await writeFile(path.join(settings.dir, 'config', 'arshjul.yaml'), serverConfig(settings, db, certs), { mode: 0o600 });
  await writeFile(path.join(settings.dir, 'config', 'dynamicconfig.yaml'), dynamicConfig, { mode: 0o600 });
  await writeFile(path.join(settings.dir, 'ui-config', 'arshjul.yaml'), uiConfig(settings, certs), { mode: 0o600 });
  const pid = await startServer(settings.dir, tools.server);
  const temporalAddress = `127.0.0.1:${settings.ports.frontend}`;
  log(`Temporal-servern ${temporalAddress} (pid ${pid}) startar ...`);
  const connection = await waitForFrontend(temporalAddress, settings.dir);
  try {
    await ensureNamespace(connection, settings.namespace, settings.retentionDays);
    await ensureSearchAttributes(connection, settings.namespace);
  } finally {
    await connection.close();
  }
  await startUi(settings.dir, uiServer);
  const databaseUrl = urlOf(db, 'arshjul');
  return {
    temporalAddress,
    databaseUrl,
    metricsUrl: `http://127.0.0.1:${settings.ports.metrics}/metrics`,
    uiUrl: `http://127.0.0.1:${settings.ports.ui}`,
    tls: certs,
    env: { TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_TLS_CERT: certs.clientCertPath, TEMPORAL_TLS_KEY: certs.clientKeyPath, TEMPORAL_TLS_CA: certs.caPath, TEMPORAL_TLS_SERVER_NAME: clusterServerName, DATABASE_URL: databaseUrl },
    passwordFile,
    postgres,
  };
}

/** Stops the server (and our PostgreSQL, if we started one); `remove` deletes their data too. */
export async function clusterDown(settings: Pick<ClusterSettings, 'dir' | 'postgresUrl'>, options: { remove?: boolean } = {}): Promise<void> {
  for (const [pid, file] of [[await uiPid(settings.dir), uiPidFile(settings.dir)], [await serverPid(settings.dir), pidFile(settings.dir)]] as const) {
    if (pid) await stopPid(pid, 20_000);
    await rm(file, { force: true });
  }
  if (!settings.postgresUrl && existsSync(path.join(postgresDir(settings.dir), 'data'))) {
    stopPostgres(postgresDir(settings.dir));
    if (options.remove) await rm(postgresDir(settings.dir), { recursive: true, force: true });
  }
  if (options.remove) await rm(settings.dir, { recursive: true, force: true });
}
