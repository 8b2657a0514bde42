// The internal control's activities: the year's steps, the approval, samples and reports.
import { ApplicationFailure } from '@temporalio/activity';
import { stockholmTime, firstBusinessDay } from '../src/calendar/businessDays.js';
import { planFor, type Plan } from '../src/internkontroll/plan.js';
import { takeControlSample } from '../src/internkontroll/samples.js';
import { approvePlan, ikReportId, requestApproval, storeReport, yearSteps, type YearStep } from '../src/internkontroll/year.js';
import { prepareReportDigests } from '../src/notifications/prepare.js';
import { readRulePack } from '../src/rules/files.js';
import { reportDigestKeys } from '../src/store/digests.js';
import { findIkReport } from '../src/store/internalControl.js';
import type { Deps } from './deps.js';
import { refusalsFinal } from './refusals.js';

export function internalControlActivities({ db, rulesDir, baseUrl }: Deps) {
  const unitPlan = async (unitId: string, year: number): Promise<Plan> => {
    const plan = planFor((await readRulePack(rulesDir)).plans, year, unitId);
    if (!plan) throw ApplicationFailure.nonRetryable(`det finns ingen internkontrollplan för ${year} för ${unitId}`, 'NoPlan');
    return plan;
  };
  return {
    async ikYear(input: { unitId: string; year: number }): Promise<{ approvalAt: number; steps: YearStep[] }> {
      return { approvalAt: stockholmTime(firstBusinessDay(input.year, 1), 6, 30), steps: yearSteps(await unitPlan(input.unitId, input.year)) };
    },
    /** True when the plan is approved already. */
    async ikRequestApproval(input: { unitId: string; year: number; at: string }): Promise<boolean> {
      return requestApproval(db, input);
    },
    async ikApprove(input: { unitId: string; year: number; by: string; at: string }): Promise<void> {
      await refusalsFinal(() => approvePlan(db, input));
    },
    /** How many cases (or access-log records) the sample holds. */
    async ikSample(input: { unitId: string; year: number; controlId: string; period: string; at: string }): Promise<number> {
      const { sample } = await takeControlSample(db, { ...input, plan: await unitPlan(input.unitId, input.year), takenOn: input.at.slice(0, 10), takenAt: input.at });
      return sample.subject === 'cases' ? sample.cases.length : sample.records.length;
    },
    /**
     * Stores the report and prepares its digests; returns their keys for sendDigest. A report stored
     * already (the demo's year before the workflow started, or this step before a restart) is left
     * as it was, and only the digests prepared for it then are returned: nothing is made or mailed twice.
     */
    async ikReport(input: { unitId: string; year: number; report: 'follow-up' | 'compilation'; date: string; at: string }): Promise<string[]> {
      const plan = await unitPlan(input.unitId, input.year);
      const reportId = ikReportId(input.unitId, input.year, input.report);
      if (await findIkReport(db, reportId)) return reportDigestKeys(db, input.unitId, reportId);
      const title = `${input.report === 'follow-up' ? 'Uppföljning' : 'Sammanställning'} av internkontrollen ${input.year}`;
      // The digests before the report: a retry after a failure between the two prepares them again, harmlessly.
      const keys = await prepareReportDigests(db, { unitId: input.unitId, reportId, title, date: input.date, link: `${baseUrl}/internkontroll/rapporter/${encodeURIComponent(reportId)}` });
      await storeReport(db, { ...input, plan });
      return keys;
    },
  };
}
