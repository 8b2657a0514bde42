// The activities as workflows call them, with one set of timeouts and retries per kind of work.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

/** Reads and writes of the store: short; retried with the SDK's defaults (a refusal is final). */
export const store = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes' });

/**
 * A round's step: one short transaction, run as a local activity by the worker that runs the round,
 * so each wake costs the server one workflow task instead of an activity's schedule, dispatch and result.
 */
export const roundStore = proxyLocalActivities<Activities>({ startToCloseTimeout: '1 minute' });

/** A chunk of a sweep heartbeats, so a worker that dies mid-chunk is noticed in seconds and the chunk runs again. */
export const sweepChunk = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes', heartbeatTimeout: '10 seconds' });

/** A report version: Chromium prints the PDF within the activity (a failed print is stored as such, not retried). */
export const reportVersion = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes' });

/** A mail server that is down delays mail, it loses none: retried for a day, at most every ten minutes. */
export const mail = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** `arshjul doctor`'s round trip: once, quickly, or it says what is wrong. */
export const check = proxyActivities<Activities>({ startToCloseTimeout: '10s', retry: { maximumAttempts: 1 } });
