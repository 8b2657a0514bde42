// An indicator's measure for a period, computed over the store as it was at a moment (events
// carry their times, so a report made again later gives the same figures).
import { stockholmDate } from '../calendar/businessDays.js';
import { countActiveCases, workPlanShare } from '../store/cases.js';
import type { Queryable } from '../store/db.js';
import { onTimeCountsAsOf } from '../store/tasks.js';
import { reviewsWithDeviations } from '../store/internalControl.js';
import { completionAsOf, completionRate, type ControlCompletion } from './completion.js';

/** Whether any task of the period was due by the moment: a rate over none is no rate. */
export const hasTasks = (controls: ControlCompletion[]): boolean => controls.some((c) => c.months.some((m) => m.total > 0));
import type { Measure } from './indicators.js';
import { typedMeasure } from './typedFigures.js';

/** The measure for a period (first and last day), as the store was at `asOf` (events carry their times); null where there is nothing to measure. */
export async function measure(db: Queryable, input: { unitId: string; measure: Measure; from: string; to: string; asOf: string; longTermMonths?: number }): Promise<number | null> {
  const period = { unitId: input.unitId, from: input.from, to: input.to };
  switch (input.measure) {
    case 'householdsOnAssistance':
      return countActiveCases(db, { ...period, count: 'households' });
    case 'adultsDependentOverTenMonths':
      return countActiveCases(db, { ...period, count: 'adultsOverTenMonths', longTermMonths: input.longTermMonths });
    case 'casesWithWorkPlanShare': {
      const asOfDate = stockholmDate(Date.parse(input.asOf));
      return workPlanShare(db, { unitId: input.unitId, day: asOfDate < input.to ? asOfDate : input.to });
    }
    case 'childrenInHouseholds':
      return countActiveCases(db, { ...period, count: 'children' });
    case 'controlCompletionRate': {
      const controls = await completionAsOf(db, { ...period, asOf: input.asOf, asOfDate: stockholmDate(Date.parse(input.asOf)) });
      return hasTasks(controls) ? completionRate(controls) : null;
    }
    case 'controlOnTimeRate': {
      const { due, onTime } = await onTimeCountsAsOf(db, { ...period, asOf: input.asOf, asOfDate: stockholmDate(Date.parse(input.asOf)) });
      return due ? onTime / due : null;
    }
    case 'internalControlDeviationRate': {
      const { reviewed, deviations } = await reviewsWithDeviations(db, { ...period, asOf: input.asOf });
      return reviewed ? deviations / reviewed : null;
    }
    default:
      return (await typedMeasure(db, { ...period, measure: input.measure, asOf: input.asOf })).value;
  }
}
