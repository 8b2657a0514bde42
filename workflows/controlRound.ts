import { condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { RoundKey } from '../src/store/controlRounds.js';
import { localStore, store } from './activities.js';
import { closeRoundUpdate, tasksChanged } from './definitions.js';

/**
 * One control round, as it ran before the daily sweep took the steps over: a rule's tasks of one
 * month in one unit. Nothing starts it now; it stays registered so that rounds begun before replay
 * and end: their next wake's step answers done (activities/controlRound.ts), and a start wakes the
 * idle ones once.
 */
export async function controlRound(round: RoundKey): Promise<'done' | 'closed'> {
  let changed = false;
  let closed = false;
  setHandler(tasksChanged, () => void (changed = true));
  setHandler(closeRoundUpdate, async ({ by }) => {
    await store.closeRound({ ...round, by, at: new Date().toISOString() });
    closed = true;
  });

  for (;;) {
    if (closed) return 'closed';
    changed = false;
    // Rounds begun before the step became a local activity replay their history as it was.
    const step = await (patched('round-step-local') ? localStore : store).roundStep({ ...round, now: Date.now() });
    if (step.done) return 'done';
    const woken = () => changed || closed;
    if (step.nextAt === null) await condition(woken);
    else await condition(woken, Math.max(1, step.nextAt - Date.now()));
    // Whatever the history held is in the store: a fresh run starts by reading it again.
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof controlRound>(round);
  }
}
