import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { patched, workflowInfo } from '@temporalio/workflow';
import type { ChunkResult } from '../src/cycle/sweep.js';
import type { StepCounts } from '../src/cycle/steps.js';
import type { RoundKey } from '../src/store/controlRounds.js';
import { store, sweepChunk } from './activities.js';

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
  /** The reminder, due and escalation steps taken, by kind. */
  steps?: StepCounts;
  /** Sweeps begun before the steps were theirs: the rounds they started. */
  rounds?: number;
}

/** A chunk's answer as sweeps begun before the steps were theirs got it, with its rounds. */
type OldChunk = ChunkResult & { rounds?: (RoundKey & { created: number })[] };

/**
 * The daily sweep of one unit: plan the day, create what is due, cancel what closed, and take the
 * rounds' steps whose day has come, one statement over the unit's open tasks.
 */
export async function sweep(input: SweepInput): Promise<SweepSummary> {
  const info = workflowInfo();
  const scheduledAt = info.typedSearchAttributes.get(scheduledStart)?.getTime() ?? info.runStartTime.getTime();
  const { date, businessDay, packHash } = await store.prepareSweep({ date: input.date, scheduledAt });
  const summary: SweepSummary = { date, skipped: !businessDay, packHash, planned: 0, created: 0, cancelled: 0 };
  // The access log's daily retention purge, holidays too; patched, so a sweep begun before it replays as it ran.
  if (patched('access-log-purge')) await store.purgeAccessLog({ unitId: input.unitId, date });
  // A calendar spec knows no Swedish holidays: the schedule fires on weekdays and the sweep skips the rest.
  if (!businessDay) return summary;

  // The tasks are created at the time the sweep was scheduled for: a backfilled day's tasks carry
  // that day in their history (created_at and created event), so a report as of then counts them.
  const at = new Date(scheduledAt).toISOString();
  const rounds = new Map<string, RoundKey & { created: number }>();
  let afterCaseId: string | null = null;
  do {
    const chunk: OldChunk = await sweepChunk.sweepCases({ unitId: input.unitId, date, packHash, afterCaseId, limit: input.chunkSize ?? 1000, at });
    summary.planned += chunk.planned;
    summary.created += chunk.created;
    for (const round of chunk.rounds ?? []) {
      const key = `${round.ruleId}:${round.period}`;
      rounds.set(key, { ...round, created: (rounds.get(key)?.created ?? 0) + round.created });
    }
    afterCaseId = chunk.lastCaseId;
  } while (afterCaseId !== null);
  summary.cancelled = await store.cancelClosedCases({ unitId: input.unitId, date });
  // Patched: a sweep begun when a workflow per round took the steps replays as it ran.
  if (patched('steps-in-sweep')) {
    summary.steps = await store.takeSteps({ unitId: input.unitId, date, at });
  } else {
    summary.rounds = rounds.size;
    await store.startRounds([...rounds.values()]);
  }
  return summary;
}
