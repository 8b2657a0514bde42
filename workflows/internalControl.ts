import { condition, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { ikYear, ikRequestApproval, ikApprove, ikSample, ikReport } = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes' });
const { sendDigest } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** The unit head approves the year's plan; a refusal (not the unit head) reaches the caller. */
export const approvePlanUpdate = defineUpdate<void, [{ by: string }]>('approvePlan');

async function sleepUntil(at: number): Promise<void> {
  if (at > Date.now()) await sleep(at - Date.now());
}

/**
 * A unit's internal control for a year: on the first business day of January the plan waits for the
 * unit head's approval; then each control is sampled on its days, the follow-up is reported at the
 * end of June and the compilation at the end of October, each mailed as a link.
 */
export async function internalControl(input: { unitId: string; year: number }): Promise<{ samples: number; reports: number }> {
  let approved = false;
  setHandler(approvePlanUpdate, async ({ by }) => {
    await ikApprove({ ...input, by, at: new Date().toISOString() });
    approved = true;
  });
  const { approvalAt, steps } = await ikYear({ year: input.year });
  await sleepUntil(approvalAt);
  await ikRequestApproval({ ...input, at: new Date().toISOString() });
  // Nothing is sampled before the plan is approved.
  await condition(() => approved);

  let samples = 0;
  let reports = 0;
  for (const step of steps) {
    await sleepUntil(step.at);
    const at = new Date().toISOString();
    if (step.kind === 'sample') {
      await ikSample({ ...input, controlId: step.controlId, period: step.period, at });
      samples++;
    } else {
      const keys = await ikReport({ ...input, report: step.report, date: step.date, at });
      await Promise.all(keys.map((key) => sendDigest({ unitId: input.unitId, key })));
      reports++;
    }
  }
  return { samples, reports };
}
