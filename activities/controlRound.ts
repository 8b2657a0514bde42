// The control rounds' activities: start a round, or tell the running one that its tasks changed
// (signal-with-start: one call either way); each wake's step over the store; a deputy head's close.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { closeRound, roundStep, type StepResult } from '../src/cycle/controlRound.js';
import { workflowIds } from '../src/platform/workflowIds.js';
import type { RoundKey } from '../src/store/controlRounds.js';
import { tasksChanged } from '../workflows/definitions.js';
import type { Deps } from './deps.js';
import { refusalsFinal } from './refusals.js';

export const roundKeys = {
  unit: defineSearchAttributeKey('ArshjulUnit', SearchAttributeType.KEYWORD),
  rule: defineSearchAttributeKey('ArshjulRule', SearchAttributeType.KEYWORD),
  period: defineSearchAttributeKey('ArshjulPeriod', SearchAttributeType.KEYWORD),
};

async function roundRunning(client: Client, round: RoundKey): Promise<boolean> {
  try {
    return (await client.workflow.getHandle(workflowIds.controlRound(round)).describe()).status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

export async function signalRounds(client: Client, taskQueue: string, rounds: RoundKey[]): Promise<void> {
  for (const round of rounds) {
    await client.workflow.signalWithStart('controlRound', {
      workflowId: workflowIds.controlRound(round),
      taskQueue,
      args: [round],
      signal: tasksChanged,
      signalArgs: [],
      typedSearchAttributes: [
        { key: roundKeys.unit, value: round.unitId },
        { key: roundKeys.rule, value: round.ruleId },
        { key: roundKeys.period, value: round.period },
      ],
    });
  }
}

export function controlRoundActivities({ db, client, taskQueue }: Deps) {
  return {
    /**
     * Rounds with new tasks are signalled (or started); a round without new ones is only started if
     * it does not run, say after a crash lost a chunk's answer. Running rounds are not woken daily.
     */
    async startRounds(rounds: (RoundKey & { created: number })[]): Promise<void> {
      const wake: RoundKey[] = [];
      for (const round of rounds) {
        if (round.created > 0 || !(await roundRunning(client, round))) wake.push(round);
      }
      await signalRounds(client, taskQueue, wake);
    },

    async roundStep(input: RoundKey & { now: number }): Promise<StepResult> {
      return roundStep(db, input);
    },

    async closeRound(input: RoundKey & { by: string; at: string }): Promise<void> {
      await refusalsFinal(() => closeRound(db, input));
    },
  };
}
