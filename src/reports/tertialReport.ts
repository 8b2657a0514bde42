// The tertial report's steps over the store: the unit head's analysis task, the analysis text (the
// note the task was completed with, as of a moment), and each stored version with its figures,
// HTML, CSV and PDF. The workflow (workflows/tertialReport.ts) only decides when.
import { plan, type PlannedTask } from '../planner/plan.js';
import type { RulePack } from '../rules/load.js';
import { readCaseFileFromStore } from '../store/cases.js';
import type { Db, Queryable } from '../store/db.js';
import { reportVersions, saveReportVersion } from '../store/reports.js';
import { packAt } from '../store/rulePacks.js';
import { insertTasks, lastClosingEvent } from '../store/tasks.js';
import { reportFigures, type ReportFigures } from './figures.js';
import type { ReportPeriod } from './period.js';
import { ChromiumMissingError, htmlToPdf } from './pdf.js';
import { reportCsv, reportHtml } from './render.js';

export class ReportError extends Error {}

export interface Analysis {
  text: string;
  by: string;
  at: string;
}

/**
 * The unit head's analysis task of a report, as the pack plans it: the rule with `"report"` of the
 * report's kind, its last task from the period's second month to the month after the period (a
 * tertial's falls inside it, 2/4 and 2/8; the annual report's in January after the year).
 */
export async function analysisTaskOf(db: Queryable, input: { unitId: string; period: ReportPeriod; pack: RulePack }): Promise<PlannedTask> {
  const rules = input.pack.rules.filter((r) => r.rule.report === input.period.kind);
  if (rules.length === 0) throw new ReportError(`ingen regel i regelpaketet har "report": "${input.period.kind}": lägg till fältet i analysuppgiftens regel under rules/ledning/`);
  const caseFile = await readCaseFileFromStore(db, input.unitId, { afterCaseId: null, limit: 1 });
  const months = input.period.taskMonths;
  const tasks = plan({ caseFile, pack: { ...input.pack, rules }, from: months[0]!, to: months.at(-1)! }).filter((t) => t.caseId === null);
  const task = tasks.at(-1);
  if (!task) throw new ReportError(`regeln ${rules[0]!.rule.id} ger ingen uppgift ${months[0]}–${months.at(-1)}: rapportens analysuppgift ska ligga i perioden eller månaden efter`);
  return task;
}

/** Makes sure the analysis task exists (the day's sweep normally made it already). */
export async function openAnalysisTask(db: Db, input: { unitId: string; period: ReportPeriod; pack: RulePack; at: string }): Promise<string> {
  const task = await analysisTaskOf(db, input);
  await db.transaction((tx) => insertTasks(tx, [task], input.at));
  return task.taskId;
}

/** The analysis: the note of the task's last completion, if that completion still stood at `asOf`. */
export async function analysisAsOf(db: Queryable, input: { taskId: string; asOf: string }): Promise<Analysis | undefined> {
  const last = await lastClosingEvent(db, input.taskId, input.asOf);
  if (!last || !['completed', 'signed-off'].includes(last.kind) || !last.note) return undefined;
  return { text: last.note, by: last.actor ?? '', at: new Date(last.at).toISOString() };
}

export interface StoredReport {
  unitId: string;
  period: string;
  version: number;
  asOf: string;
  createdAt: string;
  rulePack: string;
  analysis: string | null;
  figures: ReportFigures;
  html: string;
  csv: string;
  pdf: Uint8Array | null;
  pdfError: string | null;
}

/** The documents of one version, made from the store as it was at `asOf`; the PDF is left out, with the reason, when Chromium cannot make it. */
export async function renderReport(db: Queryable, input: { unitId: string; period: ReportPeriod; asOf: string; version: number; analysis?: string }) {
  const pack = await packAt(db, input.asOf);
  const figures = await reportFigures(db, { unitId: input.unitId, period: input.period, pack, asOf: input.asOf });
  const html = reportHtml(figures, { analysis: input.analysis, version: input.version });
  let pdf: Uint8Array | null = null;
  let pdfError: string | null = null;
  try {
    pdf = await htmlToPdf(html);
  } catch (error) {
    pdfError = error instanceof ChromiumMissingError ? error.message : `Chromium kunde inte skriva ut rapporten: ${(error as Error).message.split('\n')[0]}`;
  }
  return { rulePack: pack.hash, figures, html, csv: reportCsv(figures), pdf, pdfError };
}

/** Stores a version; the workflow numbers them, so a retried activity writes the same row again. */
export async function storeReportVersion(
  db: Db,
  input: { unitId: string; period: ReportPeriod; version: number; asOf: string; at: string; analysis?: Analysis },
): Promise<{ pdfError: string | null }> {
  const r = await renderReport(db, { ...input, analysis: input.analysis?.text });
  await saveReportVersion(db, {
    unit_id: input.unitId, period: input.period.id, version: input.version, as_of: input.asOf, created_at: input.at, rule_pack: r.rulePack,
    analysis: input.analysis?.text ?? null, analysis_by: input.analysis?.by ?? null, figures: r.figures, html: r.html, csv: r.csv, pdf: r.pdf, pdf_error: r.pdfError,
  });
  return { pdfError: r.pdfError };
}

export async function storedReports(db: Queryable, unitId: string, period: string): Promise<StoredReport[]> {
  const rows = await reportVersions<ReportFigures>(db, unitId, period);
  return rows.map((r) => ({
    unitId: r.unit_id, period: r.period, version: r.version,
    asOf: new Date(r.as_of).toISOString(), createdAt: new Date(r.created_at).toISOString(),
    rulePack: r.rule_pack, analysis: r.analysis, figures: r.figures,
    html: r.html, csv: r.csv, pdf: r.pdf ?? null, pdfError: r.pdf_error,
  }));
}
