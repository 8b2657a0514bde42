import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { ChunkResult } from '../src/cycle/sweep.js';

const { prepareSweep, cancelClosedCases, startRounds } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });
// Chunks heartbeat, so a worker that dies mid-chunk is noticed in seconds and the chunk runs again.
const { sweepCases } = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes', heartbeatTimeout: '10 seconds' });

const scheduledStart = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

export interface SweepInput {
  unitId: string;
  /** The day to plan (YYYY-MM-DD); a scheduled sweep plans the day it was scheduled for. */
  date?: string;
  /** Cases per chunk activity. */
  chunkSize?: number;
}

export interface SweepSummary {
  date: string;
  skipped: boolean;
  packHash: string;
  planned: number;
  created: number;
  cancelled: number;
  rounds: number;
}

/** The daily sweep of one unit: plan the day, create what is due, cancel what closed, wake the rounds. */
export async function sweep(input: SweepInput): Promise<SweepSummary> {
  const info = workflowInfo();
  const scheduledAt = info.typedSearchAttributes.get(scheduledStart)?.getTime() ?? info.runStartTime.getTime();
  const { date, businessDay, packHash } = await prepareSweep({ date: input.date, scheduledAt });
  const summary: SweepSummary = { date, skipped: !businessDay, packHash, planned: 0, created: 0, cancelled: 0, rounds: 0 };
  // A calendar spec knows no Swedish holidays: the schedule fires on weekdays and the sweep skips the rest.
  if (!businessDay) return summary;

  const at = new Date().toISOString();
  const rounds = new Map<string, ChunkResult['rounds'][number]>();
  let afterCaseId: string | null = null;
  do {
    const chunk: ChunkResult = await sweepCases({ unitId: input.unitId, date, packHash, afterCaseId, limit: input.chunkSize ?? 1000, at });
    summary.planned += chunk.planned;
    summary.created += chunk.created;
    for (const round of chunk.rounds) {
      const key = `${round.ruleId}:${round.period}`;
      rounds.set(key, { ...round, created: (rounds.get(key)?.created ?? 0) + round.created });
    }
    afterCaseId = chunk.lastCaseId;
  } while (afterCaseId !== null);
  summary.cancelled = await cancelClosedCases({ unitId: input.unitId, date });
  summary.rounds = rounds.size;
  await startRounds([...rounds.values()]);
  return summary;
}
