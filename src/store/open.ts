import path from 'node:path';
import type { Config } from '../platform/config.js';
import { personKeyFor } from '../platform/payloadCodec.js';
import { openEmbedded, openPostgres, type Db } from './db.js';
import { migrate } from './migrate.js';

export function storeDir(config: Config): string {
  return path.join(config.dataDir, 'store');
}

/** The configured store, migrated to the current schema. */
export async function openStore(config: Config): Promise<Db> {
  const personKey = await personKeyFor(config);
  const db = config.databaseUrl ? openPostgres(config.databaseUrl, config.dbPool) : await openEmbedded(storeDir(config));
  db.personKey = personKey;
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/** Runs fn with the configured store, closed afterwards whatever happens. */
export async function withStore<T>(config: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openStore(config);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
