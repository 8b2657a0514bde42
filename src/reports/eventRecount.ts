// A report's årshjul recounted from the task events (src/reports/recount.ts), for the moment and
// months of a report: what `arshjul report` and the tests hold a stored version to.
import { stockholmDate } from '../calendar/businessDays.js';
import type { Queryable } from '../store/db.js';
import { ruleVersion } from '../store/rulePacks.js';
import { taskHistories } from '../store/taskEvents.js';
import type { ReportPeriod } from './period.js';
import { recountCompletion, recountOnTime, type RecountedControl } from './recount.js';

/** The months a report's årshjul covers: the year to date, January to the period's last month. */
export const reportMonths = (period: ReportPeriod) => ({ fromMonth: `${period.year}-01`, toMonth: period.to.slice(0, 7) });

/** A timestamp in microseconds since the epoch, the digits after the milliseconds kept (as the store keeps them). */
export function epochMicros(timestamp: string): number {
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) throw new Error(`tidpunkten ${timestamp} går inte att läsa`);
  const fraction = /:\d\d\.(\d+)/.exec(timestamp)?.[1] ?? '';
  return ms * 1000 + Number(fraction.slice(3, 6).padEnd(3, '0'));
}

/** The tasks and events of the months up to a moment, each task with whether its rule wants a second signature. */
async function histories(db: Queryable, input: { unitId: string; fromMonth: string; toMonth: string; asOf: string }) {
  const { tasks, events } = await taskHistories(db, { unitId: input.unitId, fromMonth: input.fromMonth, toMonth: input.toMonth, until: input.asOf });
  // Whether a rule wants a second signature, from each version's own definition.
  const signOff = new Map<string, boolean>();
  for (const version of new Set(tasks.map((t) => t.ruleVersion))) signOff.set(version, (await ruleVersion(db, version)).completion.secondSignOff === true);
  const recountTasks = tasks.map((t) => ({ taskId: t.taskId, ruleId: t.ruleId, period: t.period, dueOn: t.dueOn, secondSignOff: signOff.get(t.ruleVersion)! }));
  return { tasks: recountTasks, events, moment: { asOfMicros: epochMicros(input.asOf), asOfDate: stockholmDate(Date.parse(input.asOf)), fromMonth: input.fromMonth, toMonth: input.toMonth } };
}

/** The report's controls per month as the events say they stood at `asOf` (a timestamp). */
export async function recountFromEvents(db: Queryable, input: { unitId: string; period: ReportPeriod; asOf: string }): Promise<RecountedControl[]> {
  const { tasks, events, moment } = await histories(db, { unitId: input.unitId, ...reportMonths(input.period), asOf: input.asOf });
  return recountCompletion(tasks, events, moment);
}

/** Done in time over the months `fromMonth`..`toMonth`, as the events say at `asOf`. */
export async function recountOnTimeFromEvents(db: Queryable, input: { unitId: string; fromMonth: string; toMonth: string; asOf: string }): Promise<{ due: number; onTime: number }> {
  const { tasks, events, moment } = await histories(db, input);
  return recountOnTime(tasks, events, moment);
}
