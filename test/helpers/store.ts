// Fresh stores for tests, on each engine: the embedded one in a temporary folder, PostgreSQL in a
// database of its own on the suite's server.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { openEmbedded, openPostgres, type Db, type Queryable } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';

export type Engine = 'embedded' | 'postgresql';

export const engines: Engine[] = inject('postgresUrl') ? ['embedded', 'postgresql'] : ['embedded'];

let databases = 0;

export async function freshStore(engine: Engine): Promise<Db> {
  let db: Db;
  if (engine === 'embedded') {
    db = await openEmbedded(await mkdtemp(path.join(os.tmpdir(), 'arshjul-store-')));
  } else {
    const admin = openPostgres(inject('postgresUrl'));
    const name = `arshjul_${process.pid}_${++databases}`;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.close();
    db = openPostgres(inject('postgresUrl').replace(/\/postgres$/, `/${name}`));
  }
  await migrate(db);
  return db;
}

const tables = ['units', 'staff', 'cases', 'members', 'case_incomes', 'case_flags', 'tasks', 'task_events', 'import_runs', 'rule_pack_versions', 'schema_migrations'];

/** Row count and a checksum of every table's content: equal before and after means nothing changed. */
export async function contentChecksum(db: Queryable): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const table of tables) {
    const [row] = await db.query<{ n: number; sum: string | null }>(`SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS sum FROM ${table} t`);
    sums[table] = `${row!.n}:${row!.sum ?? '-'}`;
  }
  return sums;
}
