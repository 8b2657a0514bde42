// Samples in the store: the population of a control's period, drawn once and kept; verified by
// drawing again from what was kept. A control samples cases, or the access log's records of the
// period (loggkontroll): the same generator, seed and keeping, over the records' places.
import { randomBytes } from 'node:crypto';
import { dayBound } from '../accessLog/present.js';
import { lastDayOfMonth } from '../calendar/months.js';
import { placesWithCases } from '../store/accessLog.js';
import { activeCasesWithCaseworker, closedCasesWithCaseworker } from '../store/cases.js';
import type { Queryable } from '../store/db.js';
import { casesSampledInYear, findSample, insertSample } from '../store/internalControl.js';
import { casesWithTasksOf } from '../store/tasks.js';
import { TaskActionError } from '../tasks/lifecycle.js';
import { controlsOf, samplesRecords, type Control, type Plan, type SampleSize } from './plan.js';
import { createRecordReviews, createReviews } from './reviews.js';
import { drawRecords, drawSample, sampleAlgorithm, type Member } from './sample.js';

/** A sample of cases. */
export interface StoredSample {
  subject: 'cases';
  id: string;
  unitId: string;
  controlId: string;
  period: string;
  seed: string;
  algorithm: string;
  method: Control['method'];
  size: SampleSize | null;
  stratify: 'caseworker' | null;
  population: Member[];
  excluded: string[];
  cases: string[];
}

/** A sample of the access log's records: the period's places that showed cases, and those drawn. */
export interface StoredRecordSample {
  subject: 'access-records';
  id: string;
  unitId: string;
  controlId: string;
  period: string;
  seed: string;
  algorithm: string;
  method: Control['method'];
  size: SampleSize;
  population: number[];
  records: number[];
}

export type AnySample = StoredSample | StoredRecordSample;

const periodPattern = /^(\d{4})(?:-(0[1-9]|1[0-2])|-T([1-3]))?$/;

/** A control's period: a month (2027-03), a tertial (2027-T1) or a year (2027), as first and last day. */
export function periodRange(period: string): { from: string; to: string; year: number } {
  const match = periodPattern.exec(period);
  if (!match) throw new TaskActionError(`perioden "${period}" ska vara ÅÅÅÅ-MM, ÅÅÅÅ-T1..T3 eller ÅÅÅÅ`);
  const year = match[1]!;
  if (match[2]) return { from: `${year}-${match[2]}-01`, to: lastDayOfMonth(`${year}-${match[2]}`), year: Number(year) };
  if (match[3]) {
    const first = (Number(match[3]) - 1) * 4 + 1;
    const last = `${year}-${String(first + 3).padStart(2, '0')}`;
    return { from: `${year}-${String(first).padStart(2, '0')}-01`, to: lastDayOfMonth(last), year: Number(year) };
  }
  return { from: `${year}-01-01`, to: `${year}-12-31`, year: Number(year) };
}

/** Cases active in the period, or closed in it (after-checks); for a review of an årshjul control, the cases that had its task. */
export async function population(db: Queryable, unitId: string, control: Control, period: string): Promise<Member[]> {
  const { from, to } = periodRange(period);
  if (control.method === 'round-review') return casesWithTasksOf(db, unitId, control.ruleId!, from.slice(0, 7), to.slice(0, 7));
  if (control.population === 'closed') return closedCasesWithCaseworker(db, unitId, from, to);
  if (control.population === 'closed-young-adults') return closedCasesWithCaseworker(db, unitId, from, to, control.ages);
  return activeCasesWithCaseworker(db, unitId, from, to);
}

export function findControl(plan: Plan, controlId: string): Control {
  const control = controlsOf(plan).find((c) => c.id === controlId);
  if (!control) throw new TaskActionError(`kontrollen "${controlId}" finns inte i ${plan.title}: välj en av ${controlsOf(plan).map((c) => c.id).join(', ')}`);
  return control;
}

function sampleId(unitId: string, controlId: string, period: string): string {
  return `${unitId}:${controlId}:${period}`;
}

export interface SampleInput {
  unitId: string;
  plan: Plan;
  controlId: string;
  period: string;
  seed?: string;
  dryRun?: boolean;
  takenOn: string;
  takenAt?: string;
}

/** The sample already taken for the control's period, if any; a sample is never drawn twice, nor with another seed. */
async function taken(db: Queryable, id: string, input: SampleInput): Promise<AnySample | undefined> {
  const existing = await readSample(db, id);
  if (!existing || input.dryRun) return undefined;
  if (input.seed && input.seed !== existing.seed) throw new TaskActionError(`stickprovet ${id} är redan taget med ett annat frö; ett stickprov dras aldrig om`);
  return existing;
}

/** Takes the control's sample for the period, of cases or of the access log's records as the control says. */
export async function takeControlSample(db: Queryable, input: SampleInput): Promise<{ sample: AnySample; existing: boolean }> {
  return samplesRecords(findControl(input.plan, input.controlId)) ? takeRecordSample(db, input) : takeSample(db, input);
}

/** Takes a control's sample of cases for the period, or returns the one already taken: a sample is never drawn twice. */
export async function takeSample(db: Queryable, input: SampleInput): Promise<{ sample: StoredSample; existing: boolean }> {
  const control = findControl(input.plan, input.controlId);
  if (samplesRecords(control)) throw new TaskActionError(`kontrollen ${control.id} granskar åtkomstloggens poster, inte ärenden`);
  const id = sampleId(input.unitId, control.id, input.period);
  const existing = await taken(db, id, input);
  if (existing) {
    if (existing.subject !== 'cases') throw new TaskActionError(`stickprovet ${id} är av åtkomstloggens poster`);
    return { sample: existing, existing: true };
  }
  const { year } = periodRange(input.period);
  const members = await population(db, input.unitId, control, input.period);
  const excluded = await casesSampledInYear(db, input.unitId, control.id, year);
  const seed = input.seed ?? randomBytes(12).toString('hex');
  const drawn: Omit<StoredSample, 'cases'> = {
    subject: 'cases', id, unitId: input.unitId, controlId: control.id, period: input.period, seed, algorithm: sampleAlgorithm,
    method: control.method, size: control.sampleSize ?? null, stratify: control.stratify ?? null, population: members, excluded,
  };
  const sample: StoredSample = { ...drawn, cases: draw(drawn) };
  if (!input.dryRun) {
    await insertSample(db, { ...sample, records: [], year, takenAt: input.takenAt });
    await createReviews(db, sample, control, input.takenOn);
  }
  return { sample, existing: false };
}

/** The places of the access log's records of the period (Stockholm's days) that showed cases. */
export async function recordPopulation(db: Queryable, unitId: string, period: string): Promise<number[]> {
  const { from, to } = periodRange(period);
  return placesWithCases(db, unitId, dayBound(from, false)!, dayBound(to, true)!);
}

/**
 * Takes a control's sample of the access log's records for the period (once, like every sample):
 * the records that showed cases, each reviewed by someone other than the person who made it.
 */
export async function takeRecordSample(db: Queryable, input: SampleInput): Promise<{ sample: StoredRecordSample; existing: boolean }> {
  const control = findControl(input.plan, input.controlId);
  if (!samplesRecords(control)) throw new TaskActionError(`kontrollen ${control.id} granskar ärenden, inte åtkomstloggens poster`);
  const id = sampleId(input.unitId, control.id, input.period);
  const existing = await taken(db, id, input);
  if (existing) {
    if (existing.subject !== 'access-records') throw new TaskActionError(`stickprovet ${id} är av ärenden`);
    return { sample: existing, existing: true };
  }
  const { year } = periodRange(input.period);
  const population = await recordPopulation(db, input.unitId, input.period);
  const seed = input.seed ?? randomBytes(12).toString('hex');
  const size = control.sampleSize!;
  const sample: StoredRecordSample = {
    subject: 'access-records', id, unitId: input.unitId, controlId: control.id, period: input.period, seed, algorithm: sampleAlgorithm,
    method: control.method, size, population, records: drawRecords({ population, size, seed }),
  };
  if (!input.dryRun) {
    await insertSample(db, { ...sample, stratify: null, excluded: [], cases: [], year, takenAt: input.takenAt });
    await createRecordReviews(db, sample, control, input.takenOn);
  }
  return { sample, existing: false };
}

/** The cases of a sample from what it keeps: all of a population check, else the seeded draw. */
function draw(sample: Omit<StoredSample, 'cases'>): string[] {
  if (sample.method === 'population') return sample.population.map((m) => m.caseId);
  return drawSample({ population: sample.population, size: sample.size!, stratify: sample.stratify ?? undefined, seed: sample.seed, exclude: sample.excluded });
}

export async function readSample(db: Queryable, id: string): Promise<AnySample | undefined> {
  const row = await findSample<Control['method'], SampleSize, unknown>(db, id);
  if (!row) return undefined;
  const common = { id: row.id, unitId: row.unit_id, controlId: row.control_id, period: row.period, seed: row.seed, algorithm: row.algorithm, method: row.method };
  // A record sample keeps its records' places where a case sample keeps its members.
  if (row.subject === 'access-records') return { ...common, subject: row.subject, size: row.size!, population: row.population as number[], records: row.records };
  return { ...common, subject: 'cases', size: row.size, stratify: row.stratify, population: row.population as Member[], excluded: row.excluded, cases: row.cases };
}

/** Draws the stored sample again from its seed, population and exclusions: the same cases (or records), or a difference. */
export async function verifySample(db: Queryable, id: string): Promise<{ ok: boolean; sample: AnySample; recomputed: string[] | number[] }> {
  const sample = await readSample(db, id);
  if (!sample) throw new TaskActionError(`stickprovet ${id} finns inte`);
  if (sample.algorithm !== sampleAlgorithm) throw new TaskActionError(`stickprovet drogs med ${sample.algorithm}; den här versionen av Årshjul har ${sampleAlgorithm}`);
  const [kept, recomputed] = sample.subject === 'cases'
    ? [sample.cases, draw(sample)]
    : [sample.records, drawRecords({ population: sample.population, size: sample.size, seed: sample.seed })];
  return { ok: JSON.stringify(recomputed) === JSON.stringify(kept), sample, recomputed };
}
