// Typed-in figures of a unit, appended only: the value of a measure and month is its latest row as
// of a moment, so a report made again later reads what stood then.
import type { Queryable } from './db.js';

export interface UnitFigure {
  measure: string;
  month: string;
  value: number;
  entered_by: string;
  entered_at: string;
}

export async function enterFigure(db: Queryable, input: { unitId: string; measure: string; month: string; value: number; by: string; at: string }): Promise<void> {
  await db.query(
    'INSERT INTO unit_figures (unit_id, measure, month, value, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [input.unitId, input.measure, input.month, input.value, input.by, input.at],
  );
}

/** Each measure's and month's standing value in the months from `from` to `to` ('YYYY-MM'), as of `asOf`. */
export async function figuresAsOf(db: Queryable, input: { unitId: string; from: string; to: string; asOf: string; measure?: string }): Promise<UnitFigure[]> {
  const rows = await db.query<Omit<UnitFigure, 'value'> & { value: string }>(
    `SELECT DISTINCT ON (measure, month) measure, month, value::text, entered_by, entered_at
     FROM unit_figures
     WHERE unit_id = $1 AND month BETWEEN $2 AND $3 AND entered_at <= $4::timestamptz AND ($5::text IS NULL OR measure = $5)
     ORDER BY measure, month, entered_at DESC, id DESC`,
    [input.unitId, input.from, input.to, input.asOf, input.measure ?? null],
  );
  return rows.map((r) => ({ ...r, value: Number(r.value), entered_at: new Date(r.entered_at).toISOString() }));
}
