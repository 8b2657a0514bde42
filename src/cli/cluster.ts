// `arshjul cluster up|down`: the production shape on this machine (Temporal's server on PostgreSQL,
// the store's database beside it), for tests, benchmarks and a single-machine installation.
import path from 'node:path';
import { clusterDown, clusterUp, portsFrom, type ClusterSettings } from '../platform/cluster.js';
import { ConfigError, type Config } from '../platform/config.js';

export interface ClusterFlags {
  postgres?: string;
  port?: string;
  'postgres-port'?: string;
  shards?: string;
  'retention-days'?: string;
}

function whole(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`--${name} ska vara ett heltal ${min}–${max}, fick ${raw}`);
  return value;
}

export function clusterSettings(config: Config, flags: ClusterFlags): ClusterSettings {
  if (flags.postgres !== undefined && !/^postgres(ql)?:\/\//.test(flags.postgres)) throw new ConfigError('--postgres ska vara en adress postgresql://användare:lösenord@värd:port/');
  return {
    dir: path.join(config.dataDir, 'cluster'),
    postgresUrl: flags.postgres,
    postgresPort: whole('postgres-port', flags['postgres-port'], 5433, 1, 65535),
    ports: portsFrom(whole('port', flags.port, 7233, 1024, 64000)),
    numHistoryShards: whole('shards', flags.shards, 8, 1, 16384),
    retentionDays: whole('retention-days', flags['retention-days'], 30, 1, 3650),
    namespace: config.namespace,
  };
}

/** A word the shell takes as it stands. */
function shellQuoted(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export async function clusterCommand(config: Config, sub: 'up' | 'down', flags: ClusterFlags): Promise<string> {
  const settings = clusterSettings(config, flags);
  if (sub === 'down') {
    await clusterDown(settings);
    return `Temporal-servern, dess webbgränssnitt${settings.postgresUrl ? '' : ' och PostgreSQL'} i ${settings.dir} är stoppade; datan finns kvar (cluster up startar dem igen).`;
  }
  const cluster = await clusterUp(settings);
  const { tls } = cluster;
  // Our PostgreSQL's password is read from its 0600 file by the shell, never shown on the screen.
  const databaseUrl = cluster.passwordFile
    ? `"${cluster.databaseUrl.replace(/^(postgresql:\/\/[^:@]+):[^@]*@/, `$1:$(cat ${shellQuoted(cluster.passwordFile)})@`)}"`
    : shellQuoted(cluster.databaseUrl);
  return [
    `Klustret kör: Temporal ${cluster.temporalAddress} med ömsesidig TLS (namespace ${settings.namespace}, ${settings.numHistoryShards} shards, historik sparas ${settings.retentionDays} dagar), mätvärden ${cluster.metricsUrl}.`,
    `Temporals webbgränssnitt (bara läsning, bara den här datorn): ${cluster.uiUrl}`,
    `Certifikat och nycklar: ${path.dirname(tls.caPath)}${cluster.passwordFile ? `; PostgreSQL-lösenordet: ${cluster.passwordFile}` : ''} (bara ägaren kan läsa dem).`,
    'Sätt detta för Årshjuls processer (worker, web, CLI) och för temporal-CLI:t:',
    `export TEMPORAL_ADDRESS=${cluster.temporalAddress} TEMPORAL_TLS_CERT=${shellQuoted(tls.clientCertPath)} TEMPORAL_TLS_KEY=${shellQuoted(tls.clientKeyPath)} TEMPORAL_TLS_CA=${shellQuoted(tls.caPath)} TEMPORAL_TLS_SERVER_NAME=${cluster.env.TEMPORAL_TLS_SERVER_NAME}`,
    `export DATABASE_URL=${databaseUrl}`,
    `export ARSHJUL_DATA_DIR=${shellQuoted(config.dataDir)}`,
  ].join('\n');
}
