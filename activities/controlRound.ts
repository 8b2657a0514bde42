// What is left of the round workflows (one per unit × rule × month) that ran before the daily sweep
// took the steps over: their activities, so that rounds begun before end cleanly (a start wakes
// the idle ones: src/platform/schedules.ts). Nothing new starts a round.
import { closeRound } from '../src/cycle/controlRound.js';
import type { RoundKey } from '../src/store/controlRounds.js';
import type { Deps } from './deps.js';
import { refusalsFinal } from './refusals.js';

/** What a round's wake once returned; `done` ends the round. */
export interface StepResult {
  done: boolean;
  open: number;
  nextAt: number | null;
  recorded: Record<string, number>;
}

export function controlRoundActivities({ db }: Deps) {
  return {
    /** A sweep begun before the steps moved into it asks to start its rounds: the steps are its own now. */
    async startRounds(_rounds: (RoundKey & { created: number })[]): Promise<void> {},

    /** A round's wake: the daily sweep takes the steps now, so the round is done. */
    roundStep(_input: RoundKey & { now: number }): Promise<StepResult> {
      return Promise.resolve({ done: true, open: 0, nextAt: null, recorded: {} });
    },

    /** A close sent to a round that still runs: the same store fact as the web's. */
    async closeRound(input: RoundKey & { by: string; at: string }): Promise<void> {
      await refusalsFinal(() => closeRound(db, input));
    },
  };
}
