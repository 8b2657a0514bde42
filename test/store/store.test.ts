// The store on both engines: the same migrations, the same queries, the same answers.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseFile } from '../../src/cases/caseFile.js';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { importFile } from '../../src/cli/import.js';
import { projectRoot } from '../../src/platform/paths.js';
import { plan } from '../../src/planner/plan.js';
import { importCaseFile, personRef, readCaseFileFromStore } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { insertTasks } from '../../src/store/tasks.js';
import { exampleCases, exampleCasesPath } from '../helpers/fixtures.js';
import { referencePack } from '../helpers/rules.js';
import { contentChecksum, engines, freshStore } from '../helpers/store.js';

const options = { fileName: 'test.json', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-01-15' };

async function tempFile(name: string, content: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'arshjul-file-')), name);
  await writeFile(file, content);
  return file;
}

describe.each(engines)('store on %s', (engine) => {
  let db: Db;
  beforeEach(async () => {
    db = await freshStore(engine);
  });
  afterEach(async () => {
    await db.close();
  });

  it('runs versioned migrations once', async () => {
    expect(await migrate(db)).toEqual([]);
    const files = (await readdir(path.join(projectRoot, 'src', 'store', 'migrations'))).filter((f) => f.endsWith('.sql')).sort();
    expect(files[0]).toBe('001_initial.sql');
    expect(await db.query('SELECT version, name FROM schema_migrations ORDER BY version')).toEqual(files.map((name, i) => ({ version: i + 1, name })));
  });

  it('imports the example twice and keeps one copy; the stored cases plan as the file does', async () => {
    const first = await importFile(db, { file: exampleCasesPath, full: false, date: '2027-01-15', by: 'test' });
    expect(first).toMatchObject({ added: 4, changed: 0, unchanged: 0 });
    const before = await contentChecksum(db);
    const second = await importFile(db, { file: exampleCasesPath, full: false, date: '2027-01-15', by: 'test' });
    expect(second).toMatchObject({ added: 0, changed: 0, unchanged: 4 });
    const after = await contentChecksum(db);
    // Only the audit log of import runs grew.
    expect({ ...after, import_runs: '' }).toEqual({ ...before, import_runs: '' });
    expect(await db.query('SELECT count(*)::int AS n FROM cases')).toEqual([{ n: 4 }]);

    const pack = await referencePack();
    const fromStore = await readCaseFileFromStore(db, 'exempel-eb');
    expect(plan({ caseFile: fromStore, pack, from: '2027-01', to: '2027-12' })).toEqual(plan({ caseFile: exampleCases(), pack, from: '2027-01', to: '2027-12' }));
  });

  it('keeps no personnummer: a keyed ref under the installation\'s key, the same for the same number, and a change of number is a change', async () => {
    const unit = syntheticUnit({ households: 20, seed: 9 });
    const numbers = unit.cases.flatMap((c) => c.members.map((m) => m.personId!));
    db.personKey = Buffer.alloc(32, 7);
    await importCaseFile(db, unit, options);
    const rows = await db.query<{ person_ref: string }>('SELECT person_ref FROM members ORDER BY case_id, position');
    expect(rows.map((r) => r.person_ref)).toEqual(numbers.map((n) => personRef(db.personKey!, n)));
    // Nothing in any table, hashes included, is a number or gives one away by its plain hash.
    const everything = JSON.stringify(await db.query('SELECT c.*, m.* FROM cases c JOIN members m USING (unit_id, case_id)'));
    for (const n of numbers) expect(everything).not.toContain(n);
    // Another key, another ref: the ref is keyed, not a plain hash anyone could recompute.
    expect(personRef(Buffer.alloc(32, 8), numbers[0]!)).not.toBe(rows[0]!.person_ref);
    // Re-imported unchanged, nothing is rewritten; a corrected personnummer is a change of that case.
    expect(await importCaseFile(db, unit, options)).toMatchObject({ changed: 0, unchanged: unit.cases.length });
    const corrected = structuredClone(unit);
    const another = unit.cases[1]!.members[0]!.personId!;
    corrected.cases[0]!.members[0]!.personId = another;
    expect(await importCaseFile(db, corrected, options)).toMatchObject({ changed: 1 });
    // Read back, a member carries its ref, never the number, and plans as the file does.
    const back = await readCaseFileFromStore(db, unit.unit.id);
    expect(back.cases[0]!.members[0]!.personId).toBe(personRef(db.personKey, another));
    const pack = await referencePack();
    expect(plan({ caseFile: back, pack, from: '2027-01', to: '2027-12' })).toEqual(plan({ caseFile: corrected, pack, from: '2027-01', to: '2027-12' }));
  });

  it('gives a synthetic unit back so that it plans identically, unknown fields kept', async () => {
    const unit = syntheticUnit({ households: 300, seed: 5 });
    (unit.cases[0] as unknown as Record<string, unknown>).caseSystemRef = 'X-17';
    await importCaseFile(db, unit, options);
    const back = await readCaseFileFromStore(db, unit.unit.id);
    expect((back.cases.find((c) => c.caseId === unit.cases[0]!.caseId) as unknown as Record<string, unknown>).caseSystemRef).toBe('X-17');
    const pack = await referencePack();
    expect(plan({ caseFile: back, pack, from: '2027-01', to: '2027-12' })).toEqual(plan({ caseFile: unit, pack, from: '2027-01', to: '2027-12' }));
  });

  it('reports every error of a bad file with its place and writes nothing', async () => {
    await importFile(db, { file: exampleCasesPath, full: false, date: '2027-01-15', by: 'test' });
    const bad = JSON.parse(await readFile(exampleCasesPath, 'utf8')) as CaseFile;
    bad.cases[1]!.members[0]!.personId = '19810505-2025';
    bad.cases[2]!.openedOn = '2026-02-30';
    bad.cases[3]!.socialsekreterare = 'ss-9';
    bad.cases[0]!.closedOn = '2027-01-01';
    const file = await tempFile('bad.json', JSON.stringify(bad, null, 1));
    const before = await contentChecksum(db);
    const failure = await importFile(db, { file, full: true, date: '2027-01-15', by: 'test' }).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    const lines = (failure as Error).message.split('\n');
    expect(lines[0]).toBe('3 fel i ärendefilen; ingenting har skrivits:');
    expect(lines.slice(1)).toEqual([
      `${file}:57 ärende EX-0002 $.cases[1].members[0].personId: ogiltigt personnummer (ÅÅÅÅMMDD-NNNN med rätt kontrollsiffra)`,
      `${file}:85 ärende EX-0003 $.cases[2].openedOn: "2026-02-30" är inget datum ÅÅÅÅ-MM-DD`,
      `${file}:110 ärende EX-0004 $.cases[3].socialsekreterare: "ss-9" finns inte bland personalen (staff)`,
    ]);
    expect(await contentChecksum(db)).toEqual(before);
  });

  it('closes a case a full export drops, cancels its open tasks with events, and reopens it when it returns', async () => {
    await importFile(db, { file: exampleCasesPath, full: false, date: '2027-01-04', by: 'test' });
    const tasks = plan({ caseFile: exampleCases(), pack: await referencePack(), from: '2027-01', to: '2027-01' }).filter((t) => t.caseId !== null);
    await db.transaction((tx) => insertTasks(tx, tasks));
    const dropped = exampleCases();
    dropped.cases = dropped.cases.filter((c) => c.caseId !== 'EX-0001');
    const file = await tempFile('export.json', JSON.stringify(dropped));
    const counts = await importFile(db, { file, full: true, date: '2027-01-20', by: 'test' });
    expect(counts).toMatchObject({ closedByFullExport: 1, cancelledTasks: 2, unchanged: 3 });
    expect(await db.query("SELECT closed_on FROM cases WHERE case_id = 'EX-0001'")).toEqual([{ closed_on: '2027-01-20' }]);
    // January's two controls of every active case: the årsbesked and the register check.
    expect(await db.query("SELECT task_id, state FROM tasks WHERE case_id = 'EX-0001' ORDER BY task_id")).toEqual([
      { task_id: 'exempel-eb:annual-statements:2027-01:EX-0001', state: 'cancelled' },
      { task_id: 'exempel-eb:infotorg-check-jan:2027-01:EX-0001', state: 'cancelled' },
    ]);
    expect(await db.query("SELECT kind, reason, actor FROM task_events WHERE task_id = 'exempel-eb:infotorg-check-jan:2027-01:EX-0001' ORDER BY id")).toEqual([
      { kind: 'created', reason: null, actor: 'system' },
      { kind: 'cancelled', reason: 'ärendet är avslutat (export 2027-01-20)', actor: 'import:test' },
    ]);
    expect(await db.query("SELECT count(*)::int AS n FROM tasks WHERE state = 'open'")).toEqual([{ n: 4 }]);

    const back = await importFile(db, { file: exampleCasesPath, full: true, date: '2027-02-01', by: 'test' });
    expect(back).toMatchObject({ changed: 1, closedByFullExport: 0 });
    expect(await db.query("SELECT closed_on FROM cases WHERE case_id = 'EX-0001'")).toEqual([{ closed_on: null }]);
  });

  it('keeps task events as history: no update, no delete', async () => {
    await importFile(db, { file: exampleCasesPath, full: false, date: '2027-01-04', by: 'test' });
    const tasks = plan({ caseFile: exampleCases(), pack: await referencePack(), from: '2027-01', to: '2027-01' }).filter((t) => t.caseId !== null);
    expect(await db.transaction((tx) => insertTasks(tx, tasks))).toHaveLength(6);
    expect(await db.transaction((tx) => insertTasks(tx, tasks))).toEqual([]);
    await expect(db.query("UPDATE task_events SET note = 'ändrad'")).rejects.toThrow(/task_events är en historik/);
    await expect(db.query('DELETE FROM task_events')).rejects.toThrow(/task_events är en historik/);
    expect(await db.query('SELECT count(*)::int AS n FROM task_events')).toEqual([{ n: 6 }]);
  });

  it('records a task\'s creation at the time its history gives, as its created event (a backfill, the demo year)', async () => {
    await importFile(db, { file: exampleCasesPath, full: false, date: '2027-01-04', by: 'test' });
    const tasks = plan({ caseFile: exampleCases(), pack: await referencePack(), from: '2027-01', to: '2027-01' }).filter((t) => t.caseId !== null);
    await db.transaction((tx) => insertTasks(tx, tasks, '2027-01-04T05:00:00Z'));
    const times = await db.query<{ created: string; event: string }>(
      `SELECT to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS created, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS event
       FROM tasks t JOIN task_events e ON e.task_id = t.task_id AND e.kind = 'created'`);
    expect(times).toHaveLength(6);
    expect(times.every((t) => t.created === '2027-01-04 05:00' && t.event === t.created)).toBe(true);
  });

  it('imports the CSV form into a known unit as the JSON form would', async () => {
    await importFile(db, { file: exampleCasesPath, full: false, date: '2027-01-04', by: 'test' });
    const header = 'caseId,openedOn,closedOn,socialsekreterare,bidragshandlaggare,incomes,fSkatt,kosttillskott,passportCheck,workPlanEstablishedOn,unemployedSince,personId,role,birthDate,schoolType,expectedGraduation';
    const csv = [
      header,
      'EX-0101,2027-01-10,,ss-1,bh-1,sjukersattning;lon,nej,ja,nej,2027-01-12,,19790214-2012,applicant,1979-02-14,,',
      'EX-0101,2027-01-10,,ss-1,bh-1,sjukersattning;lon,nej,ja,nej,2027-01-12,,20080707-2038,child,2008-07-07,gymnasium,2027-06-10',
    ].join('\n');
    const counts = await importFile(db, { file: await tempFile('export.csv', csv), full: false, date: '2027-01-15', by: 'test' });
    expect(counts).toMatchObject({ added: 1 });
    const back = (await readCaseFileFromStore(db, 'exempel-eb')).cases.find((c) => c.caseId === 'EX-0101')!;
    expect(back).toMatchObject({
      openedOn: '2027-01-10',
      incomes: ['lon', 'sjukersattning'],
      flags: { kosttillskott: true },
      workPlan: { establishedOn: '2027-01-12' },
      members: [
        { role: 'applicant', birthDate: '1979-02-14' },
        { role: 'child', birthDate: '2008-07-07', school: { type: 'gymnasium', expectedGraduation: '2027-06-10' } },
      ],
    });

    // As Swedish Excel saves it: a byte order mark, semicolons, CRLF; lists in a cell then by commas.
    const excel = `\uFEFF${[
      `${header.replaceAll(',', ';')};homeless;assistanceMonths;activityPlanEstablishedOn`,
      'EX-0103;2027-01-11;;ss-1;bh-1;sjukersattning,lon;nej;nej;nej;;;19790214-2012;applicant;1979-02-14;;;ja;2026-11,2026-12;2027-01-14',
    ].join('\r\n')}\r\n`;
    expect((await importFile(db, { file: await tempFile('excel.csv', excel), full: false, date: '2027-01-15', by: 'test' })).added).toBe(1);
    expect((await readCaseFileFromStore(db, 'exempel-eb')).cases.find((c) => c.caseId === 'EX-0103')).toMatchObject({
      openedOn: '2027-01-11', incomes: ['lon', 'sjukersattning'], flags: { homeless: true }, assistanceMonths: ['2026-11', '2026-12'], activityPlan: { establishedOn: '2027-01-14' },
      members: [{ role: 'applicant', birthDate: '1979-02-14' }],
    });

    const bad = `${header}\nEX-0102,2027-01-10,,ss-1,bh-2,,kanske,nej,nej,,,19790214-2013,applicant,1979-02-14,,\n`;
    const before = await contentChecksum(db);
    const failure = (await importFile(db, { file: await tempFile('bad.csv', bad), full: false, by: 'test' }).catch((e: Error) => e)) as Error;
    expect(failure.message).toMatch(/bad\.csv:2 ärende EX-0102 fSkatt: "kanske" ska vara ja eller nej/);
    expect(failure.message).toMatch(/bad\.csv:2 ärende EX-0102 bidragshandlaggare: "bh-2" finns inte bland personalen/);
    expect(failure.message).toMatch(/bad\.csv:2 ärende EX-0102 personId: ogiltigt personnummer/);
    const badPlan = `${header},activityPlanEstablishedOn\nEX-0104,2027-01-10,,ss-1,bh-1,,nej,nej,nej,,,19790214-2012,applicant,1979-02-14,,,2027-02-30\n`;
    const planFailure = (await importFile(db, { file: await tempFile('plan.csv', badPlan), full: false, by: 'test' }).catch((e: Error) => e)) as Error;
    expect(planFailure.message).toMatch(/plan\.csv:2 ärende EX-0104 activityPlanEstablishedOn: "2027-02-30" är inget datum ÅÅÅÅ-MM-DD/);
    expect(await contentChecksum(db)).toEqual(before);
  });
});
