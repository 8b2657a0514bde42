// The internal control's activities: the year's steps, the approval, samples and reports.
import { ApplicationFailure } from '@temporalio/activity';
import { stockholmTime, firstBusinessDay } from '../src/calendar/businessDays.js';
import type { Plan } from '../src/internkontroll/plan.js';
import { takeSample } from '../src/internkontroll/samples.js';
import { approvePlan, requestApproval, storeReport, yearSteps, type YearStep } from '../src/internkontroll/year.js';
import { prepareReportDigests } from '../src/notifications/prepare.js';
import { readRulePack } from '../src/rules/files.js';
import type { Deps } from './deps.js';
import { refusalsFinal } from './refusals.js';

export function internalControlActivities({ db, rulesDir, baseUrl }: Deps) {
  const planFor = async (year: number): Promise<Plan> => {
    const plan = (await readRulePack(rulesDir)).plans.find((p) => p.plan.year === year)?.plan;
    if (!plan) throw ApplicationFailure.nonRetryable(`det finns ingen internkontrollplan för ${year}`, 'NoPlan');
    return plan;
  };
  return {
    async ikYear(input: { year: number }): Promise<{ approvalAt: number; steps: YearStep[] }> {
      return { approvalAt: stockholmTime(firstBusinessDay(input.year, 1), 6, 30), steps: yearSteps(await planFor(input.year)) };
    },
    /** True when the plan is approved already. */
    async ikRequestApproval(input: { unitId: string; year: number; at: string }): Promise<boolean> {
      return requestApproval(db, input);
    },
    async ikApprove(input: { unitId: string; year: number; by: string; at: string }): Promise<void> {
      await refusalsFinal(() => approvePlan(db, input));
    },
    async ikSample(input: { unitId: string; year: number; controlId: string; period: string; at: string }): Promise<number> {
      const { sample } = await takeSample(db, { ...input, plan: await planFor(input.year), takenOn: input.at.slice(0, 10), takenAt: input.at });
      return sample.cases.length;
    },
    /** Stores the report and prepares its digests; returns their keys for sendDigest. */
    async ikReport(input: { unitId: string; year: number; report: 'follow-up' | 'compilation'; date: string; at: string }): Promise<string[]> {
      const plan = await planFor(input.year);
      const reportId = await storeReport(db, { ...input, plan });
      const title = `${input.report === 'follow-up' ? 'Uppföljning' : 'Sammanställning'} av internkontrollen ${input.year}`;
      return prepareReportDigests(db, { unitId: input.unitId, reportId, title, date: input.date, link: `${baseUrl}/internkontroll/rapporter/${encodeURIComponent(reportId)}` });
    },
  };
}
