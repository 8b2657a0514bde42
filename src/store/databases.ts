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

/**
 * Gives a role its password, kept by the server as a scram-sha-256 verifier (its default from
 * PostgreSQL 14). ALTER ROLE takes no parameters: role and password are ours (`cluster up`), never a
 * user's, and are checked to be plain before they reach the statement.
 */
export async function setRolePassword(admin: Queryable, role: string, password: string): Promise<void> {
  if (!/^[a-z_]+$/.test(role) || !/^[A-Za-z0-9_-]+$/.test(password)) throw new Error('ogiltig roll eller ogiltigt lösenord');
  await admin.query(`ALTER ROLE ${role} PASSWORD '${password}'`);
}
