// A real PostgreSQL from Debian's packages for the store tests: installed when missing (as root),
// initialised in a temporary folder and started on a free port of its own.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDebianPackage, isRoot } from '../../src/platform/debian.js';

export interface Postgres {
  url: string;
  stop(): void;
}

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : undefined;
}


/** Runs a PostgreSQL program; as root, as the postgres user, since the server refuses root. */
function pgRun(bin: string, args: string[]): void {
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const result = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${path.basename(bin)} misslyckades: ${result.stderr || result.stdout}`);
}

export function startPostgres(port: number): Postgres {
  let bin = binDir();
  if (!bin) {
    ensureDebianPackage('postgresql', () => Boolean(binDir()));
    bin = binDir();
  }
  if (!bin) throw new Error('PostgreSQL finns inte och kan inte installeras här (kör som root eller installera paketet postgresql)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arshjul-pg-'));
  if (isRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
  const data = path.join(dir, 'data');
  pgRun(path.join(bin, 'initdb'), ['-D', data, '-U', 'arshjul', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  pgRun(path.join(bin, 'pg_ctl'), ['-D', data, '-w', '-l', path.join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: `postgresql://arshjul@127.0.0.1:${port}/postgres`,
    stop() {
      pgRun(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
