// `arshjul ik sample`: the internal control's random samples, taken once and verifiable by anyone.
import { today } from '../calendar/businessDays.js';
import { approvePlanUpdate } from '../../workflows/definitions.js';
import type { internalControl } from '../../workflows/index.js';
import { planFor } from '../internkontroll/plan.js';
import { reportCsv } from '../internkontroll/report.js';
import { csvFile } from '../reports/format.js';
import { answerReview, closeCorrective, controlStatus, type Answer } from '../internkontroll/reviews.js';
import { findControl, periodRange, takeControlSample, verifySample, type AnySample } from '../internkontroll/samples.js';
import { commandLineAddress, recordAccess } from '../accessLog/log.js';
import type { Db } from '../store/db.js';
import { workflowIds } from '../platform/workflowIds.js';
import { withClient } from './client.js';
import { refusal } from './cycle.js';
import { ConfigError, type Config } from '../platform/config.js';
import { rulesDir } from '../platform/paths.js';
import { readRulePack } from '../rules/files.js';
import { findReview } from '../store/internalControl.js';
import { withStore } from '../store/open.js';

function describe(sample: AnySample, note = ''): string {
  if (sample.subject === 'access-records') {
    return [
      `Stickprov ${sample.id}: ${sample.records.length} av ${sample.population.length} poster i åtkomstloggen (frö ${sample.seed}, ${sample.algorithm})${note}`,
      ...sample.records.map((seq) => `  nr ${seq}`),
    ].join('\n');
  }
  return [
    `Stickprov ${sample.id}: ${sample.cases.length} av ${sample.population.length} ärenden (frö ${sample.seed}, ${sample.algorithm})${note}`,
    ...sample.cases.map((id) => `  ${id}`),
  ].join('\n');
}

/** Case ids about to be printed go on record first, with the machine's account (nobody signs in here). */
async function onRecord(db: Db, sample: AnySample, caseIds: string[], query: string): Promise<void> {
  if (caseIds.length === 0) return;
  await recordAccess(db, { unitId: sample.unitId, staffId: null, view: 'sample-cli', caseIds, query, address: commandLineAddress(), at: new Date() });
}

/** Drawn cases as their ids, drawn records by their places. */
const listed = (sample: AnySample, drawn: readonly (string | number)[]): string => drawn.map((x) => (sample.subject === 'cases' ? String(x) : `nr ${x}`)).join(', ');

export async function ikSampleCommand(config: Config, values: { unit?: string; control?: string; period?: string; seed?: string; verify?: string; 'dry-run': boolean }): Promise<{ ok: boolean; output: string }> {
  return withStore(config, async (db) => {
    if (values.verify) {
      const { ok, sample, recomputed } = await verifySample(db, values.verify);
      const what = sample.subject === 'cases' ? 'ärenden' : 'poster';
      if (ok) return { ok, output: `OK: ${sample.id} dras om till samma ${sample.subject === 'cases' ? sample.cases.length : sample.records.length} ${what}.` };
      if (sample.subject === 'cases') await onRecord(db, sample, [...sample.cases, ...recomputed.map(String)], `stickprov=${sample.id}; dras om`);
      return { ok, output: `FEL: ${sample.id} dras om till andra ${what}.\n  sparat:   ${listed(sample, sample.subject === 'cases' ? sample.cases : sample.records)}\n  omräknat: ${listed(sample, recomputed)}` };
    }
    if (!values.unit || !values.control || !values.period) throw new ConfigError('ange --unit ENHET --control KONTROLL --period PERIOD (eller --verify ID)');
    const { year } = periodRange(values.period);
    const plan = planFor((await readRulePack(rulesDir)).plans, year, values.unit);
    if (!plan) throw new ConfigError(`det finns ingen internkontrollplan för ${year} för ${values.unit} (rules/internkontroll/plan-${year}.json)`);
    const { sample, existing } = await takeControlSample(db, { unitId: values.unit, plan, controlId: values.control, period: values.period, seed: values.seed, dryRun: values['dry-run'], takenOn: today() });
    const note = values['dry-run'] ? ' (provdragning, sparas inte)' : existing ? ' (redan taget)' : '';
    if (sample.subject === 'cases') await onRecord(db, sample, sample.cases, `kontroll=${sample.controlId}; period=${sample.period}${values['dry-run'] ? '; provdragning' : ''}`);
    return { ok: true, output: describe(sample, note) };
  });
}

/** `ik approve`: the unit head approves the year's plan, through the running internal-control workflow. */
export async function ikApproveCommand(config: Config, values: { unit?: string; year?: string; by?: string }): Promise<string> {
  if (!values.unit || !values.year || !values.by) throw new ConfigError('ange --unit ENHET --year ÅÅÅÅ --by ID');
  const workflowId = workflowIds.internalControl(values.unit, Number(values.year));
  return withClient(config, async (client) => {
    await client.workflow.getHandle<typeof internalControl>(workflowId).executeUpdate(approvePlanUpdate, { args: [{ by: values.by! }] }).catch(refusal);
    return `Internkontrollplanen ${values.year} för ${values.unit} är godkänd; stickproven tas enligt planen.`;
  });
}

/** `--answer ok` (for an access-log record also `befogad`), `--answer na` or `--answer "avvikelse: vad som var fel"`, one per checklist question. */
export function parseAnswers(answers: string[]): Answer[] {
  return answers.map((raw) => {
    const text = raw.trim();
    if (text === 'ok' || text === 'befogad') return { verdict: 'ok' };
    if (text === 'na') return { verdict: 'not-applicable' };
    const deviation = /^avvikelse:?\s*(.*)$/s.exec(text);
    if (deviation) return { verdict: 'deviation', note: deviation[1]! };
    throw new ConfigError(`svaret "${raw}" ska vara ok, na eller "avvikelse: anteckning"`);
  });
}

export async function ikReviewCommand(config: Config, reviewId: string | undefined, values: { answer?: string[]; by?: string }): Promise<string> {
  if (!reviewId || !values.by || !values.answer?.length) throw new ConfigError('ange granskningens id, ett --answer per fråga och --by ID');
  const { by, answer } = values;
  return withStore(config, async (db) => {
    const review = await findReview(db, reviewId);
    if (!review) throw new ConfigError(`granskningen ${reviewId} finns inte`);
    const year = Number(review.plan_year);
    const plan = planFor((await readRulePack(rulesDir)).plans, year, review.unit_id)!;
    const control = findControl(plan, review.control_id);
    const { corrective } = await answerReview(db, {
      reviewId, answers: parseAnswers(answer), by, at: new Date().toISOString(),
      checklist: control.checklist, correctiveDueBusinessDays: control.correctiveDueBusinessDays,
    });
    if (!corrective) return review.case_id === null ? 'Granskad: åtkomsten var befogad.' : 'Granskad utan avvikelse.';
    return `Granskad med avvikelse: rättelse ${corrective} till ${review.case_id === null ? 'enhetschefen' : 'ärendets socialsekreterare'}.`;
  });
}

export async function ikCorrectiveCloseCommand(config: Config, id: string | undefined, values: { by?: string; note?: string }): Promise<string> {
  if (!id || !values.by) throw new ConfigError('ange rättelsens id och --by ID');
  const by = values.by;
  return withStore(config, async (db) => {
    await closeCorrective(db, { id, by, at: new Date().toISOString(), note: values.note });
    return `Rättelsen ${id} är stängd.`;
  });
}

/** `ik status`: per control, what the compilation will say; `--csv` gives it as the report's CSV. */
export async function ikStatusCommand(config: Config, values: { unit?: string; year?: string; csv?: boolean }): Promise<string> {
  if (!values.unit || !values.year) throw new ConfigError('ange --unit ENHET --year ÅÅÅÅ');
  const year = Number(values.year);
  const plan = planFor((await readRulePack(rulesDir)).plans, year, values.unit);
  if (!plan) throw new ConfigError(`det finns ingen internkontrollplan för ${year} för ${values.unit}`);
  const unitId = values.unit;
  const csv = reportCsv(plan, await withStore(config, (db) => controlStatus(db, unitId, year, today()))).trimEnd();
  // As a file for Excel (`> status.csv`): with the byte order mark every CSV of Årshjul starts with.
  return values.csv ? csvFile(csv) : csv.split('\n').map((row) => row.split(';').join('  ')).join('\n');
}
