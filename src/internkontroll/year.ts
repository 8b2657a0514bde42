// The internal control's year for a unit: the plan approved in January, samples on the first
// business day of each period (the access log's records on the first after it), the follow-up at
// the end of June and the compilation at the end of October. What happens when is computed here;
// the workflow only sleeps until each step.
import { firstBusinessDay, lastBusinessDay, stockholmTime } from '../calendar/businessDays.js';
import type { Db } from '../store/db.js';
import { approvalOf, recordApproval, recordApprovalRequest, saveIkReport } from '../store/internalControl.js';
import { roleOf } from '../store/staff.js';
import { TaskActionError } from '../tasks/lifecycle.js';
import { finishedRounds } from './analyses.js';
import { controlsOf, samplesRecords, type Plan } from './plan.js';
import { reportCsv, reportHtml } from './report.js';
import { controlStatus } from './reviews.js';

export type YearStep =
  | { kind: 'sample'; controlId: string; period: string; date: string; at: number }
  | { kind: 'report'; report: 'follow-up' | 'compilation'; date: string; at: number };

const pad = (n: number) => String(n).padStart(2, '0');

/** Every step of the year after approval, in time order; steps fall at 06:30 Stockholm time. */
export function yearSteps(plan: Plan): YearStep[] {
  const y = plan.year;
  const steps: YearStep[] = [];
  const at = (date: string) => stockholmTime(date, 6, 30);
  for (const control of controlsOf(plan)) {
    if (control.method === 'management') continue; // done as a unit task of the årshjul
    if (samplesRecords(control) && control.frequency !== 'tertial') {
      // The access log's records of a month (or the year) are sampled when it is over: on the first
      // business day after it, December's (and the year's) in January.
      const periods = control.frequency === 'monthly' ? Array.from({ length: 12 }, (_, i) => `${y}-${pad(i + 1)}`) : [`${y}`];
      for (const period of periods) {
        const month = period.length === 7 ? Number(period.slice(5)) : 12;
        const date = month === 12 ? firstBusinessDay(y + 1, 1) : firstBusinessDay(y, month + 1);
        steps.push({ kind: 'sample', controlId: control.id, period, date, at: at(date) });
      }
    } else if (control.frequency === 'monthly') {
      for (let m = 1; m <= 12; m++) steps.push({ kind: 'sample', controlId: control.id, period: `${y}-${pad(m)}`, date: firstBusinessDay(y, m), at: at(firstBusinessDay(y, m)) });
    } else if (control.frequency === 'tertial') {
      // A tertial is reviewed when it is over: T1 in May, T2 in September, T3 in January next year.
      for (const [t, month, year] of [[1, 5, y], [2, 9, y], [3, 1, y + 1]] as const) {
        steps.push({ kind: 'sample', controlId: control.id, period: `${y}-T${t}`, date: firstBusinessDay(year, month), at: at(firstBusinessDay(year, month)) });
      }
    } else {
      // Yearly reviews of the årshjul's controls come when October has made them due; a control may
      // name its month (the file audit in September, so that October's compilation holds it).
      const month = control.month ?? 11;
      steps.push({ kind: 'sample', controlId: control.id, period: `${y}`, date: firstBusinessDay(y, month), at: at(firstBusinessDay(y, month)) });
    }
  }
  steps.push({ kind: 'report', report: 'follow-up', date: lastBusinessDay(y, 6), at: at(lastBusinessDay(y, 6)) });
  steps.push({ kind: 'report', report: 'compilation', date: lastBusinessDay(y, 10), at: at(lastBusinessDay(y, 10)) });
  return steps.sort((a, b) => a.at - b.at || (a.kind === 'sample' && b.kind === 'sample' ? a.controlId.localeCompare(b.controlId) : 0));
}

/** Sends the year's plan for approval; true when it is approved already (a demo year, or a restart after). */
export async function requestApproval(db: Db, input: { unitId: string; year: number; at: string }): Promise<boolean> {
  await recordApprovalRequest(db, input);
  return (await approvalOf(db, input.unitId, input.year))?.approved_at != null;
}

/** The unit head approves the year's plan; nothing is sampled before. */
export async function approvePlan(db: Db, input: { unitId: string; year: number; by: string; at: string }): Promise<void> {
  if ((await roleOf(db, input.unitId, input.by)) !== 'enhetschef') throw new TaskActionError('internkontrollplanen godkänns av enhetschefen');
  if (!(await recordApproval(db, input))) throw new TaskActionError(`planen för ${input.year} väntar inte på godkännande`);
}

/** A follow-up or compilation report's id: one per unit, year and kind. */
export const ikReportId = (unitId: string, year: number, kind: 'follow-up' | 'compilation'): string => `${unitId}:${year}:${kind}`;

/** Stores the follow-up or compilation report; returns its id (unit, year, kind). */
export async function storeReport(db: Db, input: { unitId: string; plan: Plan; report: 'follow-up' | 'compilation'; date: string; at: string }): Promise<string> {
  const status = await controlStatus(db, input.unitId, input.plan.year, input.date);
  const title = `${input.report === 'follow-up' ? 'Uppföljning' : 'Sammanställning'} av internkontrollen ${input.plan.year}`;
  const id = ikReportId(input.unitId, input.plan.year, input.report);
  await saveIkReport(db, {
    id, unitId: input.unitId, year: input.plan.year, kind: input.report, at: input.at,
    csv: reportCsv(input.plan, status), html: reportHtml(title, input.plan, status, await finishedRounds(db, input.unitId, input.plan)),
  });
  return id;
}
