// Debian's PostgreSQL, run by the project in a folder of its own: for the cluster shape on one
// machine (`arshjul cluster up`) and the tests. Installed when missing (as root); run as the
// postgres user when we are root, since the server refuses root.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ensureDebianPackage, isRoot } from './debian.js';

export class PostgresError extends Error {}

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}

export function postgresBin(): string {
  if (!binDir()) ensureDebianPackage('postgresql', () => Boolean(binDir()));
  const bin = binDir();
  if (!bin) throw new PostgresError('PostgreSQL finns inte och kan inte installeras här: installera paketet postgresql (apt-get install postgresql), eller ange en PostgreSQL med --postgres URL.');
  return bin;
}

function pgSpawn(bin: string, args: string[]) {
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return spawnSync(cmd, argv, { encoding: 'utf8' });
}

const running = (bin: string, data: string) => pgSpawn(path.join(bin, 'pg_ctl'), ['-D', data, 'status']).status === 0;

function pgRun(bin: string, args: string[]): string {
  const result = pgSpawn(bin, args);
  if (result.status !== 0) throw new PostgresError(`${path.basename(bin)} ${args[0] ?? ''} misslyckades: ${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}

export interface LocalPostgres {
  /** The server's own database, as the superuser `arshjul`. */
  url: string;
  port: number;
  stop(): void;
  /** Stops the server at once (as a crash would) and starts it again on the same data. */
  restart(): void;
}

/**
 * A PostgreSQL whose data lives in `dir` (made with initdb the first time, kept after): started on
 * `port`, loopback only, trust for the local superuser `arshjul`. The folder must be one the
 * server's user can reach: as root, Årshjul's own data folder (0700) is not; see `postgresDirFor`.
 */
export function runPostgres(dir: string, port: number, options: { fast?: boolean } = {}): LocalPostgres {
  const bin = postgresBin();
  const data = path.join(dir, 'data');
  if (!existsSync(path.join(data, 'PG_VERSION'))) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (isRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
    pgRun(path.join(bin, 'initdb'), ['-D', data, '-U', 'arshjul', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  }
  // fsync off only where losing the data at a power cut does not matter (tests).
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200${options.fast ? ' -c fsync=off' : ''}`;
  const start = () => pgRun(path.join(bin, 'pg_ctl'), ['-D', data, '-w', '-l', path.join(dir, 'log'), '-o', settings, 'start']);
  const stop = (mode: 'fast' | 'immediate') => pgRun(path.join(bin, 'pg_ctl'), ['-D', data, '-m', mode, '-w', 'stop']);
  if (!running(bin, data)) start();
  return {
    url: `postgresql://arshjul@127.0.0.1:${port}/postgres`,
    port,
    stop: () => stop('fast'),
    restart() {
      stop('immediate');
      start();
    },
  };
}

/** Stops the server of `dir`, if it runs. */
export function stopPostgres(dir: string): void {
  const bin = binDir();
  const data = path.join(dir, 'data');
  if (!bin || !running(bin, data)) return;
  pgRun(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
}
