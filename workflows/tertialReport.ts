import { condition, defineSignal, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { reportStart, reportOpenAnalysis, reportAnalysis, reportMail } = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes' });
// Chromium prints the PDF within the activity: give it time (a failed print is stored as such, not retried).
const { reportStoreVersion } = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes' });
const { sendDigest } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** The analysis task was completed: look for the text now rather than at the next daily look. */
export const analysisWritten = defineSignal('analysisWritten');

/**
 * One report of one unit (T1, T2 or VB of a year). On the first business day after the period it
 * stores a first version with the figures and opens the unit head's analysis task (its round
 * reminds and escalates); it waits for the analysis, then stores the final version and mails the
 * unit head and the deputy heads a link.
 */
export async function tertialReport(input: { unitId: string; period: string }): Promise<{ versions: number; analysisTaskId: string }> {
  let nudged = false;
  setHandler(analysisWritten, () => void (nudged = true));
  const { startsAt } = await reportStart({ period: input.period });
  if (startsAt > Date.now()) await sleep(startsAt - Date.now());

  const analysisTaskId = await reportOpenAnalysis({ ...input, at: new Date().toISOString() });
  await reportStoreVersion({ ...input, version: 1, asOf: new Date().toISOString(), analysis: null });
  for (;;) {
    const asOf = new Date().toISOString();
    const analysis = await reportAnalysis({ taskId: analysisTaskId, asOf });
    if (analysis) {
      await reportStoreVersion({ ...input, version: 2, asOf, analysis });
      const keys = await reportMail({ ...input, version: 2, date: asOf.slice(0, 10) });
      await Promise.all(keys.map((key) => sendDigest({ unitId: input.unitId, key })));
      return { versions: 2, analysisTaskId };
    }
    nudged = false;
    await condition(() => nudged, '1 day');
  }
}
