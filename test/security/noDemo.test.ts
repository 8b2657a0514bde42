// Finding 6 of the review, replayed: `arshjul start` on an empty PostgreSQL store loaded the demo
// unit with its published password, an admin among them. The real command, against a real
// PostgreSQL database of its own; the embedded default keeps its demo.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadsDemo } from '../../src/cli/start.js';
import { openPostgres } from '../../src/store/db.js';
import { interrupt, startArshjul } from '../helpers/arshjul.js';
import { freePort } from '../helpers/ports.js';

describe('no demo by surprise', () => {
  it('loads the demo only into an empty embedded store', () => {
    expect(loadsDemo({ databaseUrl: undefined }, true)).toBe(true);
    expect(loadsDemo({ databaseUrl: undefined }, false)).toBe(false);
    expect(loadsDemo({ databaseUrl: 'postgresql://arshjul@db.kommun.se/arshjul' }, true)).toBe(false);
  });

  describe.skipIf(!inject('postgresUrl'))('arshjul start on an empty PostgreSQL store', () => {
    let dataDir: string;
    let url: string;
    const name = `arshjul_nodemo_${process.pid}`;
    beforeAll(async () => {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-nodemo-'));
      const admin = openPostgres(inject('postgresUrl'));
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.close();
      url = inject('postgresUrl').replace(/\/postgres$/, `/${name}`);
    });
    afterAll(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    it('loads no unit and no account, and says how to import one', async () => {
      const port = await freePort();
      const started = await startArshjul({
        ...process.env, ARSHJUL_DATA_DIR: dataDir, DATABASE_URL: url, TEMPORAL_ADDRESS: '',
        ARSHJUL_TEMPORAL_PORT: String(port), ARSHJUL_TEMPORAL_UI_PORT: String(await freePort()), ARSHJUL_DEMO_YEAR: 'off',
      });
      const output = started.output();
      await interrupt(started);
      expect(output).toContain('npx arshjul import cases FIL');
      expect(output).not.toContain('arshjul-demo');
      expect(output).not.toContain('laddade demoenheten');
      const db = openPostgres(url);
      try {
        expect(await db.query('SELECT id FROM units')).toEqual([]);
        expect(await db.query('SELECT staff_id FROM accounts')).toEqual([]);
        // The store was made (the migrations ran): it is empty, not missing.
        expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations'))[0]!.n).toBeGreaterThan(10);
      } finally {
        await db.close();
      }
    }, 300_000);
  });
});
