// The sweep's activities: thin wrappers over src/cycle/sweep.ts. Today's sweep runs them as local
// activities; a chunk of a sweep begun before (a remote activity) heartbeats.
import { activityInfo, heartbeat, log, metricMeter } from '@temporalio/activity';
import { defaultRetentionYears, purgeAccessLog } from '../src/accessLog/log.js';
import { isBusinessDay, stockholmDate } from '../src/calendar/businessDays.js';
import { cancelTasksOfClosedCases, sweepChunk, type ChunkResult } from '../src/cycle/sweep.js';
import { takeSteps, type StepCounts } from '../src/cycle/steps.js';
import { readRuleFiles } from '../src/rules/files.js';
import type { RulePack } from '../src/rules/load.js';
import { analyze } from '../src/store/db.js';
import { recordedPack, usablePack } from '../src/store/rulePacks.js';
import type { Deps } from './deps.js';

export interface SweepStart {
  date: string;
  businessDay: boolean;
  packHash: string;
}

export function sweepActivities({ db, rulesDir, accessLogRetentionYears = defaultRetentionYears }: Deps) {
  const packs = new Map<string, RulePack>();
  let lastAnalyzed = 0;
  const packByHash = async (hash: string) => {
    let pack = packs.get(hash);
    if (!pack) packs.set(hash, (pack = await recordedPack(db, hash)));
    return pack;
  };

  /** The sweep's date (given, or the schedule's time in Stockholm), and the rule pack, recorded. */
  const prepareSweep = async (input: { date?: string; scheduledAt: number }): Promise<SweepStart> => {
    const date = input.date ?? stockholmDate(input.scheduledAt);
    // Fresh planner statistics about once a day: the embedded PostgreSQL has no autovacuum, and
    // without them a year of tasks turns the reports' and dashboard's queries from milliseconds
    // to minutes. Wall-clock time, so a replayed or time-skipped year does not analyse daily.
    if (Date.now() - lastAnalyzed > 12 * 3_600_000) {
      lastAnalyzed = Date.now();
      await analyze(db).catch((error) => {
        lastAnalyzed = 0;
        throw error;
      });
    }
    // Read the files every day; usablePack parses and records them once per process and version.
    const { pack, broken } = await usablePack(db, await readRuleFiles(rulesDir));
    // A broken edit stops nothing: the last good pack plans on, and the log says what to mend.
    if (broken) log.warn(`Regelpaketet i ${rulesDir} har fel; svepet använder version ${pack.hash}. Rätta och kör arshjul rules validate:\n${broken.join('\n')}`);
    packs.set(pack.hash, pack);
    return { date, businessDay: isBusinessDay(date), packHash: pack.hash };
  };

  // prepareSweep, cancelClosedCases, takeSteps and purgeAccessLog, one step each, serve sweeps
  // begun before today's (workflows/sweepBegunBefore.ts), which replay them.
  return {
    prepareSweep,

    /** The sweep's beginning: its day and pack (prepareSweep), and the access log's daily purge for the unit, holidays too. */
    async beginSweep(input: { unitId: string; date?: string; scheduledAt: number }): Promise<SweepStart> {
      const start = await prepareSweep(input);
      await purgeAccessLog(db, { unitId: input.unitId, date: start.date, retentionYears: accessLogRetentionYears, now: new Date() });
      return start;
    },

    async sweepCases(input: { unitId: string; date: string; packHash: string; afterCaseId: string | null; limit: number; at: string }): Promise<ChunkResult> {
      // A remote chunk beats while it waits for a connection or its transaction: a morning of many
      // units' sweeps queues chunks on the pool, and a silent one would be retried while it still
      // runs. A local one has no heartbeat: its workflow task's own keeps it.
      const beat = activityInfo().isLocal ? () => undefined : () => heartbeat(input.afterCaseId);
      beat();
      const beating = setInterval(beat, 2_000);
      const result = await sweepChunk(db, { ...input, pack: await packByHash(input.packHash) }).finally(() => clearInterval(beating));
      // For the operator's dashboards (Prometheus, through the SDK's runtime): counts only, no unit or case.
      metricMeter.createCounter('arshjul_cases_swept', 'cases', 'cases planned by sweeps').add(result.planned);
      metricMeter.createCounter('arshjul_tasks_created', 'tasks', 'tasks created by sweeps').add(result.created);
      return result;
    },

    async cancelClosedCases(input: { unitId: string; date: string }): Promise<number> {
      return cancelTasksOfClosedCases(db, input.unitId, input.date);
    },

    /** The sweep's end: the closed cases' tasks cancelled, then the steps whose day has come taken. */
    async endSweep(input: { unitId: string; date: string; at: string }): Promise<{ cancelled: number; steps: StepCounts }> {
      const cancelled = await cancelTasksOfClosedCases(db, input.unitId, input.date);
      return { cancelled, steps: await takeSteps(db, input) };
    },

    /** The rounds' reminder, due and escalation steps whose day has come, for all the unit's open tasks. */
    async takeSteps(input: { unitId: string; date: string; at: string }): Promise<StepCounts> {
      return takeSteps(db, input);
    },

    /** The access log's retention for the unit on the day: a count back, never a case. */
    async purgeAccessLog(input: { unitId: string; date: string }): Promise<number> {
      return purgeAccessLog(db, { ...input, retentionYears: accessLogRetentionYears, now: new Date() });
    },
  };
}
