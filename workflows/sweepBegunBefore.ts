// The sweep as it ran before its work was local (issue 27), kept so that sweeps begun before an
// upgrade replay as they ran: remote activities, the access-log purge and the steps each behind a
// patch of their own, and the rounds started by sweeps older still. Frozen: change nothing here.
// Once no installation can hold such a sweep (they last minutes), it can go with `sweep-local`'s
// branch in sweep.ts.
import { patched } from '@temporalio/workflow';
import type { ChunkResult } from '../src/cycle/sweep.js';
import type { RoundKey } from '../src/store/controlRounds.js';
import { store, sweepChunk } from './activities.js';
import type { SweepInput, SweepSummary } from './sweepSummary.js';

/** A chunk's answer as sweeps begun before the steps were theirs got it, with its rounds. */
type OldChunk = ChunkResult & { rounds?: (RoundKey & { created: number })[] };

export async function sweepBegunBefore(input: SweepInput, scheduledAt: number): Promise<SweepSummary> {
  const { date, businessDay, packHash } = await store.prepareSweep({ date: input.date, scheduledAt });
  const summary: SweepSummary = { date, skipped: !businessDay, packHash, planned: 0, created: 0, cancelled: 0 };
  if (patched('access-log-purge')) await store.purgeAccessLog({ unitId: input.unitId, date });
  if (!businessDay) return summary;
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
  if (patched('steps-in-sweep')) {
    summary.steps = await store.takeSteps({ unitId: input.unitId, date, at });
  } else {
    summary.rounds = rounds.size;
    await store.startRounds([...rounds.values()]);
  }
  return summary;
}
