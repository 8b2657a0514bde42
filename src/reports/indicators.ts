// Indicators as code (rules/indicators/*.json): a named measure over the store, a periodicity and
// a yearly target. Parsed and checked with the rules here; measured in measure.ts.
import path from 'node:path';
import indicatorSchema from '../../rules/schema/indicator.schema.json' with { type: 'json' };
import type { Located } from '../json/locate.js';
import type { Population, TypedMeasure } from './typedFigures.js';
import { ajv, parseAgainst, type SourceFile } from '../json/schema.js';
import { checkReference } from '../rules/sources.js';

export type Measure =
  | 'householdsOnAssistance' | 'adultsDependentOverTenMonths' | 'childrenInHouseholds' | 'casesWithWorkPlanShare' | 'controlCompletionRate' | 'controlOnTimeRate' | 'internalControlDeviationRate' | TypedMeasure;

export interface Indicator {
  id: string;
  title: string;
  /** Where the indicator comes from. */
  reference: string[];
  description?: string;
  measure: Measure;
  periodicity: 'tertial' | 'year';
  unit?: string;
  target: { value: number; direction: 'at-most' | 'at-least' };
  /** Where the city's indicator is a share of the population: the typed-in population it is a share of. */
  shareOf?: Population;
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
    checkReference(data.reference, ['reference'], locate, errors);
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

export function meetsTarget(indicator: Indicator, value: number): boolean {
  return indicator.target.direction === 'at-most' ? value <= indicator.target.value : value >= indicator.target.value;
}
