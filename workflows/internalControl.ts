import { condition, patched, setHandler, sleep } from '@temporalio/workflow';
import { mail, store } from './activities.js';
import { approvePlanUpdate } from './definitions.js';

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
    await store.ikApprove({ ...input, by, at: new Date().toISOString() });
    approved = true;
  });
  const { approvalAt, steps } = await store.ikYear(input);
  await sleepUntil(approvalAt);
  // Approved already (the demo's year so far) or waiting for the unit head; an approval that comes
  // while the request is on its way is kept. Nothing is sampled before.
  if (await store.ikRequestApproval({ ...input, at: new Date().toISOString() })) approved = true;
  await condition(() => approved);
  // The plan as approved: its steps read again, so a control added while the year waited for its
  // approval (the access log's review) is sampled too; patched, so a year begun before replays as it ran.
  const planned = patched('ik-steps-at-approval') ? (await store.ikYear(input)).steps : steps;

  let samples = 0;
  let reports = 0;
  for (const step of planned) {
    await sleepUntil(step.at);
    const at = new Date().toISOString();
    if (step.kind === 'sample') {
      await store.ikSample({ ...input, controlId: step.controlId, period: step.period, at });
      samples++;
    } else {
      const keys = await store.ikReport({ ...input, report: step.report, date: step.date, at });
      await Promise.all(keys.map((key) => mail.sendDigest({ unitId: input.unitId, key })));
      reports++;
    }
  }
  return { samples, reports };
}
