// The analysis after each round of internal control (the plan's `"analysis": true`): once every
// review of a sample is done, a deputy head or the unit head writes what the round showed.
import type { Db } from '../store/db.js';
import { insertAnalysis, roundsForAnalysis } from '../store/internalControl.js';
import { TaskActionError } from '../tasks/lifecycle.js';
import { controlsOf, type Plan } from './plan.js';

export interface Round {
  sampleId: string;
  controlId: string;
  title: string;
  period: string;
  reviews: number;
  /** Reviews that found a deviation (each gave a corrective action). */
  deviations: number;
  analysis: { text: string; by: string; at: string } | null;
}

/** The year's finished rounds of controls that want an analysis, written or not. */
export async function finishedRounds(db: Db, unitId: string, plan: Plan): Promise<Round[]> {
  const controls = controlsOf(plan).filter((c) => c.analysis);
  const rows = await roundsForAnalysis(db, { unitId, year: plan.year, controlIds: controls.map((c) => c.id) });
  return rows.map((r) => ({
    sampleId: r.sample_id, controlId: r.control_id, title: controls.find((c) => c.id === r.control_id)!.title, period: r.period, reviews: r.reviews, deviations: r.deviations,
    analysis: r.text === null ? null : { text: r.text, by: r.written_by!, at: new Date(r.written_at!).toISOString() },
  }));
}

export async function writeAnalysis(db: Db, input: { unitId: string; plan: Plan; sampleId: string; text: string; by: string; at: string }): Promise<void> {
  const text = input.text.trim();
  if (!text) throw new TaskActionError('skriv analysen: vad omgången visade och vad enheten gör åt det');
  const round = (await finishedRounds(db, input.unitId, input.plan)).find((r) => r.sampleId === input.sampleId);
  if (!round) throw new TaskActionError('omgången finns inte, vill ingen analys eller har granskningar kvar');
  if (!(await insertAnalysis(db, { sampleId: input.sampleId, unitId: input.unitId, text, by: input.by, at: input.at }))) {
    throw new TaskActionError('analysen av omgången är redan skriven');
  }
}
