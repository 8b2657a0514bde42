// Acceptance (issue 25, 1): every stored report version of a backfilled year agrees with a recount
// from the task events as of the version's moment, and `arshjul report` holds a version to that
// recount, so a report that counted the tasks by the wrong clock (as the demo's once did: tasks
// stamped with the real clock, their events back-dated) is caught rather than rebuilt the same.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { reportCommand } from '../../src/cli/report.js';
import { backfillYear } from '../../src/demo/pastYear.js';
import { loadConfig } from '../../src/platform/config.js';
import { recountFromEvents, recountOnTimeFromEvents, reportMonths } from '../../src/reports/eventRecount.js';
import { parseReportPeriod } from '../../src/reports/period.js';
import { compareWithRecount, describeDifference, recountedRate } from '../../src/reports/recount.js';
import { renderReport, storedReports, storeReportVersion, type StoredReport } from '../../src/reports/tertialReport.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { openStore } from '../../src/store/open.js';
import { recordPack } from '../../src/store/rulePacks.js';
import { referencePack } from '../helpers/rules.js';

// A year already past by the real clock, as the demo's is when `npm start` loads it: a task stamped
// with the clock at load would be stamped after every report's moment.
const year = 2026;
const unit = syntheticUnit({ households: 40, seed: 13, year });
const unitId = unit.unit.id;
const t1 = parseReportPeriod(`${year}-T1`);
const t2 = parseReportPeriod(`${year}-T2`);

describe('the reports of a backfilled year, held to a recount from the events', () => {
  let dataDir: string;
  let db: Db;
  let versions: StoredReport[];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-recount-'));
    db = await openStore(loadConfig({ ARSHJUL_DATA_DIR: dataDir }));
    await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: `${year}-01-01` });
    const pack = await referencePack();
    await db.transaction((tx) => recordPack(tx, pack));
    // The demo's year so far, as `npm start` makes it: each business day's sweep, rounds and work,
    // then the closed tertials' report versions, each stored afterwards as of its moment.
    await backfillYear(db, { unitId, pack, until: `${year}-09-08` });
    versions = [...(await storedReports(db, unitId, t1.id)), ...(await storedReports(db, unitId, t2.id))];
  }, 600_000);
  afterAll(async () => {
    await db?.close();
  });

  it('stores T1 and T2 in versions, inside the tertial and after it closed', () => {
    expect(versions.map((v) => v.period)).toContain(t1.id);
    expect(versions.map((v) => v.period)).toContain(t2.id);
    for (const period of [t1, t2]) {
      const own = versions.filter((v) => v.period === period.id);
      expect(own.length).toBeGreaterThanOrEqual(2);
      expect(own[0]!.figures.preliminary).toBe(true);
      expect(own.at(-1)!.figures.preliminary).toBe(false);
    }
  });

  it('has every stored version\'s årshjul equal to the events replayed to its moment', async () => {
    for (const v of versions) {
      const recounted = await recountFromEvents(db, { unitId, period: parseReportPeriod(v.period), asOf: v.asOf });
      expect(compareWithRecount(v.figures.completion, recounted).map(describeDifference), `${v.period} v${v.version}`).toEqual([]);
      // Not agreement over nothing: tasks of the year to date, most of them done by the moment.
      const total = recounted.reduce((sum, c) => sum + c.total, 0);
      expect(total, `${v.period} v${v.version}`).toBeGreaterThan(100);
      expect(recountedRate(recounted)!, `${v.period} v${v.version}`).toBeGreaterThan(0.5);
      expect(v.figures.completion.rate).toBeGreaterThan(0.5);
    }
  });

  it('gives "klara i tid" in every stored version as the events replayed to each task\'s last day say, not the share done', async () => {
    for (const v of versions) {
      const period = parseReportPeriod(v.period);
      const shown = v.figures.indicators.find((i) => i.id === 'control-completion')!;
      const { due, onTime } = await recountOnTimeFromEvents(db, { unitId, ...reportMonths(period), asOf: v.asOf });
      expect(due, `${v.period} v${v.version}`).toBeGreaterThan(100);
      expect(shown.value, `${v.period} v${v.version}`).toBeCloseTo(onTime / due, 12);
      // The tertial's own months, recounted the same way.
      const own = await recountOnTimeFromEvents(db, { unitId, fromMonth: period.from.slice(0, 7), toMonth: period.to.slice(0, 7), asOf: v.asOf });
      expect(shown.tertial, `${v.period} v${v.version}`).toBeCloseTo(own.onTime / own.due, 12);
    }
    // Late work is done but not in time: the demo year has some, so the two figures part.
    const last = versions.at(-1)!;
    expect(last.figures.indicators.find((i) => i.id === 'control-completion')!.value!).toBeLessThan(last.figures.completion.rate);
  });

  it('counts each version at its own moment: a version held to another moment differs', async () => {
    const [first, ...later] = versions.filter((v) => v.period === t1.id);
    const final = later.at(-1)!;
    const atFinal = await recountFromEvents(db, { unitId, period: t1, asOf: final.asOf });
    // Between the first version (inside April's analysis window) and the final one, April's tasks were done.
    const differences = compareWithRecount(first!.figures.completion, atFinal);
    expect(differences.some((d) => d.measure === 'klara')).toBe(true);
    expect(atFinal.reduce((sum, c) => sum + c.done, 0)).toBeGreaterThan(first!.figures.completion.controls.reduce((sum, c) => sum + c.done, 0));
  });

  it('`arshjul report` says a stored version agrees with the events', async () => {
    await db.close();
    try {
      const { ok, output } = await reportCommand(loadConfig({ ARSHJUL_DATA_DIR: dataDir }), { unit: unitId, period: t1.id, out: path.join(dataDir, 'ut') });
      expect(output).toContain('Samma siffror som den sparade versionen.');
      expect(output).toMatch(/Årshjulets siffror i den sparade versionen stämmer med en omräkning ur uppgifternas händelser \(\d+ klara av \d+ uppgifter\)\./);
      expect(ok).toBe(true);
    } finally {
      db = await openStore(loadConfig({ ARSHJUL_DATA_DIR: dataDir }));
    }
  }, 120_000);

  it('catches a version counted by the wrong clock, which a rebuild by the same query would repeat', async () => {
    const final = versions.filter((v) => v.period === t1.id).at(-1)!;
    // The old bug: the tasks stamped with the clock at load (the backfill's last day) while their events are back-dated.
    await db.query('UPDATE tasks SET created_at = $2::timestamptz WHERE unit_id = $1', [unitId, `${year}-09-08T10:00:00Z`]);
    const wrong = await renderReport(db, { unitId, period: t1, asOf: final.asOf, version: 9 });
    expect(wrong.figures.completion.controls).toEqual([]);
    // The events still say what was true then.
    const recounted = await recountFromEvents(db, { unitId, period: t1, asOf: final.asOf });
    expect(compareWithRecount(final.figures.completion, recounted)).toEqual([]);
    expect(compareWithRecount(wrong.figures.completion, recounted).length).toBeGreaterThan(0);

    // Stored as the demo once stored it; `arshjul report` rebuilds the same zeros but the recount disagrees.
    await storeReportVersion(db, { unitId, period: t1, version: 9, asOf: final.asOf, at: final.asOf });
    await db.close();
    try {
      const { ok, output } = await reportCommand(loadConfig({ ARSHJUL_DATA_DIR: dataDir }), { unit: unitId, period: t1.id, version: '9', out: path.join(dataDir, 'ut9') });
      expect(output).toContain('Samma siffror som den sparade versionen.');
      expect(output).toContain('ANDRA siffror för årshjulet i den sparade versionen än en omräkning ur uppgifternas händelser:');
      expect(output).toMatch(/ {2}Alla kontroller, andel klara: 0,0 % i rapporten, \d+,\d % enligt händelserna/);
      expect(output).toMatch(new RegExp(`, ${year}-0\\d, totalt: 0 i rapporten, \\d+ enligt händelserna`));
      expect(ok).toBe(false);
    } finally {
      db = await openStore(loadConfig({ ARSHJUL_DATA_DIR: dataDir }));
    }
  }, 120_000);
});
