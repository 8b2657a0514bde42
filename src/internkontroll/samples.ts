// Samples in the store: the population of a control's period, drawn once and kept; verified by
// drawing again from what was kept.
import { randomBytes } from 'node:crypto';
import { lastDayOfMonth } from '../calendar/months.js';
import { activeCasesWithCaseworker, closedCasesWithCaseworker } from '../store/cases.js';
import type { Queryable } from '../store/db.js';
import { casesSampledInYear, findSample, insertSample } from '../store/internalControl.js';
import { casesWithTasksOf } from '../store/tasks.js';
import { TaskActionError } from '../tasks/lifecycle.js';
import { controlsOf, type Control, type Plan, type SampleSize } from './plan.js';
import { createReviews } from './reviews.js';
import { drawSample, sampleAlgorithm, type Member } from './sample.js';

export interface StoredSample {
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

/** Takes the control's sample for the period, or returns the one already taken: a sample is never drawn twice. */
export async function takeSample(
  db: Queryable,
  input: { unitId: string; plan: Plan; controlId: string; period: string; seed?: string; dryRun?: boolean; takenOn: string; takenAt?: string },
): Promise<{ sample: StoredSample; existing: boolean }> {
  const control = findControl(input.plan, input.controlId);
  const id = sampleId(input.unitId, control.id, input.period);
  const existing = await readSample(db, id);
  if (existing && !input.dryRun) {
    if (input.seed && input.seed !== existing.seed) throw new TaskActionError(`stickprovet ${id} är redan taget med ett annat frö; ett stickprov dras aldrig om`);
    return { sample: existing, existing: true };
  }
  const { year } = periodRange(input.period);
  const members = await population(db, input.unitId, control, input.period);
  const excluded = await casesSampledInYear(db, input.unitId, control.id, year);
  const seed = input.seed ?? randomBytes(12).toString('hex');
  const drawn: Omit<StoredSample, 'cases'> = {
    id, unitId: input.unitId, controlId: control.id, period: input.period, seed, algorithm: sampleAlgorithm,
    method: control.method, size: control.sampleSize ?? null, stratify: control.stratify ?? null, population: members, excluded,
  };
  const sample: StoredSample = { ...drawn, cases: draw(drawn) };
  if (!input.dryRun) {
    await insertSample(db, { ...sample, year, takenAt: input.takenAt });
    await createReviews(db, sample, control, input.takenOn);
  }
  return { sample, existing: false };
}

/** The cases of a sample from what it keeps: all of a population check, else the seeded draw. */
function draw(sample: Omit<StoredSample, 'cases'>): string[] {
  if (sample.method === 'population') return sample.population.map((m) => m.caseId);
  return drawSample({ population: sample.population, size: sample.size!, stratify: sample.stratify ?? undefined, seed: sample.seed, exclude: sample.excluded });
}

export async function readSample(db: Queryable, id: string): Promise<StoredSample | undefined> {
  const row = await findSample<Control['method'], SampleSize, Member>(db, id);
  return (
    row && {
      id: row.id, unitId: row.unit_id, controlId: row.control_id, period: row.period, seed: row.seed, algorithm: row.algorithm,
      method: row.method, size: row.size, stratify: row.stratify, population: row.population, excluded: row.excluded, cases: row.cases,
    }
  );
}

/** Draws the stored sample again from its seed, population and exclusions: the same cases, or a difference. */
export async function verifySample(db: Queryable, id: string): Promise<{ ok: boolean; sample: StoredSample; recomputed: string[] }> {
  const sample = await readSample(db, id);
  if (!sample) throw new TaskActionError(`stickprovet ${id} finns inte`);
  if (sample.algorithm !== sampleAlgorithm) throw new TaskActionError(`stickprovet drogs med ${sample.algorithm}; den här versionen av Årshjul har ${sampleAlgorithm}`);
  const recomputed = draw(sample);
  return { ok: JSON.stringify(recomputed) === JSON.stringify(sample.cases), sample, recomputed };
}
