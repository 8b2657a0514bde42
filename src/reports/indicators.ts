// Indicators as code (rules/indicators/*.json): a named measure over the store, a periodicity and
// a yearly target. Parsed and checked with the rules; computed for a period as the store was then.
import path from 'node:path';
import indicatorSchema from '../../rules/schema/indicator.schema.json' with { type: 'json' };
import type { Located } from '../json/locate.js';
import { ajv, parseAgainst, type SourceFile } from '../json/schema.js';
import { stockholmDate } from '../calendar/businessDays.js';
import type { Queryable } from '../store/db.js';
import { completionAsOf, completionRate } from './completion.js';

export type Measure = 'householdsOnAssistance' | 'householdsDependentOverTenMonths' | 'childrenInHouseholds' | 'controlCompletionRate' | 'internalControlDeviationRate';

export interface Indicator {
  id: string;
  title: string;
  description?: string;
  measure: Measure;
  periodicity: 'tertial' | 'year';
  unit?: string;
  target: { value: number; direction: 'at-most' | 'at-least' };
}

export interface LoadedIndicator {
  indicator: Indicator;
  file: string;
}

const validateIndicator = ajv.compile<Indicator>(indicatorSchema);

export function loadIndicators(files: SourceFile[], errors: Located[]): LoadedIndicator[] {
  const indicators: LoadedIndicator[] = [];
  for (const file of files) {
    const parsed = parseAgainst(file, validateIndicator, errors);
    if (!parsed) continue;
    const { data, locate } = parsed;
    if (path.basename(file.path, '.json') !== data.id) {
      errors.push(locate.error(['id'], `id "${data.id}" stämmer inte med filnamnet: döp filen till ${data.id}.json`));
      continue;
    }
    if (indicators.some((i) => i.indicator.id === data.id)) {
      errors.push(locate.error(['id'], `nyckeltalet "${data.id}" finns redan`));
      continue;
    }
    indicators.push({ indicator: data, file: file.path });
  }
  return indicators;
}

/** The measure for a period (first and last day), as the store was at `asOf` (events carry their times). */
export async function measure(db: Queryable, input: { unitId: string; measure: Measure; from: string; to: string; asOf: string }): Promise<number> {
  const active = `c.unit_id = $1 AND c.opened_on <= $3::date AND (c.closed_on IS NULL OR c.closed_on >= $2::date)`;
  const params = [input.unitId, input.from, input.to];
  switch (input.measure) {
    case 'householdsOnAssistance':
      return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases c WHERE ${active}`, params))[0]!.n;
    case 'householdsDependentOverTenMonths':
      return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases c WHERE ${active} AND c.opened_on <= ($3::date - interval '10 months')`, params))[0]!.n;
    case 'childrenInHouseholds':
      return (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases c JOIN members m ON m.unit_id = c.unit_id AND m.case_id = c.case_id WHERE ${active} AND m.role = 'child'`, params))[0]!.n;
    case 'controlCompletionRate':
      return completionRate(await completionAsOf(db, { unitId: input.unitId, from: input.from, to: input.to, asOf: input.asOf, asOfDate: stockholmDate(Date.parse(input.asOf)) }));
    case 'internalControlDeviationRate': {
      const [row] = await db.query<{ reviewed: number; deviations: number }>(
        `SELECT count(*)::int AS reviewed, count(c.id)::int AS deviations FROM ik_reviews r LEFT JOIN ik_corrective c ON c.review_id = r.id
         WHERE r.unit_id = $1 AND r.reviewed_at::date BETWEEN $2::date AND $3::date AND r.reviewed_at <= $4::timestamptz`,
        [...params, input.asOf],
      );
      return row!.reviewed ? row!.deviations / row!.reviewed : 0;
    }
  }
}

export function meetsTarget(indicator: Indicator, value: number): boolean {
  return indicator.target.direction === 'at-most' ? value <= indicator.target.value : value >= indicator.target.value;
}
