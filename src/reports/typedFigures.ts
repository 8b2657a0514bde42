// The measures a unit types in (src/web/figuresView.ts), and how a period's value is made of its
// months: complaints are summed, non-executed decisions are the latest month's
// count (the quarterly report's), sick leave is the average of the months' rates.
import { monthRange } from '../calendar/months.js';
import type { Queryable } from '../store/db.js';
import { figuresAsOf } from '../store/unitFigures.js';

export const typedMeasures = {
  complaintsAboutTreatment: { label: 'Klagomål på bemötande', unit: 'st', combine: 'sum', rate: false },
  nonExecutedDecisions: { label: 'Ej verkställda beslut', unit: 'st', combine: 'latest', rate: false },
  sickLeaveRate: { label: 'Sjukfrånvaro', unit: '%', combine: 'average', rate: true },
  // The population the city's shares are of (VP 2015 FSE), entered once a year; the latest month's stands.
  residents: { label: 'Invånare i stadsdelen', unit: 'personer', combine: 'latest', rate: false },
  adultResidents: { label: 'Vuxna invånare (18 år och äldre)', unit: 'personer', combine: 'latest', rate: false },
  childResidents: { label: 'Barn i stadsdelen (under 18 år)', unit: 'barn', combine: 'latest', rate: false },
} as const;

/** The population figures an indicator can be a share of. */
export type Population = 'residents' | 'adultResidents' | 'childResidents';

export type TypedMeasure = keyof typeof typedMeasures;

export const isTypedMeasure = (measure: string): measure is TypedMeasure => measure in typedMeasures;

/**
 * A typed measure over a period (first and last day) as the figures stood at `asOf`, and a forecast
 * for the whole period: a sum scaled from the months entered to all the period's months, else the value.
 */
export async function typedMeasure(db: Queryable, input: { unitId: string; measure: TypedMeasure; from: string; to: string; asOf: string }): Promise<{ value: number | null; forecast: number | null }> {
  const months = monthRange(input.from.slice(0, 7), input.to.slice(0, 7));
  const rows = await figuresAsOf(db, { unitId: input.unitId, from: months[0]!, to: months.at(-1)!, asOf: input.asOf, measure: input.measure });
  // Nobody entered a value: missing ("ej inrapporterat"), never 0.
  if (rows.length === 0) return { value: null, forecast: null };
  const values = rows.map((r) => r.value);
  switch (typedMeasures[input.measure].combine) {
    case 'sum': {
      const sum = values.reduce((a, b) => a + b, 0);
      return { value: sum, forecast: Math.round((sum * months.length) / rows.length) };
    }
    case 'latest':
      return { value: values.at(-1)!, forecast: values.at(-1)! };
    case 'average': {
      const average = values.reduce((a, b) => a + b, 0) / values.length;
      return { value: average, forecast: average };
    }
  }
}
