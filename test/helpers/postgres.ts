// A real PostgreSQL from Debian's packages for the store tests: in a temporary folder of its own,
// started on a free port, removed after.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runPostgres } from '../../src/platform/postgres.js';

export interface Postgres {
  url: string;
  stop(): void;
}

export function startPostgres(port: number): Postgres {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'arshjul-pg-'));
  const server = runPostgres(dir, port, { fast: true });
  return {
    url: server.url,
    stop() {
      server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
