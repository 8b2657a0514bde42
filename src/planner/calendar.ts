// The calendar the planner resolves dates with: Swedish business days by default, any other in tests.
import * as swedish from '../calendar/businessDays.js';
import type { Events } from '../calendar/events.js';
import type { DateExpression } from '../rules/rule.js';

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
export function resolveDate(expression: DateExpression, period: string, createOn: string | undefined, calendar: Calendar, events: Events = {}): string | undefined {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
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
