import { condition, setHandler, sleep } from '@temporalio/workflow';
import { mail, reportVersion, store } from './activities.js';
import { analysisWritten } from './definitions.js';

/**
 * One report of one unit (T1, T2 or VB of a year). When the unit head's analysis task opens (inside
 * the tertial, before the units' 2/4 and 2/8) it stores a first version with the figures to date and
 * a forecast; when the analysis is written, a version with it, mailed as a link; after the period has
 * closed, a version with the final figures (and the analysis, once there is one), mailed the same way.
 */
export async function tertialReport(input: { unitId: string; period: string }): Promise<{ versions: number; analysisTaskId: string }> {
  let nudged = false;
  setHandler(analysisWritten, () => void (nudged = true));
  const { opensAt, closesAt } = await store.reportStart(input);
  if (opensAt > Date.now()) await sleep(opensAt - Date.now());

  const analysisTaskId = await store.reportOpenAnalysis({ ...input, at: new Date().toISOString() });
  let versions = 0;
  let analysis: Awaited<ReturnType<typeof store.reportAnalysis>> = null;
  let final = false;
  const storeVersion = async (asOf: string) => {
    versions += 1;
    final = Date.parse(asOf) >= closesAt;
    await reportVersion.reportStoreVersion({ ...input, version: versions, asOf, analysis });
    if (!analysis) return;
    const keys = await store.reportMail({ ...input, version: versions, date: asOf.slice(0, 10) });
    await Promise.all(keys.map((key) => mail.sendDigest({ unitId: input.unitId, key })));
  };

  await storeVersion(new Date().toISOString());
  for (;;) {
    const asOf = new Date().toISOString();
    if (!analysis && (analysis = await store.reportAnalysis({ taskId: analysisTaskId, asOf }))) await storeVersion(asOf);
    else if (!final && Date.now() >= closesAt) await storeVersion(asOf);
    if (analysis && final) return { versions, analysisTaskId };
    nudged = false;
    // Looks daily as well as when nudged, and wakes when the period closes.
    const untilClose = closesAt - Date.now();
    await condition(() => nudged, untilClose > 0 ? Math.min(untilClose, 86_400_000) : 86_400_000);
  }
}
