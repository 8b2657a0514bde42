// Swedish business days: Monday–Friday except public holidays (lag 1989:253) and the days lag
// (1930:173) treats like holidays for deadlines (midsommarafton, julafton, nyårsafton). The
// holidays come from date-holidays (its types `public` and `bank` are exactly those days); dates
// are ISO strings (YYYY-MM-DD) in Europe/Stockholm throughout.
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

export const zone = 'Europe/Stockholm';

export interface NonWorkingDay {
  date: string;
  name: string;
}

interface Year {
  /** Holidays and deadline-free days on Monday–Friday, sorted. */
  nonWorkingWeekdays: NonWorkingDay[];
  closed: Set<string>;
  /** Per month (1–12): first and last business day. */
  firstBusinessDay: string[];
  lastBusinessDay: string[];
}

const holidays = new Holidays('SE', { types: ['public', 'bank'] });
const years = new Map<number, Year>();

function day(date: string): DateTime {
  return DateTime.fromISO(date, { zone });
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function year(y: number): Year {
  let cached = years.get(y);
  if (cached) return cached;
  const nonWorkingWeekdays: NonWorkingDay[] = [];
  const seen = new Set<string>();
  for (const holiday of holidays.getHolidays(y)) {
    const date = holiday.date.slice(0, 10);
    if (seen.has(date) || day(date).weekday > 5) continue;
    seen.add(date);
    nonWorkingWeekdays.push({ date, name: capitalize(holiday.name) });
  }
  nonWorkingWeekdays.sort((a, b) => a.date.localeCompare(b.date));
  const closed = new Set(nonWorkingWeekdays.map((d) => d.date));
  const isOpen = (d: DateTime) => d.weekday <= 5 && !closed.has(d.toISODate()!);
  const firstBusinessDay: string[] = [];
  const lastBusinessDay: string[] = [];
  for (let month = 1; month <= 12; month++) {
    let first = DateTime.fromObject({ year: y, month, day: 1 }, { zone });
    while (!isOpen(first)) first = first.plus({ days: 1 });
    let last = first.endOf('month').startOf('day');
    while (!isOpen(last)) last = last.minus({ days: 1 });
    firstBusinessDay[month] = first.toISODate()!;
    lastBusinessDay[month] = last.toISODate()!;
  }
  cached = { nonWorkingWeekdays, closed, firstBusinessDay, lastBusinessDay };
  years.set(y, cached);
  return cached;
}

/** The contract's calendar: holidays and deadline-free days that fall on Monday–Friday. */
export function nonWorkingDays(y: number): NonWorkingDay[] {
  return year(y).nonWorkingWeekdays;
}

export function isBusinessDay(date: string): boolean {
  return day(date).weekday <= 5 && !year(Number(date.slice(0, 4))).closed.has(date);
}

export function firstBusinessDay(y: number, month: number): string {
  return year(y).firstBusinessDay[month]!;
}

export function lastBusinessDay(y: number, month: number): string {
  return year(y).lastBusinessDay[month]!;
}

/** The nth business day after date; with n = 0, the date itself or the next business day. */
export function addBusinessDays(date: string, n: number): string {
  let current = day(date);
  for (let counted = 0; counted < n; ) {
    current = current.plus({ days: 1 });
    if (isBusinessDay(current.toISODate()!)) counted++;
  }
  return rollToBusinessDay(current.toISODate()!, 'next');
}

/** The nth business day before date; with n = 0, the date itself or the business day before. */
export function subtractBusinessDays(date: string, n: number): string {
  let current = day(date);
  for (let counted = 0; counted < n; ) {
    current = current.minus({ days: 1 });
    if (isBusinessDay(current.toISODate()!)) counted++;
  }
  return rollToBusinessDay(current.toISODate()!, 'previous');
}

/** The instant a business day's work starts, hh:mm in Europe/Stockholm, as epoch milliseconds. */
export function stockholmTime(date: string, hour: number, minute = 0): number {
  return DateTime.fromISO(date, { zone }).set({ hour, minute }).toMillis();
}

/** Today's date in Stockholm. */
export function today(): string {
  return DateTime.now().setZone(zone).toISODate()!;
}

/** The Stockholm calendar date of an instant. */
export function stockholmDate(epochMs: number): string {
  return DateTime.fromMillis(epochMs, { zone }).toISODate()!;
}

/** A date moved to a business day: forward (a legal deadline, lag 1930:173) or back. */
export function rollToBusinessDay(date: string, direction: 'next' | 'previous'): string {
  let current = day(date);
  while (!isBusinessDay(current.toISODate()!)) current = current.plus({ days: direction === 'next' ? 1 : -1 });
  return current.toISODate()!;
}
