// The calendar the planner resolves dates with: Swedish business days by default, any other in tests.
import { lastDayOfMonth } from '../calendar/months.js';
import * as swedish from '../calendar/businessDays.js';
import type { Events } from '../calendar/events.js';
import type { DateExpression, Rule } from '../rules/rule.js';

export interface Calendar {
  firstBusinessDay(year: number, month: number): string;
  lastBusinessDay(year: number, month: number): string;
  addBusinessDays(date: string, n: number): string;
  subtractBusinessDays(date: string, n: number): string;
  rollToBusinessDay(date: string, direction: 'next' | 'previous'): string;
}

export const swedishCalendar: Calendar = swedish;

/**
 * A rule's date for a task of month `period` ('YYYY-MM'). A named month or date earlier than the
 * period means next year. An event with no date in the month gives no date: no task that month.
 */
export function resolveDate(expression: DateExpression, period: string, createOn: string | undefined, calendar: Calendar, events: Events = {}, anchorOn?: string): string | undefined {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  if ('anchorDay' in expression) {
    if (!anchorOn) return undefined;
    const last = lastDayOfMonth(period);
    const day = `${period}-${anchorOn.slice(8, 10)}`;
    return calendar.rollToBusinessDay(day < last ? day : last, 'previous');
  }
  if ('businessDaysBeforeDue' in expression) throw new Error('businessDaysBeforeDue is a creation day, counted from the due day');
  if ('businessDay' in expression) {
    const target = expression.month ?? month;
    const targetYear = target < month ? year + 1 : year;
    return expression.businessDay === 'first'
      ? calendar.firstBusinessDay(targetYear, target)
      : calendar.lastBusinessDay(targetYear, target);
  }
  if ('businessDaysAfterCreate' in expression) {
    if (!createOn) throw new Error('businessDaysAfterCreate needs a creation date');
    return calendar.addBusinessDays(createOn, expression.businessDaysAfterCreate);
  }
  if ('event' in expression) {
    const date = events[expression.event]?.find((d) => d.startsWith(period));
    return date && calendar.subtractBusinessDays(date, expression.businessDaysBefore ?? 0);
  }
  const dateMonth = Number(expression.date.slice(0, 2));
  return calendar.rollToBusinessDay(`${dateMonth < month ? year + 1 : year}-${expression.date}`, expression.roll ?? 'next');
}

export interface TaskDates {
  createOn: string;
  dueOn: string;
}

/**
 * A rule's creation and due day for a task of month `period`; a given creation day (a follow-up's,
 * the day its trigger closed) takes the place of the rule's. Undefined when the rule has no task
 * that month (a rule tied to an event, such as a board meeting, in a month without one).
 */
export function taskDates(rule: Rule, period: string, calendar: Calendar, events: Events = {}, createOn?: string, anchorOn?: string): TaskDates | undefined {
  const from = rule.createOn ?? { businessDay: 'first' };
  if (!createOn && 'businessDaysBeforeDue' in from) {
    // Counted back from the due day: a board meeting early in a month has its task in the month before.
    const dueOn = resolveDate(rule.dueOn, period, undefined, calendar, events, anchorOn);
    return dueOn ? { createOn: calendar.subtractBusinessDays(dueOn, from.businessDaysBeforeDue), dueOn } : undefined;
  }
  const created = createOn ?? resolveDate(from, period, undefined, calendar, events, anchorOn);
  const dueOn = created && resolveDate(rule.dueOn, period, created, calendar, events, anchorOn);
  return created && dueOn ? { createOn: created, dueOn } : undefined;
}

/** Whether the rule's dates depend on the case (its anchor's day), so each case's task is dated on its own. */
export const datedPerCase = (rule: Rule): boolean => 'anchorDay' in rule.dueOn || (rule.createOn !== undefined && 'anchorDay' in rule.createOn);

