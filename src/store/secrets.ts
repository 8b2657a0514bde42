// Secrets the server keeps for itself: made at random the first time one is asked for, the same
// ever after (every process and replica reads the same one).
import { randomBytes } from 'node:crypto';
import type { Queryable } from './db.js';

export async function serverSecret(db: Queryable, name: string): Promise<string> {
  await db.query('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, randomBytes(32).toString('base64url')]);
  const [row] = await db.query<{ value: string }>('SELECT value FROM server_secrets WHERE name = $1', [name]);
  return row!.value;
}
