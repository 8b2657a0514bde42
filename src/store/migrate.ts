// Versioned migrations, run at every start: each file in migrations/ once, in order, in a
// transaction of its own. The same SQL runs on PGlite and on PostgreSQL.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export async function migrate(db: Db): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const files = (await readdir(migrationsDir)).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  for (const file of files) {
    const version = Number(file.slice(0, 3));
    const sql = await readFile(path.join(migrationsDir, file), 'utf8');
    const done = await db.transaction(async (tx) => {
      // Two processes starting at once: the lock makes the second wait, then see the version applied.
      await tx.query('SELECT pg_advisory_xact_lock(20270101)');
      const [row] = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version]);
      if (row) return false;
      await tx.exec(sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version, file]);
      return true;
    });
    if (done) applied.push(file);
  }
  return applied;
}
