// Debian's PostgreSQL as `cluster up` runs it (issue 26): made with a password, it asks every
// client for it (scram-sha-256); a folder made before, with trust, is brought to the same by the
// steps cluster up takes (the role's password, then a scram-only pg_hba.conf).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runPostgres, type LocalPostgres } from '../../src/platform/postgres.js';
import { setRolePassword } from '../../src/store/databases.js';
import { openPostgres } from '../../src/store/db.js';
import { freePort } from '../helpers/ports.js';

/** Rejects unless a query goes through on that URL. */
async function query(url: string): Promise<unknown> {
  const db = openPostgres(url);
  try {
    return await db.query('SELECT DISTINCT auth_method FROM pg_hba_file_rules');
  } finally {
    await db.close();
  }
}

describe('our PostgreSQL with a password', () => {
  const started: { server: LocalPostgres; dir: string }[] = [];
  // As root the folder must be one the postgres user can enter: the system's temporary folder is.
  const folder = () => mkdtemp(path.join(os.tmpdir(), 'arshjul-pgauth-'));

  afterEach(async () => {
    for (const { server, dir } of started.splice(0)) {
      server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('asks for the password (scram-sha-256) when made with one', async () => {
    const dir = await folder();
    const port = await freePort();
    const server = runPostgres(dir, port, { fast: true, password: 'losen-ord_1' });
    started.push({ server, dir });
    expect(server.trusting).toBe(false);
    expect(server.url).toBe(`postgresql://arshjul:losen-ord_1@127.0.0.1:${port}/postgres`);
    expect(await query(server.url)).toEqual([{ auth_method: 'scram-sha-256' }]);
    await expect(query(`postgresql://arshjul@127.0.0.1:${port}/postgres`)).rejects.toThrow(/password/);
    await expect(query(`postgresql://arshjul:fel@127.0.0.1:${port}/postgres`)).rejects.toThrow(/password authentication failed/);
  });

  it('turns a folder made with trust to the password', async () => {
    const dir = await folder();
    const port = await freePort();
    const trusting = runPostgres(dir, port, { fast: true });
    expect(trusting.trusting).toBe(true);
    trusting.stop();
    const server = runPostgres(dir, port, { fast: true, password: 'nytt-losen' });
    started.push({ server, dir });
    expect(server.trusting).toBe(true);
    const admin = openPostgres(server.url);
    try {
      await setRolePassword(admin, 'arshjul', 'nytt-losen');
    } finally {
      await admin.close();
    }
    server.requirePassword();
    await expect(query(`postgresql://arshjul@127.0.0.1:${port}/postgres`)).rejects.toThrow(/password/);
    expect(await query(server.url)).toEqual([{ auth_method: 'scram-sha-256' }]);
  });
});
