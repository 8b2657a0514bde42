// A report's figures: every indicator for the period against its yearly target, the årshjul's
// completion per control and month, and the internal control's samples and deviations, all as the
// store was at `asOf`. Pure reads; the same inputs give the same figures.
import { stockholmDate } from '../calendar/businessDays.js';
import { controlsOf } from '../internkontroll/plan.js';
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
import { isTypedMeasure, typedMeasure, typedMeasures } from './typedFigures.js';
import type { ReportPeriod } from './period.js';

export interface IndicatorFigure {
  id: string;
  title: string;
  unit: string;
  /** Rates are shares (0–1), counts whole numbers. */
  rate: boolean;
  /** To date in a preliminary report, the period's in a final one; null: nobody entered it ("ej inrapporterat"). */
  value: number | null;
  /** A preliminary report's forecast for the whole period; target met is judged on it. */
  forecast?: number | null;
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

const rateMeasures = new Set(['controlCompletionRate', 'internalControlDeviationRate', 'casesWithWorkPlanShare']);
/**
 * Measures of the case stock: over the whole period as the store stands, an open case counts in the
 * months still to come, which is the forecast if the stock stays as it is. A rate's forecast is its value.
 */
const stockMeasures = new Set(['householdsOnAssistance', 'adultsDependentOverTenMonths', 'childrenInHouseholds']);

export async function reportFigures(db: Queryable, input: { unitId: string; period: ReportPeriod; pack: RulePack; asOf: string }): Promise<ReportFigures> {
  const { unitId, period, asOf } = input;
  const unit = await findUnit(db, unitId);
  if (!unit) throw new Error(`enheten ${unitId} finns inte i databasen`);
  // The long-term convention's month count, as the parameter stands at the period's end.
  const range = { unitId, from: period.from, to: period.to, asOf, longTermMonths: valuesOn(input.pack.parameters, period.to)['long-term-assistance-months'] };
  const asOfDate = stockholmDate(Date.parse(asOf));
  const preliminary = asOfDate < period.to;

  const controls = await completionAsOf(db, { ...range, asOfDate });
  const indicators: IndicatorFigure[] = [];
  for (const { indicator } of input.pack.indicators) {
    if (!period.periodicities.includes(indicator.periodicity)) continue;
    let value: number | null;
    let forecast: number | null | undefined;
    if (isTypedMeasure(indicator.measure)) {
      // Typed in per month: the months entered so far, and a sum scaled to the whole period.
      const typed = await typedMeasure(db, { ...range, measure: indicator.measure });
      value = typed.value;
      forecast = preliminary ? typed.forecast : undefined;
    } else {
      // The completion rate is measure()'s own computation over these same counts: not read twice.
      const whole = indicator.measure === 'controlCompletionRate' ? (hasTasks(controls) ? completionRate(controls) : null) : await measure(db, { ...range, measure: indicator.measure });
      value = preliminary && stockMeasures.has(indicator.measure) ? await measure(db, { ...range, to: asOfDate, measure: indicator.measure }) : whole;
      forecast = preliminary ? whole : undefined;
    }
    indicators.push({
      id: indicator.id, title: indicator.title, unit: indicator.unit ?? '', rate: rateMeasures.has(indicator.measure) || (isTypedMeasure(indicator.measure) && typedMeasures[indicator.measure].rate),
      value, ...(forecast !== undefined ? { forecast } : {}), target: indicator.target, meetsTarget: judged(indicator, forecast === undefined ? value : forecast),
    });
  }

  const plan = input.pack.plans.find((p) => p.plan.year === period.year)?.plan;
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

/** Samples taken in the period, their reviews and deviations as of `asOf`, corrective actions still open then. */
async function internalControlAsOf(
  db: Queryable,
  input: { unitId: string; year: number; from: string; to: string; asOf: string; titles: Map<string, string> },
): Promise<InternalControlFigure[]> {
  const rows = await controlCountsAsOf(db, input);
  return rows.map((r) => ({ ...r, title: input.titles.get(r.controlId) ?? r.controlId, deviationRate: r.reviewed ? r.deviations / r.reviewed : 0 }));
}
