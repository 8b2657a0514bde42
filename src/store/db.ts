// One interface, two engines: PGlite (PostgreSQL compiled to WebAssembly, kept in a folder) by
// default, and PostgreSQL itself when DATABASE_URL is set. Both speak PostgreSQL's dialect, so the
// migrations and queries are the same text for both.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import pg from 'pg';
import { makePrivate } from '../platform/privateFiles.js';

export interface Queryable {
  query<T extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Tx extends Queryable {
  /** Several statements at once, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Tx {
  readonly engine: 'embedded' | 'postgresql';
  /**
   * The installation's key for personnummer: the store keeps a keyed hash of each, never the number
   * (see cases.ts). Without it (a store opened without the installation's keys) none is kept.
   */
  personKey?: Buffer;
  /** Runs fn in one transaction: all of its writes, or none. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Dates and timestamps stay text in both engines ('2027-05-03', '2027-05-03 06:00:00+00'), so
// both return byte-identical rows and no time zone slips into a date.
const text = (value: string) => value;

/** The embedded store is held by one process at a time; another one gets this, with the holder's pid. */
export class StoreBusyError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `den inbäddade databasen i ${dir} används av en annan Årshjul-process (pid ${pid}, t.ex. npm start). ` +
        'Stoppa den först, eller använd PostgreSQL (DATABASE_URL) när flera processer ska dela databasen.',
    );
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PGlite is one process's database: a lock file with our pid keeps a second process out. */
async function lock(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, 'arshjul.lock');
  for (;;) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(file, 'utf8').catch(() => ''));
      if (holder && holder !== process.pid && running(holder)) throw new StoreBusyError(dir, holder);
      await rm(file, { force: true }); // left by a process that is gone
    }
  }
}

export async function openEmbedded(dir: string): Promise<Db> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const unlock = await lock(dir);
  const db = new PGlite(dir, { parsers: { [pgliteTypes.DATE]: text, [pgliteTypes.TIMESTAMPTZ]: text, [pgliteTypes.INT8]: Number } });
  try {
    await db.waitReady;
    // The store's files hold case data: its owner's alone, whatever modes PostgreSQL set.
    await makePrivate(dir);
  } catch (error) {
    await unlock();
    throw error;
  }
  return {
    engine: 'embedded',
    async query<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params)).rows;
    },
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: async <T>(sql: string, params?: unknown[]) => (await tx.query<T>(sql, params)).rows,
          exec: async (sql: string) => void (await tx.exec(sql)),
        }),
      ),
    async exec(sql) {
      await db.exec(sql);
    },
    async close() {
      await db.close();
      await makePrivate(dir);
      await unlock();
    },
  };
}

pg.types.setTypeParser(pg.types.builtins.DATE, text);
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, text);
pg.types.setTypeParser(pg.types.builtins.INT8, Number);

/** `poolSize`: the process's connections (ARSHJUL_DB_POOL); a worker runs as many activities at most. */
export function openPostgres(url: string, poolSize = 4): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection the server dropped (a restart, a failover) is not a reason to stop the
  // process: the pool opens a new one at the next query. Without this listener Node would crash.
  pool.on('error', (error) => console.warn(`Databasen stängde en vilande anslutning (${(error as NodeJS.ErrnoException).code ?? error.message}); nästa fråga öppnar en ny.`));
  const query = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]) =>
    (await client.query(sql, params)).rows as T[];
  return {
    engine: 'postgresql',
    query: (sql, params) => query(pool, sql, params),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      // The server can drop the connection between two statements of the transaction: an 'error'
      // event with no listener would end the process; noted, the connection is thrown away after.
      const dropped = (error: Error) => (broken = error);
      client.on('error', dropped);
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (sql, params) => query(client, sql, params), exec: async (sql) => void (await client.query(sql)) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is gone: it is thrown away, not given back.
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      } finally {
        client.off('error', dropped);
        client.release(broken);
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

/** Fresh planner statistics: the embedded engine has no autovacuum, and without them large queries plan badly. */
export async function analyze(db: Db): Promise<void> {
  await db.exec('ANALYZE');
}

/** One round trip, for a readiness check: the store answers. */
export async function ping(db: Queryable): Promise<void> {
  await db.query('SELECT 1');
}
