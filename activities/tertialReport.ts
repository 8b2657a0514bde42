// The tertial report's activities: when it starts, its analysis task, the analysis text, each
// stored version, and the mail with the link. Thin wrappers over src/reports.
import { log } from '@temporalio/activity';
import { prepareReportDigests } from '../src/notifications/prepare.js';
import { stockholmTime } from '../src/calendar/businessDays.js';
import { parseReportPeriod, reportClosesAt } from '../src/reports/period.js';
import { analysisAsOf, analysisTaskOf, openAnalysisTask, storeReportVersion, type Analysis } from '../src/reports/tertialReport.js';
import { readRuleFiles } from '../src/rules/files.js';
import { usablePack } from '../src/store/rulePacks.js';
import type { Deps } from './deps.js';
import { refusalsFinal } from './refusals.js';

export function tertialReportActivities({ db, rulesDir, baseUrl }: Deps) {
  return {
    /** When the analysis task opens (the report's first version) and when the period has closed (its final figures). */
    async reportStart(input: { unitId: string; period: string }): Promise<{ opensAt: number; closesAt: number }> {
      const period = parseReportPeriod(input.period);
      const { pack } = await usablePack(db, await readRuleFiles(rulesDir));
      const task = await refusalsFinal(() => analysisTaskOf(db, { unitId: input.unitId, period, pack }));
      return { opensAt: stockholmTime(task.createOn, 6, 30), closesAt: reportClosesAt(period) };
    },

    /** Creates the unit head's analysis task if the sweep has not; the daily sweep takes its reminder and escalation. */
    async reportOpenAnalysis(input: { unitId: string; period: string; at: string }): Promise<string> {
      const { pack, broken } = await usablePack(db, await readRuleFiles(rulesDir));
      if (broken) log.warn(`Regelpaketet har fel; rapporten använder version ${pack.hash}:\n${broken.join('\n')}`);
      return refusalsFinal(() => openAnalysisTask(db, { unitId: input.unitId, period: parseReportPeriod(input.period), pack, at: input.at }));
    },

    async reportAnalysis(input: { taskId: string; asOf: string }): Promise<Analysis | null> {
      return (await analysisAsOf(db, input)) ?? null;
    },

    async reportStoreVersion(input: { unitId: string; period: string; version: number; asOf: string; analysis: Analysis | null }): Promise<void> {
      const { pdfError } = await storeReportVersion(db, { ...input, period: parseReportPeriod(input.period), at: input.asOf, analysis: input.analysis ?? undefined });
      // The report is kept without its PDF; the log says how to get one (no case data in it).
      if (pdfError) log.warn(`${input.period} för ${input.unitId}, version ${input.version}: ${pdfError}`);
    },

    /** The mail to the unit head and the deputy heads: the report's title and a link. */
    async reportMail(input: { unitId: string; period: string; version: number; date: string }): Promise<string[]> {
      const period = parseReportPeriod(input.period);
      return prepareReportDigests(db, {
        unitId: input.unitId, reportId: `${input.unitId}:${period.id}:v${input.version}`, title: period.title, date: input.date,
        link: `${baseUrl}/rapporter/${encodeURIComponent(input.unitId)}/${period.id}`,
      });
    },
  };
}
