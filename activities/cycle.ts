// The sweep's and the rounds' activities: thin wrappers over src/cycle, with heartbeats.
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import { isBusinessDay, stockholmDate } from '../src/calendar/businessDays.js';
import { cancelTasksOfClosedCases, sweepChunk, type ChunkResult } from '../src/cycle/sweep.js';
import { closeRound as closeRoundInStore, roundStep as roundStepInStore, type StepResult } from '../src/cycle/round.js';
import { readRulePack } from '../src/rules/files.js';
import type { RulePack } from '../src/rules/load.js';
import { recordedPack, recordPack } from '../src/store/rulePacks.js';
import { TaskActionError, type RoundKey } from '../src/tasks/lifecycle.js';
import type { Deps } from './index.js';
import { signalRounds } from './rounds.js';

export interface SweepStart {
  date: string;
  businessDay: boolean;
  packHash: string;
}

export function cycleActivities({ db, client, taskQueue, rulesDir }: Deps) {
  const packs = new Map<string, RulePack>();
  const packByHash = async (hash: string) => {
    let pack = packs.get(hash);
    if (!pack) packs.set(hash, (pack = await recordedPack(db, hash)));
    return pack;
  };

  return {
    /** The sweep's date (given, or the schedule's time in Stockholm), and the rule pack, recorded. */
    async prepareSweep(input: { date?: string; scheduledAt: number }): Promise<SweepStart> {
      const date = input.date ?? stockholmDate(input.scheduledAt);
      const pack = await readRulePack(rulesDir);
      await db.transaction((tx) => recordPack(tx, pack));
      packs.set(pack.hash, pack);
      return { date, businessDay: isBusinessDay(date), packHash: pack.hash };
    },

    async sweepCases(input: { unitId: string; date: string; packHash: string; afterCaseId: string | null; limit: number; at: string }): Promise<ChunkResult> {
      heartbeat(input.afterCaseId);
      return sweepChunk(db, { ...input, pack: await packByHash(input.packHash) });
    },

    async cancelClosedCases(input: { unitId: string; date: string }): Promise<number> {
      return cancelTasksOfClosedCases(db, input.unitId, input.date);
    },

    async startRounds(rounds: RoundKey[]): Promise<void> {
      await signalRounds(client, taskQueue, rounds);
    },

    async roundStep(input: RoundKey & { now: number }): Promise<StepResult> {
      return roundStepInStore(db, input);
    },

    async closeRound(input: RoundKey & { by: string; at: string }): Promise<void> {
      try {
        await closeRoundInStore(db, input);
      } catch (error) {
        if (error instanceof TaskActionError) throw ApplicationFailure.nonRetryable(error.message, 'TaskActionError');
        throw error;
      }
    },
  };
}
