// Debian's PostgreSQL, run by the project in a folder of its own: for the cluster shape on one
// machine (`arshjul cluster up`) and the tests. Installed when missing (as root); run as the
// postgres user when we are root, since the server refuses root.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  /** The server's own database, as the superuser `arshjul` (with its password, if it has one). */
  url: string;
  port: number;
  stop(): void;
  /** Stops the server at once (as a crash would) and starts it again on the same data. */
  restart(): void;
  /** Its pg_hba.conf lets local users in without a password (made with trust, before a password was asked for). */
  trusting: boolean;
  /** Turns every trust line of pg_hba.conf into scram-sha-256 and reloads; the role must have its password first. */
  requirePassword(): void;
}

const postgresIds = () => [Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }))] as const;

const trustLine = /^(\s*(?:local|host\w*)\b.*\s)trust(\s*)$/;

/**
 * A PostgreSQL whose data lives in `dir` (made with initdb the first time, kept after): started on
 * `port`, loopback only. With `password`, the superuser `arshjul` signs in with it by
 * scram-sha-256 (`cluster up`); without, trust for every local user (the store tests' throwaway
 * servers). The folder must be one the server's user can reach: as root, Årshjul's own data folder
 * (0700) is not; see `postgresDirFor`.
 */
export function runPostgres(dir: string, port: number, options: { fast?: boolean; password?: string } = {}): LocalPostgres {
  const bin = postgresBin();
  const data = path.join(dir, 'data');
  if (!existsSync(path.join(data, 'PG_VERSION'))) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (isRoot) chownSync(dir, ...postgresIds());
    if (options.password) {
      // initdb reads the password from a file the server's user can read; it lives only as long as initdb runs.
      const pwFile = path.join(dir, 'initdb-password');
      writeFileSync(pwFile, `${options.password}\n`, { mode: 0o600 });
      if (isRoot) chownSync(pwFile, ...postgresIds());
      try {
        pgRun(path.join(bin, 'initdb'), ['-D', data, '-U', 'arshjul', '--auth=scram-sha-256', `--pwfile=${pwFile}`, '--no-sync', '-E', 'UTF8', '--locale=C']);
      } finally {
        rmSync(pwFile, { force: true });
      }
    } else {
      pgRun(path.join(bin, 'initdb'), ['-D', data, '-U', 'arshjul', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    }
  }
  const hba = path.join(data, 'pg_hba.conf');
  const hbaLines = () => readFileSync(hba, 'utf8').split('\n');
  // fsync off only where losing the data at a power cut does not matter (tests).
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200${options.fast ? ' -c fsync=off' : ''}`;
  const start = () => pgRun(path.join(bin, 'pg_ctl'), ['-D', data, '-w', '-l', path.join(dir, 'log'), '-o', settings, 'start']);
  const stop = (mode: 'fast' | 'immediate') => pgRun(path.join(bin, 'pg_ctl'), ['-D', data, '-m', mode, '-w', 'stop']);
  if (!running(bin, data)) start();
  const user = options.password ? `arshjul:${encodeURIComponent(options.password)}` : 'arshjul';
  return {
    url: `postgresql://${user}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => stop('fast'),
    restart() {
      stop('immediate');
      start();
    },
    trusting: hbaLines().some((line) => trustLine.test(line)),
    requirePassword() {
      writeFileSync(hba, hbaLines().map((line) => line.replace(trustLine, '$1scram-sha-256$2')).join('\n'));
      pgRun(path.join(bin, 'pg_ctl'), ['-D', data, 'reload']);
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
