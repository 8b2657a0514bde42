import { isIP } from 'node:net';
import path from 'node:path';
import { projectRoot } from './paths.js';

/** Runtime configuration, from the environment. Every variable is documented in the README. */
export interface Config {
  dataDir: string;
  /** Unset: the embedded store (PGlite) under dataDir. Set: PostgreSQL. */
  databaseUrl: string | undefined;
  /** Unset: Årshjul starts its own dev server. Set: connect there and start none. */
  temporalAddress: string | undefined;
  namespace: string;
  taskQueue: string;
  devServerPort: number;
  devServerUiPort: number;
  /** TLS to Temporal; unset: plain (or TLS by the API key alone). */
  tls: TemporalTls | undefined;
  apiKey: string | undefined;
  /** The keys Temporal payloads are encrypted with; unset: one made in the data folder. */
  payloadKeyFile: string | undefined;
  /** Single sign-on by OpenID Connect; unset: passwords only. */
  oidc: OidcConfig | undefined;
  /** Unset host: mail is written as .eml files to the outbox under the data folder. */
  smtp: SmtpConfig | undefined;
  mailFrom: string;
  /** The web app's address, used in the links that mails carry. */
  baseUrl: string;
  /** The web app's port and address. */
  webPort: number;
  webHost: string;
  logLevel: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** A worker's Prometheus metrics (the SDK runtime's exporter) on this port of webHost; unset: none. */
  metricsPort: number | undefined;
  /** A worker's /livez and /readyz on this port of webHost; unset: none. */
  healthPort: number | undefined;
  /** How long a stopping web process answers after /readyz has turned 503. */
  drainSeconds: number;
  /** A first start's demo unit with its year so far (the cycle run over the past business days), or only today. */
  demoYear: boolean;
  /** The proxies (CIDRs) whose X-Forwarded-For the web app believes; empty: the socket's address is the client's. */
  trustedProxies: string[];
  /** How many years the access log keeps a record before the daily purge removes it. */
  accessLogRetentionYears: number;
  /** Connections a process keeps to PostgreSQL (DATABASE_URL). */
  dbPool: number;
  /** Activities a worker runs at once: at most dbPool, for each holds a connection while it works. */
  workerActivities: number;
}

export interface SmtpConfig {
  host: string;
  port: number;
  /** tls: TLS from the first byte (port 465); starttls: upgrade required; none: plain (tests only). */
  security: 'tls' | 'starttls' | 'none';
  user: string | undefined;
  password: string | undefined;
}

export interface OidcConfig {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** The ID token (or userinfo) claim whose value is the person's staff id in the case file. */
  staffClaim: string;
  scope: string;
}

export class ConfigError extends Error {}

const loopback = new Set(['localhost', '127.0.0.1', '[::1]']);

/** All three of issuer, client id and secret, or none; the issuer on https (plain http only on this machine, for tests). */
function oidc(env: NodeJS.ProcessEnv): OidcConfig | undefined {
  const names = ['ARSHJUL_OIDC_ISSUER', 'ARSHJUL_OIDC_CLIENT_ID', 'ARSHJUL_OIDC_CLIENT_SECRET'] as const;
  const given = names.filter((name) => env[name]);
  if (given.length === 0) return undefined;
  if (given.length < names.length) throw new ConfigError(`${names.join(', ')} anges tillsammans: ${names.filter((n) => !env[n]).join(' och ')} saknas.`);
  let issuer: URL;
  try {
    issuer = new URL(env.ARSHJUL_OIDC_ISSUER!);
  } catch {
    throw new ConfigError(`ARSHJUL_OIDC_ISSUER är ingen adress: ange inloggningstjänstens issuer, till exempel https://login.microsoftonline.com/<tenant>/v2.0.`);
  }
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && loopback.has(issuer.hostname))) {
    throw new ConfigError('ARSHJUL_OIDC_ISSUER ska börja med https:// (http bara mot den egna datorn, i tester).');
  }
  const staffClaim = env.ARSHJUL_OIDC_STAFF_CLAIM || 'sub';
  return { issuer, clientId: env.ARSHJUL_OIDC_CLIENT_ID!, clientSecret: env.ARSHJUL_OIDC_CLIENT_SECRET!, staffClaim, scope: env.ARSHJUL_OIDC_SCOPE || 'openid profile' };
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new ConfigError(`${name}=${raw} är inget portnummer: ange ett heltal 1–65535 eller ta bort variabeln.`);
  }
  return value;
}

function smtp(env: NodeJS.ProcessEnv): SmtpConfig | undefined {
  const host = env.ARSHJUL_SMTP_HOST;
  if (!host) return undefined;
  const security = env.ARSHJUL_SMTP_SECURITY || 'starttls';
  if (security !== 'tls' && security !== 'starttls' && security !== 'none') {
    throw new ConfigError(`ARSHJUL_SMTP_SECURITY=${security} är okänt: ange tls, starttls eller none.`);
  }
  return {
    host,
    port: port(env, 'ARSHJUL_SMTP_PORT', security === 'tls' ? 465 : 587),
    security,
    user: env.ARSHJUL_SMTP_USER || undefined,
    password: env.ARSHJUL_SMTP_PASSWORD || undefined,
  };
}

function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 600) throw new ConfigError(`${name}=${raw} är inget antal sekunder: ange 0–600 eller ta bort variabeln.`);
  return value;
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 200) throw new ConfigError(`${name}=${raw} är inget antal: ange ett heltal 1–200 eller ta bort variabeln.`);
  return value;
}

/**
 * The store's pool and the worker's activities, sized together: an activity waits for a connection
 * as long as the pool has none, and its time waiting counts against its timeout. By default as
 * many activities as connections.
 */
function poolAndActivities(env: NodeJS.ProcessEnv): Pick<Config, 'dbPool' | 'workerActivities'> {
  const dbPool = count(env, 'ARSHJUL_DB_POOL', 10);
  const workerActivities = count(env, 'ARSHJUL_WORKER_ACTIVITIES', dbPool);
  if (workerActivities > dbPool) {
    throw new ConfigError(`ARSHJUL_WORKER_ACTIVITIES=${workerActivities} är fler än ARSHJUL_DB_POOL=${dbPool}: varje aktivitet behöver en anslutning till databasen. Höj ARSHJUL_DB_POOL eller sänk ARSHJUL_WORKER_ACTIVITIES.`);
  }
  return { dbPool, workerActivities };
}

function demoYear(env: NodeJS.ProcessEnv): boolean {
  const raw = env.ARSHJUL_DEMO_YEAR || 'on';
  if (raw !== 'on' && raw !== 'off') throw new ConfigError(`ARSHJUL_DEMO_YEAR=${raw} är okänt: ange on (årets cykel fram till i dag) eller off (bara dagens svep).`);
  return raw === 'on';
}

/** Five years unless the installation's records management says otherwise; whole years, at least one. */
function accessLogRetentionYears(env: NodeJS.ProcessEnv): number {
  const raw = env.ARSHJUL_ACCESS_LOG_RETENTION_YEARS;
  if (raw === undefined || raw === '') return 5;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 100) throw new ConfigError(`ARSHJUL_ACCESS_LOG_RETENTION_YEARS=${raw} är inget antal år: ange ett heltal 1–100 eller ta bort variabeln.`);
  return value;
}

/**
 * `ARSHJUL_TRUSTED_PROXIES`: comma-separated addresses or CIDRs (10.0.0.0/8, fd00::/8). Only these
 * hops' X-Forwarded-For is believed; anyone else could write any address there.
 */
function trustedProxies(env: NodeJS.ProcessEnv): string[] {
  const entries = (env.ARSHJUL_TRUSTED_PROXIES ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (!family || !prefixOk || rest.length > 0) {
      throw new ConfigError(`ARSHJUL_TRUSTED_PROXIES: ${entry} är ingen adress eller CIDR: ange proxyernas adresser med komma emellan, till exempel 10.0.0.0/8,192.168.1.5.`);
    }
  }
  return entries;
}

export interface TemporalTls {
  /** The client certificate and key (mutual TLS: `cluster up`'s, or Temporal Cloud's). */
  clientCert: { certPath: string; keyPath: string } | undefined;
  /** The CA that signed the server's certificate, when it is not one the system trusts (`cluster up`'s own). */
  caPath: string | undefined;
  /** The name the server's certificate carries, when it is not the address's host. */
  serverName: string | undefined;
}

const logLevels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

function logLevel(env: NodeJS.ProcessEnv): Config['logLevel'] {
  const raw = (env.ARSHJUL_LOG_LEVEL || 'WARN').toUpperCase();
  const level = logLevels.find((candidate) => candidate === raw);
  if (!level) throw new ConfigError(`ARSHJUL_LOG_LEVEL=${raw} är okänt: ange ${logLevels.join(', ')}.`);
  return level;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const certPath = env.TEMPORAL_TLS_CERT || undefined;
  const keyPath = env.TEMPORAL_TLS_KEY || undefined;
  if (Boolean(certPath) !== Boolean(keyPath)) {
    throw new ConfigError('TEMPORAL_TLS_CERT och TEMPORAL_TLS_KEY anges tillsammans: sätt båda eller ingen.');
  }
  const caPath = env.TEMPORAL_TLS_CA || undefined;
  const serverName = env.TEMPORAL_TLS_SERVER_NAME || undefined;
  const devServerPort = port(env, 'ARSHJUL_TEMPORAL_PORT', 7233);
  return {
    dataDir: path.resolve(env.ARSHJUL_DATA_DIR || path.join(projectRoot, '.data')),
    databaseUrl: env.DATABASE_URL || undefined,
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.ARSHJUL_TASK_QUEUE || 'arshjul',
    devServerPort,
    devServerUiPort: port(env, 'ARSHJUL_TEMPORAL_UI_PORT', devServerPort + 1000),
    tls: (certPath && keyPath) || caPath || serverName ? { clientCert: certPath && keyPath ? { certPath, keyPath } : undefined, caPath, serverName } : undefined,
    apiKey: env.TEMPORAL_API_KEY || undefined,
    payloadKeyFile: env.ARSHJUL_PAYLOAD_KEY_FILE ? path.resolve(env.ARSHJUL_PAYLOAD_KEY_FILE) : undefined,
    oidc: oidc(env),
    smtp: smtp(env),
    mailFrom: env.ARSHJUL_MAIL_FROM || 'arshjul@localhost',
    webPort: port(env, 'ARSHJUL_WEB_PORT', 3000),
    webHost: env.ARSHJUL_WEB_HOST || '127.0.0.1',
    baseUrl: (env.ARSHJUL_BASE_URL || `http://localhost:${port(env, 'ARSHJUL_WEB_PORT', 3000)}`).replace(/\/+$/, ''),
    logLevel: logLevel(env),
    metricsPort: env.ARSHJUL_METRICS_PORT ? port(env, 'ARSHJUL_METRICS_PORT', 0) : undefined,
    healthPort: env.ARSHJUL_HEALTH_PORT ? port(env, 'ARSHJUL_HEALTH_PORT', 0) : undefined,
    drainSeconds: seconds(env, 'ARSHJUL_DRAIN_SECONDS', 5),
    demoYear: demoYear(env),
    trustedProxies: trustedProxies(env),
    accessLogRetentionYears: accessLogRetentionYears(env),
    ...poolAndActivities(env),
  };
}
