// The demo unit's year so far, made by running the real cycle over the past business days (a
// backfill): each morning's sweep and control-round steps, and the people's work done through the
// task lifecycle, every event stamped with its day. Seeded by the task ids, so it is the same every
// time. Each task a person acts on was opened first, so its page's record is in the access log.
// Internal control follows where the rules hold a plan for the year (pastInternalControl.ts);
// the tertial reports that have closed are stored as their workflow stores them.
import { createHash } from 'node:crypto';
import { recordAccesses, type Access } from '../accessLog/log.js';
import { addBusinessDays, rollToBusinessDay, stockholmIso, stockholmTime } from '../calendar/businessDays.js';
import { cancelTasksOfClosedCases, sweepChunk } from '../cycle/sweep.js';
import { takeSteps } from '../cycle/steps.js';
import { planFor } from '../internkontroll/plan.js';
import { reportClosesAt, reportKinds, reportPeriod } from '../reports/period.js';
import { analysisAsOf, analysisTaskOf, storeReportVersion } from '../reports/tertialReport.js';
import type { RulePack } from '../rules/load.js';
import type { Rule } from '../rules/rule.js';
import type { Db } from '../store/db.js';
import { ruleVersion } from '../store/rulePacks.js';
import { staffOf } from '../store/staff.js';
import { openTasksCreatedBy, type TaskRow } from '../store/tasks.js';
import { applyTaskAction } from '../tasks/lifecycle.js';
import { chance } from './chance.js';
import { backfillInternalControl, type PastInternalControl } from './pastInternalControl.js';

/**
 * The task page a person opened before acting on the task, a few minutes before, as the web app
 * records it: one session a day per person (a tag of our own, as the log's are), an address per person.
 */
function taskPageOpened(task: TaskRow, actor: string, at: string, date: string, addresses: Map<string, string>): Omit<Access, 'unitId'> {
  if (!addresses.has(actor)) addresses.set(actor, `10.40.${Math.floor(addresses.size / 200)}.${10 + (addresses.size % 200)}`);
  return {
    staffId: actor, view: 'task', caseIds: [task.case_id], query: `kontroll=${task.rule_id}; månad=${task.period}`,
    session: createHash('sha256').update(`demo-session:${actor}:${date}`).digest('hex').slice(0, 32), address: addresses.get(actor),
    at: new Date(Date.parse(at) - (1 + Math.floor(chance(`opened:${task.task_id}:${actor}`) * 20)) * 60_000),
  };
}

/** What a person does with a task: when (business days after it was created) and how. */
interface Fate {
  kind: 'complete' | 'not-applicable' | 'left';
  lag: number;
  outcome: number;
}

/**
 * A well-run unit's way with a task whose window (creation to due day) is `window` business days:
 * most done within it, one in ten a few days late, one in thirty weeks late (so only the recent
 * ones are still open today), one in a hundred left open, and a few not applicable.
 */
export function fateOf(taskId: string, window: number): Fate {
  const u = chance(`fate:${taskId}`);
  const v = chance(`lag:${taskId}`);
  const outcome = chance(`outcome:${taskId}`) < 0.9 ? 0 : 1;
  if (u < 0.01) return { kind: 'left', lag: 0, outcome: 0 };
  if (u < 0.08) return { kind: 'not-applicable', lag: Math.floor(v * (window + 1)), outcome: 0 };
  if (u < 0.11) return { kind: 'complete', lag: window + 15 + Math.floor(v * 50), outcome };
  if (u < 0.21) return { kind: 'complete', lag: window + 1 + Math.floor(v * 8), outcome };
  return { kind: 'complete', lag: Math.floor(v * (window + 1)), outcome };
}

/** The unit head's analysis, as one would write it for the months the report covers (its task's month says which). */
const analysisText = (title: string, month: string) => {
  const late = Number(month.slice(5, 7)) <= 5
    ? 'främst i januari, då registerkontrollen och årsbeskeden kom samtidigt'
    : Number(month.slice(5, 7)) <= 9 ? 'främst under semesterperioden' : 'främst under semesterperioden och i januari';
  return `${title}: Enheten har genomfört årshjulets kontroller i stort sett enligt plan. Några kontroller blev klara efter sista dag, ${late}. ` +
    'Avvikelserna i internkontrollen har rättats. Inför nästa period fördelas kontrollerna jämnare mellan handläggarna.';
};

export interface PastYear {
  days: number;
  created: number;
  actions: number;
  reports: number;
  /** The year's internal control, where the rules hold a plan for it. */
  internalControl: PastInternalControl | null;
}

/** Runs the unit's cycle on every business day from 1 January of `until`'s year to the day before `until`. */
export async function backfillYear(db: Db, input: { unitId: string; pack: RulePack; until: string }): Promise<PastYear> {
  const { unitId, pack } = input;
  const year = Number(input.until.slice(0, 4));
  const heads = (await staffOf(db, unitId, ['bitradande-enhetschef', 'enhetschef'])).map((s) => s.id);
  const rules = new Map<string, Rule>();
  const rule = async (version: string) => rules.get(version) ?? rules.set(version, await ruleVersion(db, version)).get(version)!;
  const result: PastYear = { days: 0, created: 0, actions: 0, reports: 0, internalControl: null };
  const addresses = new Map<string, string>();

  for (let date = rollToBusinessDay(`${year}-01-01`, 'next'); date < input.until; date = addBusinessDays(date, 1)) {
    result.days++;
    // 06:00: the sweep, and the rounds' reminders, due days and escalations.
    const sweptAt = stockholmIso(date, 6);
    let afterCaseId: string | null = null;
    do {
      const chunk = await sweepChunk(db, { unitId, date, pack, afterCaseId, limit: 1000, at: sweptAt });
      result.created += chunk.created;
      afterCaseId = chunk.lastCaseId;
    } while (afterCaseId !== null);
    await cancelTasksOfClosedCases(db, unitId, date, sweptAt);
    await takeSteps(db, { unitId, date, at: sweptAt });
    // During the day: the people's work, through the same lifecycle as the web app, each task's page opened first.
    const opened: Omit<Access, 'unitId'>[] = [];
    for (const task of await openTasksCreatedBy(db, unitId, date)) {
      const at = stockholmIso(date, 9 + Math.floor(chance(`hour:${task.task_id}`) * 7), Math.floor(chance(`minute:${task.task_id}`) * 60));
      if (task.state === 'awaiting-sign-off') {
        // The next business day a head (not the one who did it) signs it off.
        const second = heads.find((h) => h !== task.assignee) ?? heads[0]!;
        opened.push(taskPageOpened(task, second, at, date, addresses));
        await applyTaskAction(db, task.outcome ? { kind: 'complete', taskId: task.task_id, outcome: task.outcome, actor: second, at } : { kind: 'not-applicable', taskId: task.task_id, reason: 'Bekräftat.', actor: second, at });
        result.actions++;
        continue;
      }
      const fate = fateOf(task.task_id, Math.max(1, businessDaysBetween(task.create_on, task.due_on)));
      if (fate.kind === 'left' || addBusinessDays(task.create_on, fate.lag) > date) continue;
      const actor = task.assignee ?? heads[0]!;
      opened.push(taskPageOpened(task, actor, at, date, addresses));
      const r = await rule(task.rule_version);
      if (fate.kind === 'not-applicable' && !r.report) {
        await applyTaskAction(db, { kind: 'not-applicable', taskId: task.task_id, reason: 'Ärendet var vilande under månaden.', actor, at });
      } else {
        const outcome = r.completion.outcomes[Math.min(fate.outcome, r.completion.outcomes.length - 1)]!.id;
        await applyTaskAction(db, { kind: 'complete', taskId: task.task_id, outcome, note: r.report ? analysisText(r.title, task.period) : 'Kontrollerat.', actor, at });
      }
      result.actions++;
    }
    // The day's page views in the order they happened (the chain's order is the log's).
    await recordAccesses(db, unitId, opened.sort((a, b) => a.at.getTime() - b.at.getTime()));
  }
  // Internal control before the reports: their figures count its samples and deviations.
  const plan = planFor(pack.plans, year, unitId);
  if (plan) result.internalControl = await backfillInternalControl(db, { unitId, plan, until: input.until });
  // The tertial reports of the year that have closed, each version at its moment.
  for (const kind of reportKinds) {
    const period = reportPeriod(year, kind);
    const closesAt = reportClosesAt(period);
    if (closesAt >= stockholmTime(input.until, 0)) continue;
    const task = await analysisTaskOf(db, { unitId, period, pack });
    const opened = stockholmIso(task.createOn, 6, 30);
    const final = new Date(closesAt).toISOString();
    const analysis = await analysisAsOf(db, { taskId: task.taskId, asOf: final });
    const moments = [opened, ...(analysis && analysis.at < final ? [analysis.at] : []), final];
    for (const [i, asOf] of moments.entries()) {
      const written = await analysisAsOf(db, { taskId: task.taskId, asOf });
      await storeReportVersion(db, { unitId, period, version: i + 1, asOf, at: asOf, analysis: written });
      result.reports++;
    }
  }
  return result;
}

function businessDaysBetween(from: string, to: string): number {
  let n = 0;
  for (let d = from; d < to; d = addBusinessDays(d, 1)) n++;
  return n;
}
