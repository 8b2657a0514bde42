// No personnummer in clear at rest (security review, finding 6): the demo imported into PostgreSQL
// by the CLI, as an installation does it, and the whole database dumped by pg_dump. The embedded
// store's files are searched in temporal.test.ts, after a running `arshjul start`.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { postgresBin } from '../../src/platform/postgres.js';
import { openPostgres } from '../../src/store/db.js';
import { cli, run } from '../helpers/arshjul.js';
import { numbersIn } from '../helpers/personnummer.js';
import { engines } from '../helpers/store.js';

describe.each(engines.filter((e) => e === 'postgresql'))('personnummer at rest on %s', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('leaves no demo personnummer in a pg_dump of the store after arshjul demo, and the members still plan', async () => {
    const admin = openPostgres(inject('postgresUrl'));
    const name = `arshjul_pnr_${process.pid}`;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.close();
    const url = inject('postgresUrl').replace(/\/postgres$/, `/${name}`);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-pnr-'));
    dirs.push(dataDir);
    const env = { ...process.env, DATABASE_URL: url, ARSHJUL_DATA_DIR: dataDir, TEMPORAL_ADDRESS: '' };
    expect((await run(process.execPath, [cli, 'demo'], { env })).stdout).toContain('demo-eb');

    const dump = (await promisify(execFile)(path.join(postgresBin(), 'pg_dump'), ['--data-only', url], { maxBuffer: 256 * 1024 * 1024 })).stdout;
    const demo = syntheticUnit({ households: 730, seed: 2027 });
    expect(numbersIn(dump, new Set(demo.cases.flatMap((c) => c.members.map((m) => m.personId!))))).toEqual([]);
    // The dump holds the cases (their ids are kept), and each member's keyed ref and birth date.
    expect(dump).toContain(demo.cases[0]!.caseId);
    expect(dump).toMatch(/\tp1:[0-9a-f]{32}\t/);
    // Planning reads the same cases back: the month's plan is not empty.
    const planned = (await run(process.execPath, [cli, 'plan', '--unit', 'demo-eb', '--from', '2027-01', '--json'], { env })).stdout;
    expect((JSON.parse(planned) as unknown[]).length).toBeGreaterThan(0);
  }, 120_000);
});
