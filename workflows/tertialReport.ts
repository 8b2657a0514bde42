import { condition, setHandler, sleep } from '@temporalio/workflow';
import { mail, reportVersion, store } from './activities.js';
import { analysisWritten } from './definitions.js';

/**
 * One report of one unit (T1, T2 or VB of a year). On the first business day after the period it
 * stores a first version with the figures and opens the unit head's analysis task (its round
 * reminds and escalates); it waits for the analysis, then stores the final version and mails the
 * unit head and the deputy heads a link.
 */
export async function tertialReport(input: { unitId: string; period: string }): Promise<{ versions: number; analysisTaskId: string }> {
  let nudged = false;
  setHandler(analysisWritten, () => void (nudged = true));
  const { startsAt } = await store.reportStart({ period: input.period });
  if (startsAt > Date.now()) await sleep(startsAt - Date.now());

  const analysisTaskId = await store.reportOpenAnalysis({ ...input, at: new Date().toISOString() });
  await reportVersion.reportStoreVersion({ ...input, version: 1, asOf: new Date().toISOString(), analysis: null });
  for (;;) {
    const asOf = new Date().toISOString();
    const analysis = await store.reportAnalysis({ taskId: analysisTaskId, asOf });
    if (analysis) {
      await reportVersion.reportStoreVersion({ ...input, version: 2, asOf, analysis });
      const keys = await store.reportMail({ ...input, version: 2, date: asOf.slice(0, 10) });
      await Promise.all(keys.map((key) => mail.sendDigest({ unitId: input.unitId, key })));
      return { versions: 2, analysisTaskId };
    }
    nudged = false;
    await condition(() => nudged, '1 day');
  }
}
