// A report's figures: every indicator for the period against its yearly target, the årshjul's
// completion per control and month, and the internal control's samples and deviations, all as the
// store was at `asOf`. Pure reads; the same inputs give the same figures.
import { stockholmDate } from '../calendar/businessDays.js';
import { controlsOf, planFor } from '../internkontroll/plan.js';
import type { ControlStatus } from '../internkontroll/reviews.js';
import type { RulePack } from '../rules/load.js';
import { valuesOn } from '../rules/parameters.js';
import { findUnit } from '../store/cases.js';
import type { Queryable } from '../store/db.js';
import { controlCountsAsOf } from '../store/internalControl.js';
import { completionAsOf, completionRate, type ControlCompletion } from './completion.js';
import { meetsTarget, type Indicator } from './indicators.js';
import { hasTasks, measure } from './measure.js';

/** Target met, judged on the forecast where there is one; missing data judges nothing. */
const judged = (indicator: Indicator, value: number | null): boolean | null => (value === null ? null : meetsTarget(indicator, value));
import { isTypedMeasure, typedMeasure, typedMeasures, type Population } from './typedFigures.js';
import type { ReportPeriod } from './period.js';

export interface IndicatorFigure {
  id: string;
  title: string;
  unit: string;
  /** Rates are shares (0–1), counts whole numbers. */
  rate: boolean;
  /** The year to date: January to the period's end (or the report's moment); null: nobody entered it ("ej inrapporterat"). */
  value: number | null;
  /** A tertial report's figure for the tertial's own months. */
  tertial?: number | null;
  /** The full-year forecast (helårsprognos) of a tertial report, or of a VB written inside its year; target met is judged on it. */
  forecast?: number | null;
  /** What the forecast rests on, in words. */
  forecastBasis?: string;
  /** Where the city's indicator is a share: the year to date's value as a share of the population typed in for the year (null: not entered). */
  share?: { of: Population; label: string; value: number | null };
  target: Indicator['target'];
  /** null: missing data cannot meet a target, nor miss one. */
  meetsTarget: boolean | null;
}

/** A control's samples of the period and their reviews as of the report's moment (the fields of ik status). */
export type InternalControlFigure = Pick<ControlStatus, 'controlId' | 'samples' | 'sampled' | 'reviewed' | 'deviations' | 'deviationRate' | 'correctiveOpen'> & { title: string };

export interface ReportFigures {
  unitId: string;
  unitName: string;
  period: ReportPeriod;
  asOf: string;
  /** Written inside the period: figures to date and a forecast; the final figures follow when it has closed. */
  preliminary: boolean;
  indicators: IndicatorFigure[];
  completion: { rate: number; controls: ControlCompletion[] };
  internalControl: InternalControlFigure[];
}

const rateMeasures = new Set(['controlCompletionRate', 'controlOnTimeRate', 'internalControlDeviationRate', 'casesWithWorkPlanShare']);
/**
 * Measures of the case stock: over the whole period as the store stands, an open case counts in the
 * months still to come, which is the forecast if the stock stays as it is. A rate's forecast is its value.
 */
const stockMeasures = new Set(['householdsOnAssistance', 'adultsDependentOverTenMonths', 'childrenInHouseholds']);

export async function reportFigures(db: Queryable, input: { unitId: string; period: ReportPeriod; pack: RulePack; asOf: string }): Promise<ReportFigures> {
  const { unitId, period, asOf } = input;
  const unit = await findUnit(db, unitId);
  if (!unit) throw new Error(`enheten ${unitId} finns inte i databasen`);
  const asOfDate = stockholmDate(Date.parse(asOf));
  const preliminary = asOfDate < period.to;
  // The year to date (Stockholm's T2 is a delårsbokslut per 31 August): January to the period's end.
  // The long-term convention's month count, as the parameter stands at the period's end.
  const range = { unitId, from: `${period.year}-01-01`, to: period.to, asOf, longTermMonths: valuesOn(input.pack.parameters, period.to)['long-term-assistance-months'] };
  const year = { ...range, to: `${period.year}-12-31` };
  const ownTertial = period.kind === 'VB' ? undefined : { ...range, from: period.from };
  // A tertial report always forecasts the whole year; the VB only while the year is still running.
  const forecasting = period.kind !== 'VB' || preliminary;

  const controls = await completionAsOf(db, { ...range, asOfDate });
  const indicators: IndicatorFigure[] = [];
  for (const { indicator } of input.pack.indicators) {
    if (!period.periodicities.includes(indicator.periodicity)) continue;
    const toDate = async (span: typeof range): Promise<number | null> => {
      if (isTypedMeasure(indicator.measure)) return (await typedMeasure(db, { ...span, measure: indicator.measure })).value;
      // The completion rate of the year to date is measure()'s own computation over these counts: not read twice.
      if (indicator.measure === 'controlCompletionRate' && span === range) return hasTasks(controls) ? completionRate(controls) : null;
      // A stock inside its period counts the months so far.
      return measure(db, { ...span, ...(preliminary && stockMeasures.has(indicator.measure) ? { to: asOfDate } : {}), measure: indicator.measure });
    };
    const value = await toDate(range);
    const tertial = ownTertial && (await toDate(ownTertial));
    const { forecast, basis } = forecasting ? await yearForecast(db, indicator, year, value) : { forecast: undefined, basis: undefined };
    const share = indicator.shareOf && (await populationShare(db, { ...year, population: indicator.shareOf }, value));
    indicators.push({
      ...(share ? { share } : {}),
      id: indicator.id, title: indicator.title, unit: indicator.unit ?? '', rate: rateMeasures.has(indicator.measure) || (isTypedMeasure(indicator.measure) && typedMeasures[indicator.measure].rate),
      value, ...(tertial !== undefined ? { tertial } : {}), ...(forecast !== undefined ? { forecast, forecastBasis: basis } : {}),
      target: indicator.target, meetsTarget: judged(indicator, forecast === undefined ? value : forecast),
    });
  }

  const plan = planFor(input.pack.plans, period.year, unitId);
  return {
    unitId,
    unitName: unit.name,
    period,
    asOf,
    preliminary,
    indicators,
    completion: { rate: completionRate(controls), controls },
    internalControl: plan ? await internalControlAsOf(db, { ...range, year: period.year, titles: new Map(controlsOf(plan).map((c) => [c.id, c.title])) }) : [],
  };
}

/** A count as a share of the year's population as the unit head typed it in, as it stood at the report's moment. */
async function populationShare(db: Queryable, input: { unitId: string; from: string; to: string; asOf: string; population: Population }, value: number | null): Promise<NonNullable<IndicatorFigure['share']>> {
  const { value: population } = await typedMeasure(db, { ...input, measure: input.population });
  const label = typedMeasures[input.population].label;
  return { of: input.population, label, value: value === null || !population ? null : value / population };
}

/**
 * The full-year forecast (helårsprognos) and what it rests on: a stock counted over the whole year as
 * it stands (open cases in the months to come); a typed-in sum scaled from the months entered to
 * twelve; a latest count or an average as it is; a rate as it is so far.
 */
async function yearForecast(db: Queryable, indicator: Indicator, year: { unitId: string; from: string; to: string; asOf: string; longTermMonths?: number }, value: number | null): Promise<{ forecast: number | null; basis: string }> {
  if (isTypedMeasure(indicator.measure)) {
    const typed = await typedMeasure(db, { ...year, measure: indicator.measure });
    const how = { sum: 'de inskrivna månaderna uppräknade till tolv', latest: 'den senast inskrivna månaden', average: 'genomsnittet av de inskrivna månaderna' }[typedMeasures[indicator.measure].combine];
    return { forecast: typed.forecast, basis: typed.forecast === null ? 'inget inskrivet' : how };
  }
  if (stockMeasures.has(indicator.measure)) return { forecast: await measure(db, { ...year, measure: indicator.measure }), basis: 'ärendena som de är nu, räknade året ut' };
  return { forecast: value, basis: 'andelen hittills i år' };
}

/** Samples taken in the period, their reviews and deviations as of `asOf`, corrective actions still open then. */
async function internalControlAsOf(
  db: Queryable,
  input: { unitId: string; year: number; from: string; to: string; asOf: string; titles: Map<string, string> },
): Promise<InternalControlFigure[]> {
  const rows = await controlCountsAsOf(db, input);
  return rows.map((r) => ({ ...r, title: input.titles.get(r.controlId) ?? r.controlId, deviationRate: r.reviewed ? r.deviations / r.reviewed : 0 }));
}
