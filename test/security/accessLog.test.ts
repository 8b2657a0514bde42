// The access log as an attacker meets it: a record changed or removed in the database (behind the
// triggers' back, as a superuser could) is found by `arshjul log verify`, which names the record and
// exits non-zero; the app's own SQL cannot change or remove one; a caseworker cannot open /logg, a
// head and a log reviewer can, and every reading of the log, on the web and the command line, is
// itself on record.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { recordAccess, searchAccess } from '../../src/accessLog/log.js';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { setLogReviewer } from '../../src/store/accounts.js';
import { importCaseFile } from '../../src/store/cases.js';
import { openEmbedded, openPostgres, type Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { cli, run } from '../helpers/arshjul.js';
import { engines } from '../helpers/store.js';
import { unit, webFixture, type WebFixture } from '../helpers/web.js';

describe.each(engines)('a changed access record, found by arshjul log verify (store on %s)', (engine) => {
  const home = syntheticUnit({ households: 5, seed: 11, unitId: 'hem-eb' });
  const other = 'granne-eb';
  let env: NodeJS.ProcessEnv;
  let open: () => Promise<Db>;

  /** The store, opened for one step and closed again: the embedded one is one process's, and the CLI is another. */
  async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    const db = await open();
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  }
  async function arshjul(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(process.execPath, [cli, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }
  /** What a superuser could do: the triggers off, a change, the triggers on again. */
  const behindTheTriggers = (sql: string, params: unknown[]) => withDb((db) => db.transaction(async (tx) => {
    await tx.exec('ALTER TABLE access_log DISABLE TRIGGER access_log_append_only');
    await tx.query(sql, params);
    await tx.exec('ALTER TABLE access_log ENABLE TRIGGER access_log_append_only');
  }));

  beforeAll(async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-logg-'));
    if (engine === 'embedded') {
      env = { ...process.env, ARSHJUL_DATA_DIR: dataDir, DATABASE_URL: '' };
      open = () => openEmbedded(path.join(dataDir, 'store'));
    } else {
      const name = `arshjul_logg_${process.pid}`;
      const admin = openPostgres(inject('postgresUrl'));
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.close();
      const url = inject('postgresUrl').replace(/\/postgres$/, `/${name}`);
      env = { ...process.env, ARSHJUL_DATA_DIR: dataDir, DATABASE_URL: url };
      open = () => Promise.resolve(openPostgres(url));
    }
    await withDb(async (db) => {
      await migrate(db);
      await importCaseFile(db, home, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-05-03' });
      for (let i = 0; i < 5; i++) {
        await recordAccess(db, { unitId: home.unit.id, staffId: 'bec-01', view: 'task', caseIds: [home.cases[i]!.caseId], at: new Date(Date.UTC(2027, 4, 3, 8, i)), session: 'tag', address: '10.1.2.3' });
        await recordAccess(db, { unitId: other, staffId: 'ss-01', view: 'inbox', caseIds: ['GRANNE-1'], at: new Date(Date.UTC(2027, 4, 3, 8, i)) });
      }
    });
  }, 120_000);

  it('finds every chain whole, and the app\'s own SQL can neither change nor remove a record', async () => {
    const verified = await arshjul('log', 'verify');
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain(`OK: ${home.unit.id}: 5 poster, nr 1–5, hela kedjan stämmer`);
    expect(verified.stdout).toContain(`OK: ${other}: 5 poster`);
    await withDb(async (db) => {
      await expect(db.query("UPDATE access_log SET staff_id = 'ec-01' WHERE unit_id = $1", [home.unit.id])).rejects.toThrow(/ändras aldrig/);
      await expect(db.query('DELETE FROM access_log WHERE unit_id = $1 AND seq = 5', [home.unit.id])).rejects.toThrow(/ändras aldrig/);
    });
  });

  it('searches by case from the command line, and puts the search itself on record', async () => {
    const caseId = home.cases[2]!.caseId;
    const searched = await arshjul('log', '--unit', home.unit.id, '--case', caseId, '--json');
    expect(searched.code, searched.stderr).toBe(0);
    const found = JSON.parse(searched.stdout) as { seq: number; view: string; caseIds: string[]; staffId: string | null; address: string }[];
    // The reading (newest) and the one record that named the case.
    expect(found.map((r) => [r.seq, r.view, r.caseIds])).toEqual([[6, 'log-cli', [caseId]], [3, 'task', [caseId]]]);
    expect(found[0]).toMatchObject({ staffId: null, address: expect.stringMatching(/^kommandorad: /) as unknown });
    const table = await arshjul('log', '--unit', home.unit.id, '--person', 'bec-01');
    expect(table.stdout).toMatch(/Biträdande enhetschef 1 \(bec-01\)\s+Uppgift/);
    expect(table.stdout).toContain('5 poster, senaste först.');
    expect((await arshjul('log', 'verify', '--unit', home.unit.id)).stdout).toContain('7 poster, nr 1–7');
  });

  it('names the first record changed in the database and exits non-zero', async () => {
    await behindTheTriggers("UPDATE access_log SET staff_id = 'ec-01' WHERE unit_id = $1 AND seq = 3", [home.unit.id]);
    const verified = await arshjul('log', 'verify');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`FEL: ${home.unit.id}: kedjan bryts vid post nr 3 (2027-05-03 10:02:00): dess innehåll stämmer inte med dess hash (posten är ändrad). 2 poster före den stämmer.`);
    // The other unit's chain is its own, and still whole.
    expect(verified.stdout).toContain(`OK: ${other}: 5 poster`);
    // No case id in what verify says.
    expect(verified.stdout).not.toMatch(/HEM-EB-|GRANNE-1/);
  });

  it('names the place of a record removed from the database', async () => {
    await behindTheTriggers('DELETE FROM access_log WHERE unit_id = $1 AND seq = 2', [other]);
    const verified = await arshjul('log', 'verify', '--unit', other);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`FEL: ${other}: kedjan bryts vid post nr 3 (2027-05-03 10:02:00): post 2 saknas före den. 1 post före den stämmer.`);
  });
});

describe('the access log in the web app', () => {
  let web: WebFixture;
  let caseworker: string;
  let reviewer: string;
  beforeAll(async () => {
    web = await webFixture('security-access-log', (tasks) => {
      caseworker = tasks.find((t) => t.caseId !== null && t.assigneeRole === 'socialsekreterare')!.assignee!;
      reviewer = unit.staff.find((s) => s.role === 'bidragshandlaggare')!.id;
      return [caseworker, reviewer, 'ec-01'];
    });
    await setLogReviewer(web.db, unit.unit.id, reviewer, true);
  }, 120_000);
  afterAll(async () => {
    await web?.close();
  });

  const get = async (who: string, url: string) => {
    const { cookie } = await web.session(who);
    return web.app.inject({ method: 'GET', url, cookies: { arshjul_session: cookie } });
  };
  const reads = async () => (await searchAccess(web.db, { unitId: unit.unit.id, limit: 1000 })).records.filter((r) => r.view === 'log' || r.view === 'log-csv');

  it('records a caseworker\'s inbox and the API\'s task lists with the cases they gave', async () => {
    const { cookie } = await web.session(caseworker);
    const as = { cookies: { arshjul_session: cookie } };
    const latest = async () => (await searchAccess(web.db, { unitId: unit.unit.id, limit: 1 })).records[0]!;
    const known = new Set(unit.cases.map((c) => c.caseId));
    const inbox = await web.app.inject({ method: 'GET', url: '/inkorg', ...as });
    const listed = [...new Set([...inbox.body.matchAll(/>([^<>]+)<\/a><\/td>/g)].map((m) => m[1]!).filter((id) => known.has(id)))].sort();
    expect(listed.length).toBeGreaterThan(0);
    expect(await latest()).toMatchObject({ view: 'inbox', staffId: caseworker, caseIds: listed });
    const api = await web.app.inject({ method: 'GET', url: '/api/tasks', ...as });
    const given = api.json<{ ref: string; caseId: string | null }[]>();
    expect(await latest()).toMatchObject({ view: 'api-tasks', staffId: caseworker, caseIds: [...new Set(given.map((t) => t.caseId).filter((id) => id !== null))].sort(), query: `assignee=${caseworker}` });
    const one = given.find((t) => t.caseId !== null)!;
    await web.app.inject({ method: 'GET', url: `/api/tasks/${one.ref}`, ...as });
    expect(await latest()).toMatchObject({ view: 'api-task', caseIds: [one.caseId] });
  });

  it('refuses /logg and its CSV to a caseworker (403), and records nothing for the refusal', async () => {
    for (const url of ['/logg', '/logg.csv', `/logg?arende=${unit.cases[0]!.caseId}`]) {
      const response = await get(caseworker, url);
      expect(response.statusCode, url).toBe(403);
      expect(response.body, url).not.toContain(unit.cases[0]!.caseId);
    }
    expect(await reads()).toEqual([]);
    // No link to it either.
    expect((await get(caseworker, '/inkorg')).body).not.toContain('href="/logg"');
  });

  it('lets the unit head search by case, and records the reading with the case', async () => {
    const caseId = unit.cases[1]!.caseId;
    await recordAccess(web.db, { unitId: unit.unit.id, staffId: caseworker, view: 'task', caseIds: [caseId], at: new Date() });
    const page = await get('ec-01', `/logg?arende=${caseId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<caption>Poster, senaste först</caption>');
    expect(page.body).toContain('<label>Ärende <input name="arende"');
    // The reading itself (newest) and the task page that named the case; nothing else.
    const rows = [...page.body.matchAll(/<tr data-seq="\d+"><td class="n">\d+<\/td><td class="nowrap">[^<]+<\/td><td>([^<]+)<\/td><td>([^<]+)<\/td><td>([^<]*)<\/td>/g)].map((m) => m.slice(1));
    const name = (id: string) => `${unit.staff.find((s) => s.id === id)!.name} (${id})`;
    expect(rows).toEqual([[name('ec-01'), 'Åtkomstloggen', caseId], [name(caseworker), 'Uppgift', caseId]]);
    expect((await reads()).at(0)).toMatchObject({ staffId: 'ec-01', view: 'log', caseIds: [caseId], query: `ärende=${caseId}` });
  });

  it('lets a log reviewer read it and download it as CSV for Excel; without the flag, no more', async () => {
    expect((await get(reviewer, '/logg')).statusCode).toBe(200);
    const file = await get(reviewer, `/logg.csv?person=${caseworker}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    expect(file.body.startsWith('\uFEFFnr;tid;person;vy;ärenden;sökning eller urval;session;adress;föregående hash;hash\n')).toBe(true);
    expect((await reads()).at(0)).toMatchObject({ staffId: reviewer, view: 'log-csv', query: `person=${caseworker}` });
    await setLogReviewer(web.db, unit.unit.id, reviewer, false);
    expect((await get(reviewer, '/logg')).statusCode).toBe(403);
  });
});
