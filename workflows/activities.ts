// The activities as workflows call them, with one set of timeouts and retries per kind of work.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

/** Reads and writes of the store: short; retried with the SDK's defaults (a refusal is final). */
export const store = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes' });

/**
 * Short, idempotent store work run as local activities by the worker that runs the workflow: the
 * sweep's steps and chunks, a round's step. The server then sees one workflow task where each
 * activity would cost a schedule, a dispatch and a result; a worker that dies mid-way is replaced
 * at the workflow task's timeout, and the new one runs again what has no recorded result.
 */
export const localStore = proxyLocalActivities<Activities>({ startToCloseTimeout: '2 minutes' });

/** A chunk of a sweep begun before its work was local heartbeats, so a worker that dies mid-chunk is noticed in seconds. */
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
