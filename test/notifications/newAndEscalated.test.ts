// The digests of a unit whose tasks were made over months (as the demo's year and every backfill
// makes them): "Nya uppgifter" holds only what was made since the last digest, or since the business
// day before the first one, never every open task; and each deputy head hears only of the escalated
// case tasks of the caseworkers who report to them (the case file's reportsTo). Both held to counts
// taken here straight from the rows, not by the digests' own queries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockholmIso, subtractBusinessDays } from '../../src/calendar/businessDays.js';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { caseFileProblems } from '../../src/cases/validate.js';
import { takeSteps } from '../../src/cycle/steps.js';
import { prepareDigests } from '../../src/notifications/prepare.js';
import { plan } from '../../src/planner/plan.js';
import { importCaseFile, readCaseFileFromStore } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { recordPack } from '../../src/store/rulePacks.js';
import { insertTasks } from '../../src/store/tasks.js';
import { referencePack } from '../helpers/rules.js';
import { freshStore } from '../helpers/store.js';

const unit = syntheticUnit({ households: 120, seed: 31, year: 2027 });
const unitId = unit.unit.id;
const baseUrl = 'https://arshjul.kommun.example.se';

/** The sum of the counts under a heading of a digest's text ("  - Title: 3 st, sista dag …"). */
function countUnder(text: string, heading: string): number {
  const section = text.split(`\n${heading}\n`)[1]?.split('\n\n')[0] ?? '';
  return section.split('\n').reduce((sum, line) => sum + Number(/: (\d+) st/.exec(line)?.[1] ?? 0), 0);
}

describe('digests after months of tasks', () => {
  let db: Db;
  /** The first day after 1 March that the sweep makes tasks. */
  let nextDay: string;
  const texts = async (date: string, kind: string) =>
    Object.fromEntries((await db.query<{ recipient: string; text_body: string }>('SELECT recipient, text_body FROM digests WHERE digest_date = $1::date AND kind = $2', [date, kind])).map((d) => [d.recipient, d.text_body]));

  beforeAll(async () => {
    db = await freshStore('embedded');
    await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-01-04' });
    const pack = await referencePack();
    // Each task made at 06:00 on its creation day, as the sweeps make them, January to March.
    const tasks = plan({ caseFile: unit, pack, from: '2027-01', to: '2027-03' });
    const days = [...new Set(tasks.map((t) => t.createOn))].sort();
    nextDay = days.find((d) => d > '2027-03-01')!;
    await db.transaction(async (tx) => {
      await recordPack(tx, pack);
      for (const day of days) await insertTasks(tx, tasks.filter((t) => t.createOn === day), stockholmIso(day, 6));
    });
    // The morning of 1 March: January's rounds have long since reached their escalation days.
    await takeSteps(db, { unitId, date: '2027-03-01', at: stockholmIso('2027-03-01', 6) });
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it('keeps who reports to whom through the store, and refuses a reportsTo that is not a deputy head', async () => {
    expect(unit.staff.filter((s) => s.reportsTo).map((s) => [s.id, s.reportsTo])).toEqual([
      ...Array.from({ length: 20 }, (_, i) => [`ss-${String(i + 1).padStart(2, '0')}`, i < 10 ? 'bec-01' : 'bec-02']),
      ...Array.from({ length: 9 }, (_, i) => [`bh-${String(i + 1).padStart(2, '0')}`, i < 5 ? 'bec-01' : 'bec-02']),
    ]);
    expect((await readCaseFileFromStore(db, unitId)).staff).toEqual([...unit.staff].sort((a, b) => a.id.localeCompare(b.id)));
    expect(caseFileProblems(unit)).toEqual([]);
    const wrong = structuredClone(unit);
    wrong.staff[0]!.reportsTo = 'ec-01';
    wrong.staff[1]!.reportsTo = 'bec-09';
    expect(caseFileProblems(wrong).map((p) => [p.segments.join('.'), p.message])).toEqual([
      ['staff.0.reportsTo', '"ec-01" har rollen enhetschef, inte bitradande-enhetschef'],
      ['staff.1.reportsTo', '"bec-09" finns inte bland personalen (staff)'],
    ]);
  });

  it('lists as new, in the first digest, only what was made since the business day before, and later only what was made since', async () => {
    await prepareDigests(db, { unitId, date: '2027-03-01', baseUrl });
    await prepareDigests(db, { unitId, date: nextDay, baseUrl });
    const made = await db.query<{ assignee: string; day: string; n: number }>(
      `SELECT assignee, to_char(created_at AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD') AS day, count(*)::int AS n FROM tasks
       WHERE assignee IS NOT NULL GROUP BY 1, 2`,
    );
    expect(subtractBusinessDays('2027-03-01', 1)).toBe('2027-02-26');
    const madeIn = (assignee: string, from: string, to: string) => made.filter((m) => m.assignee === assignee && m.day > from && m.day <= to).reduce((s, m) => s + m.n, 0);
    const firstDigest = await texts('2027-03-01', 'caseworker');
    for (const date of ['2027-03-01', nextDay]) {
      const digests = await texts(date, 'caseworker');
      expect(Object.keys(digests).length).toBeGreaterThan(25);
      let listed = 0;
      for (const [person, text] of Object.entries(digests)) {
        // Since the digest of 1 March where the person had one, else since the business day before.
        const since = date > '2027-03-01' && firstDigest[person] ? '2027-03-01' : subtractBusinessDays(date, 1);
        expect(countUnder(text, 'Nya uppgifter'), `${person} ${date}`).toBe(madeIn(person, since, date));
        listed += countUnder(text, 'Nya uppgifter');
      }
      expect(listed, date).toBeGreaterThan(0);
    }
    // The first digest is far from every open task: January's and February's are old.
    const first = await texts('2027-03-01', 'caseworker');
    const open = Object.keys(first).reduce((sum, person) => sum + made.filter((m) => m.assignee === person && m.day <= '2027-03-01').reduce((s, m) => s + m.n, 0), 0);
    const listed = Object.values(first).reduce((sum, text) => sum + countUnder(text, 'Nya uppgifter'), 0);
    expect(listed).toBeLessThan(open / 3);
  });

  it('brings each deputy head the escalated case tasks of their own caseworkers, none of a head\'s or the unit\'s', async () => {
    const escalation = await texts('2027-03-01', 'escalation');
    const expected = await db.query<{ deputy: string; n: number }>(
      `SELECT s.reports_to AS deputy, count(*)::int AS n FROM tasks t JOIN staff s ON s.unit_id = t.unit_id AND s.id = t.assignee
       WHERE t.state = 'open' AND t.case_id IS NOT NULL AND s.role NOT IN ('enhetschef', 'bitradande-enhetschef')
         AND EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.task_id AND e.kind = 'escalation-due')
       GROUP BY 1 ORDER BY 1`,
    );
    expect(expected.map((e) => e.deputy)).toEqual(['bec-01', 'bec-02']);
    // There are escalated tasks of the heads and unit tasks, and they are left out.
    const [others] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM tasks t LEFT JOIN staff s ON s.unit_id = t.unit_id AND s.id = t.assignee
       WHERE (t.case_id IS NULL OR s.role IN ('enhetschef', 'bitradande-enhetschef'))
         AND EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.task_id AND e.kind = 'escalation-due')`,
    );
    expect(others!.n).toBeGreaterThan(0);
    expect(Object.keys(escalation).sort()).toEqual(['bec-01', 'bec-02']);
    for (const { deputy, n } of expected) {
      const text = escalation[deputy]!;
      expect(text).toContain(`${n} kontrolluppgifter hos dina handläggare är försenade och har eskalerats.`);
      expect(countUnder(text, 'Per handläggare')).toBe(n);
      expect(countUnder(text, 'Per kontroll')).toBe(n);
      // Only their own caseworkers by name.
      const names = [...text.split('\nPer handläggare\n')[1]!.split('\n\n')[0]!.matchAll(/- (.+): \d+ st/g)].map((m) => m[1]);
      const theirs = new Set(unit.staff.filter((s) => s.reportsTo === deputy).map((s) => s.name));
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((name) => !theirs.has(name!))).toEqual([]);
    }
  });
});
