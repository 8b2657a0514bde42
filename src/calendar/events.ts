// Dates that change every year (board meetings, cooperation meetings, staff meetings by pattern),
// from rules/calendar/YYYY.json, so rules refer to events and never to one year's dates.
import calendarSchema from '../../rules/schema/calendar.schema.json' with { type: 'json' };
import type { Located } from '../json/locate.js';
import { ajv, parseAgainst, type SourceFile } from '../json/schema.js';
import { checkReference } from '../rules/sources.js';
import { rollToBusinessDay } from './businessDays.js';

interface CalendarFile {
  year: number;
  reference: string[];
  events: { id: string; title: string; dates?: string[]; pattern?: { weekday: number; nth: number; skipMonths?: number[]; roll?: 'next' } }[];
}

/** Every known date of each event, over all calendar files, sorted. */
export type Events = Record<string, string[]>;

const validateCalendar = ajv.compile<CalendarFile>(calendarSchema);

/** The nth weekday (1 Monday … 7 Sunday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, nth: number): string {
  const firstWeekday = ((new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7) + 1;
  const day = 1 + ((weekday - firstWeekday + 7) % 7) + 7 * (nth - 1);
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

export function loadCalendars(files: SourceFile[], errors: Located[]): Events {
  const events: Events = {};
  for (const file of files) {
    const parsed = parseAgainst(file, validateCalendar, errors);
    if (!parsed) continue;
    const { data, locate } = parsed;
    checkReference(data.reference, ['reference'], locate, errors);
    data.events.forEach((event, i) => {
      const dates = event.dates ?? [];
      dates.forEach((date, j) => {
        if (!date.startsWith(`${data.year}-`)) errors.push(locate.error(['events', i, 'dates', j], `${date} hör inte till ${data.year}: flytta det till rätt års fil`));
      });
      if (event.pattern) {
        const { weekday, nth, skipMonths = [], roll } = event.pattern;
        for (let month = 1; month <= 12; month++) {
          if (skipMonths.includes(month)) continue;
          const day = nthWeekday(data.year, month, weekday, nth);
          // The first Thursday can be a holiday (1 January 2026, Kristi himmelsfärd 2027): the next business day.
          dates.push(roll ? rollToBusinessDay(day, roll) : day);
        }
      }
      events[event.id] = [...(events[event.id] ?? []), ...dates].sort();
    });
  }
  return events;
}
