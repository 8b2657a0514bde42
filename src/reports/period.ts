// The reporting periods: T1 (January–April), T2 (May–August) and VB, the year (verksamhetsberättelse).
// Written YYYY-T1, YYYY-T2, YYYY-VB. A tertial report is written inside its tertial (the units' 2/4 and
// 2/8) with figures to date and a forecast; its final figures follow on the first business day after.
import { firstBusinessDay, stockholmTime } from '../calendar/businessDays.js';

export type ReportKind = 'T1' | 'T2' | 'VB';

export interface ReportPeriod {
  id: string;
  year: number;
  kind: ReportKind;
  title: string;
  /** First and last day. */
  from: string;
  to: string;
  /** The months its analysis task may fall in ('YYYY-MM'): the period's own after the first, and the month after it. */
  taskMonths: string[];
  /** The indicator periodicities the report holds: a tertial report the tertial ones, the year all. */
  periodicities: ('tertial' | 'year')[];
}

const shapes: Record<ReportKind, { title: string; first: number; last: number }> = {
  T1: { title: 'Tertialrapport 1', first: 1, last: 4 },
  T2: { title: 'Tertialrapport 2', first: 5, last: 8 },
  VB: { title: 'Verksamhetsberättelse', first: 1, last: 12 },
};

export class ReportPeriodError extends Error {}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

export function reportPeriod(year: number, kind: ReportKind): ReportPeriod {
  const { title, first, last } = shapes[kind];
  const next = last === 12 ? `${year + 1}-01` : `${year}-${pad(last + 1)}`;
  const taskMonths = [...Array.from({ length: last - first }, (_, i) => `${year}-${pad(first + 1 + i)}`), next];
  return {
    id: `${year}-${kind}`,
    year,
    kind,
    title: `${title} ${year}`,
    from: `${year}-${pad(first)}-01`,
    to: `${year}-${pad(last)}-${lastDay(year, last)}`,
    taskMonths,
    periodicities: kind === 'VB' ? ['tertial', 'year'] : ['tertial'],
  };
}

/** '2027-T1', '2027-T2' or '2027-VB'. */
export function parseReportPeriod(text: string): ReportPeriod {
  const match = /^(\d{4})-(T1|T2|VB)$/.exec(text);
  if (!match) throw new ReportPeriodError(`perioden "${text}" ska skrivas ÅÅÅÅ-T1, ÅÅÅÅ-T2 eller ÅÅÅÅ-VB (året), t.ex. 2027-T1`);
  return reportPeriod(Number(match[1]), match[2] as ReportKind);
}

/** The report whose analysis task is of this kind and month, e.g. T1 and 2027-05 → 2027-T1. */
export function periodOfAnalysis(kind: ReportKind, taskMonth: string): ReportPeriod {
  const year = Number(taskMonth.slice(0, 4));
  return reportPeriod(kind === 'VB' ? year - 1 : year, kind);
}

/** When the period has closed and its final figures are made: 06:30 Stockholm time on the first business day after it, after the day's sweep. */
export function reportClosesAt(period: ReportPeriod): number {
  const [year, month] = period.taskMonths.at(-1)!.split('-').map(Number) as [number, number];
  return stockholmTime(firstBusinessDay(year, month), 6, 30);
}

export const reportKinds: ReportKind[] = ['T1', 'T2', 'VB'];
