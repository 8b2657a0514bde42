// The tertial and annual reports: every version kept, with the moment its figures were read, the
// figures and the documents made from them.
import type { Queryable } from './db.js';

export interface ReportRow<Figures = unknown> {
  unit_id: string;
  period: string;
  version: number;
  as_of: string;
  created_at: string;
  rule_pack: string;
  analysis: string | null;
  analysis_by: string | null;
  figures: Figures;
  html: string;
  csv: string;
  pdf: Uint8Array | null;
  pdf_error: string | null;
}

/** Stores a version; storing the same (unit, period, version) again replaces it. */
export async function saveReportVersion(db: Queryable, r: ReportRow): Promise<void> {
  await db.query(
    `INSERT INTO reports (unit_id, period, version, as_of, created_at, rule_pack, analysis, analysis_by, figures, html, csv, pdf, pdf_error)
     VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz, $6, $7, $8, $9::jsonb, $10, $11, $12, $13)
     ON CONFLICT (unit_id, period, version) DO UPDATE SET as_of = excluded.as_of, created_at = excluded.created_at, rule_pack = excluded.rule_pack,
       analysis = excluded.analysis, analysis_by = excluded.analysis_by, figures = excluded.figures, html = excluded.html, csv = excluded.csv,
       pdf = excluded.pdf, pdf_error = excluded.pdf_error`,
    [r.unit_id, r.period, r.version, r.as_of, r.created_at, r.rule_pack, r.analysis, r.analysis_by, JSON.stringify(r.figures), r.html, r.csv, r.pdf, r.pdf_error],
  );
}

export async function reportVersions<Figures>(db: Queryable, unitId: string, period: string): Promise<ReportRow<Figures>[]> {
  return db.query<ReportRow<Figures>>(
    `SELECT unit_id, period, version, as_of, created_at, rule_pack, analysis, analysis_by, figures, html, csv, pdf, pdf_error FROM reports
     WHERE unit_id = $1 AND period = $2 ORDER BY version`,
    [unitId, period],
  );
}

/** Every stored version of a unit's reports, newest first, without their documents. */
export async function reportIndex(db: Queryable, unitId: string) {
  return db.query<{ period: string; version: number; as_of: string; analysis: boolean; pdf: boolean }>(
    `SELECT period, version, as_of, analysis IS NOT NULL AS analysis, pdf IS NOT NULL AS pdf FROM reports WHERE unit_id = $1 ORDER BY period DESC, version DESC`,
    [unitId],
  );
}
