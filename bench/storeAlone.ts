// The national benchmark's yardstick: the same morning's sweep done by the store alone, with no
// Temporal, in this process: every unit's chunks, the closed cases' cancellations and the rounds'
// steps, the very functions the sweep's activities call. What the sweep costs above this is Temporal's.
import type { CaseFile } from '../src/cases/caseFile.js';
import { stockholmIso } from '../src/calendar/businessDays.js';
import { SWEEP_HOUR } from '../src/calendar/dailyHours.js';
import { takeSteps, type StepCounts } from '../src/cycle/steps.js';
import { cancelTasksOfClosedCases, sweepChunk } from '../src/cycle/sweep.js';
import { rulesDir } from '../src/platform/paths.js';
import { readRuleFiles } from '../src/rules/files.js';
import type { RulePack } from '../src/rules/load.js';
import { importCaseFile } from '../src/store/cases.js';
import { openPostgres, type Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { usablePack } from '../src/store/rulePacks.js';

/**
 * As many units at once as one worker runs activities, on as many connections: the defaults of
 * ARSHJUL_WORKER_ACTIVITIES and ARSHJUL_DB_POOL (src/platform/config.ts), 10 each.
 */
export const unitsAtOnce = 10;

/** Cases per chunk, as the sweep workflow's default. */
const chunkSize = 1000;

export interface StoreAlone {
  seconds: number;
  created: number;
  steps: StepCounts;
  /** This process's CPU seconds during the sweep (the planning and the store's client). */
  cpuSeconds: number;
  /** This process's peak RSS so far (the units generated and imported included). */
  peakMb: number;
}

/** A database of its own on the cluster's PostgreSQL, migrated, with the units imported and analysed. */
export async function freshStore(clusterDatabaseUrl: string, name: string, units: CaseFile[]): Promise<Db> {
  const admin = openPostgres(clusterDatabaseUrl.replace(/\/arshjul$/, '/postgres'));
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.close();
  const db = openPostgres(clusterDatabaseUrl.replace(/\/arshjul$/, `/${name}`), unitsAtOnce);
  await migrate(db);
  for (const unit of units) await importCaseFile(db, unit, { fileName: 'bench', fileHash: unit.unit.id, importedBy: 'bench', full: false, exportDate: '2027-04-30' });
  await db.exec('ANALYZE');
  return db;
}

/** Adds one unit's step counts into a total, and returns the total. */
export function addSteps(into: StepCounts, steps: StepCounts): StepCounts {
  for (const [kind, n] of Object.entries(steps) as [keyof StepCounts, number][]) into[kind] = (into[kind] ?? 0) + n;
  return into;
}

/** Runs `work` for every item, at most `n` at a time. */
async function atMost<T>(n: number, items: T[], work: (item: T) => Promise<void>): Promise<void> {
  const pending = [...items];
  const next = async () => {
    for (let item = pending.shift(); item !== undefined; item = pending.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(n, pending.length) }, next));
}

/** One unit's sweep as the workflow does it: keyset chunks, then cancellations, then the steps. */
async function sweepUnit(db: Db, pack: RulePack, unitId: string, date: string, at: string): Promise<{ created: number; steps: StepCounts }> {
  let created = 0;
  let afterCaseId: string | null = null;
  do {
    const chunk = await sweepChunk(db, { unitId, date, pack, afterCaseId, limit: chunkSize, at });
    created += chunk.created;
    afterCaseId = chunk.lastCaseId;
  } while (afterCaseId !== null);
  await cancelTasksOfClosedCases(db, unitId, date);
  return { created, steps: await takeSteps(db, { unitId, date, at }) };
}

export async function storeAloneMorning(input: { clusterDatabaseUrl: string; units: CaseFile[]; date: string }): Promise<StoreAlone> {
  const db = await freshStore(input.clusterDatabaseUrl, 'national_alone', input.units);
  try {
    // The pack as the sweep's activities get it: read, parsed and recorded (the steps read each rule's version back).
    const { pack } = await usablePack(db, await readRuleFiles(rulesDir));
    const at = stockholmIso(input.date, SWEEP_HOUR);
    const steps: StepCounts = {};
    let created = 0;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    await atMost(unitsAtOnce, input.units, async (unit) => {
      const done = await sweepUnit(db, pack, unit.unit.id, input.date, at);
      created += done.created;
      addSteps(steps, done.steps);
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    return { seconds, created, steps, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await db.close();
  }
}
