import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { patched, workflowInfo } from '@temporalio/workflow';
import type { ChunkResult } from '../src/cycle/sweep.js';
import { localStore } from './activities.js';
import { sweepBegunBefore } from './sweepBegunBefore.js';
import type { SweepInput, SweepSummary } from './sweepSummary.js';

const scheduledStart = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/**
 * The daily sweep of one unit: its beginning (the day, the pack, the access log's purge), plan the
 * day and create what is due in chunks, then its end: cancel what closed and take the rounds' steps
 * whose day has come, one statement over the unit's open tasks. Every step is a local
 * activity: a morning of every unit's sweep then costs the server about one workflow task per unit,
 * not one per step and chunk (issue 27); each step is idempotent, so one run again after a worker's
 * death changes nothing.
 */
export async function sweep(input: SweepInput): Promise<SweepSummary> {
  const info = workflowInfo();
  const scheduledAt = info.typedSearchAttributes.get(scheduledStart)?.getTime() ?? info.runStartTime.getTime();
  if (!patched('sweep-local')) return sweepBegunBefore(input, scheduledAt);
  const { date, businessDay, packHash } = await localStore.beginSweep({ unitId: input.unitId, date: input.date, scheduledAt });
  const summary: SweepSummary = { date, skipped: !businessDay, packHash, planned: 0, created: 0, cancelled: 0 };
  // A calendar spec knows no Swedish holidays: the schedule fires on weekdays and the sweep skips the rest.
  if (!businessDay) return summary;

  // The tasks are created at the time the sweep was scheduled for: a backfilled day's tasks carry
  // that day in their history (created_at and created event), so a report as of then counts them.
  const at = new Date(scheduledAt).toISOString();
  let afterCaseId: string | null = null;
  do {
    const chunk: ChunkResult = await localStore.sweepCases({ unitId: input.unitId, date, packHash, afterCaseId, limit: input.chunkSize ?? 1000, at });
    summary.planned += chunk.planned;
    summary.created += chunk.created;
    afterCaseId = chunk.lastCaseId;
  } while (afterCaseId !== null);
  const { cancelled, steps } = await localStore.endSweep({ unitId: input.unitId, date, at });
  summary.cancelled = cancelled;
  summary.steps = steps;
  return summary;
}
