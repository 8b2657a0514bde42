// Databases on a PostgreSQL server, for setting up the cluster shape: Temporal's two and the store's.
import type { Queryable } from './db.js';

/** Creates the database unless it exists; the name is ours (letters and underscores), never a user's. */
export async function ensureDatabase(admin: Queryable, name: string): Promise<void> {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`ogiltigt databasnamn ${name}`);
  const [exists] = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!exists) await admin.query(`CREATE DATABASE ${name}`);
}

/** Whether Temporal's SQL tool has set this database up (its schema_version table). */
export async function hasTemporalSchema(db: Queryable): Promise<boolean> {
  const [found] = await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_version'");
  return found !== undefined;
}
