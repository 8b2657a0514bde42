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

// Calendar dates need no time zone: plain UTC arithmetic on ISO dates, which the planner and the
// rounds call hundreds of thousands of times in a sweep (luxon's zone lookups were most of its time).
const dayMs = 86_400_000;

function epochDay(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** The date n days after (or before, with n < 0) an ISO date. */
function shift(date: string, n: number): string {
  return new Date(epochDay(date) + n * dayMs).toISOString().slice(0, 10);
}

/** ISO weekday: Monday 1 … Sunday 7. */
function weekday(date: string): number {
  return ((new Date(epochDay(date)).getUTCDay() + 6) % 7) + 1;
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
    if (seen.has(date) || weekday(date) > 5) continue;
    seen.add(date);
    nonWorkingWeekdays.push({ date, name: capitalize(holiday.name) });
  }
  nonWorkingWeekdays.sort((a, b) => a.date.localeCompare(b.date));
  const closed = new Set(nonWorkingWeekdays.map((d) => d.date));
  const isOpen = (date: string) => weekday(date) <= 5 && !closed.has(date);
  const firstBusinessDay: string[] = [];
  const lastBusinessDay: string[] = [];
  for (let month = 1; month <= 12; month++) {
    let first = `${y}-${String(month).padStart(2, '0')}-01`;
    while (!isOpen(first)) first = shift(first, 1);
    let last = shift(month === 12 ? `${y + 1}-01-01` : `${y}-${String(month + 1).padStart(2, '0')}-01`, -1);
    while (!isOpen(last)) last = shift(last, -1);
    firstBusinessDay[month] = first;
    lastBusinessDay[month] = last;
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
  return weekday(date) <= 5 && !year(Number(date.slice(0, 4))).closed.has(date);
}

export function firstBusinessDay(y: number, month: number): string {
  return year(y).firstBusinessDay[month]!;
}

export function lastBusinessDay(y: number, month: number): string {
  return year(y).lastBusinessDay[month]!;
}

/** The nth business day after date; with n = 0, the date itself or the next business day. */
export function addBusinessDays(date: string, n: number): string {
  let current = date;
  for (let counted = 0; counted < n; ) {
    current = shift(current, 1);
    if (isBusinessDay(current)) counted++;
  }
  return rollToBusinessDay(current, 'next');
}

/** The nth business day before date; with n = 0, the date itself or the business day before. */
export function subtractBusinessDays(date: string, n: number): string {
  let current = date;
  for (let counted = 0; counted < n; ) {
    current = shift(current, -1);
    if (isBusinessDay(current)) counted++;
  }
  return rollToBusinessDay(current, 'previous');
}

/** The instant a business day's work starts, hh:mm in Europe/Stockholm, as epoch milliseconds. */
export function stockholmTime(date: string, hour: number, minute = 0): number {
  return DateTime.fromISO(date, { zone }).set({ hour, minute }).toMillis();
}

/** The same moment as an ISO timestamp (UTC), as events and rows store it. */
export const stockholmIso = (date: string, hour: number, minute = 0): string => new Date(stockholmTime(date, hour, minute)).toISOString();

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
  let current = date;
  while (!isBusinessDay(current)) current = shift(current, direction === 'next' ? 1 : -1);
  return current;
}
