// Starts a control round, or tells the running one that its tasks changed: signal-with-start, so
// a round that exists is signalled and one that does not is started, in one call.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { RoundKey } from '../src/tasks/lifecycle.js';

export const roundKeys = {
  unit: defineSearchAttributeKey('ArshjulUnit', SearchAttributeType.KEYWORD),
  rule: defineSearchAttributeKey('ArshjulRule', SearchAttributeType.KEYWORD),
  period: defineSearchAttributeKey('ArshjulPeriod', SearchAttributeType.KEYWORD),
};

export function roundWorkflowId(round: RoundKey): string {
  return `round:${round.unitId}:${round.ruleId}:${round.period}`;
}

export async function roundRunning(client: Client, round: RoundKey): Promise<boolean> {
  try {
    return (await client.workflow.getHandle(roundWorkflowId(round)).describe()).status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

export async function signalRounds(client: Client, taskQueue: string, rounds: RoundKey[]): Promise<void> {
  for (const round of rounds) {
    await client.workflow.signalWithStart('controlRound', {
      workflowId: roundWorkflowId(round),
      taskQueue,
      args: [round],
      signal: 'tasksChanged',
      signalArgs: [],
      typedSearchAttributes: [
        { key: roundKeys.unit, value: round.unitId },
        { key: roundKeys.rule, value: round.ruleId },
        { key: roundKeys.period, value: round.period },
      ],
    });
  }
}
