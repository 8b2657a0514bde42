import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { SettingsChange } from '../src/notifications/settings.js';

const { prepareDigests, changeSettings } = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes' });
// A mail server that is down delays mail, it loses none: retried for a day, at most every ten minutes.
const { sendDigest } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const scheduledStart = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** The unit's digests of a business day: each person's, the deputy heads' escalations, the unit head's Monday summary. */
export async function digests(input: { unitId: string; date?: string }): Promise<{ date: string; sent: number }> {
  const info = workflowInfo();
  const scheduledAt = info.typedSearchAttributes.get(scheduledStart)?.getTime() ?? info.runStartTime.getTime();
  const { date, keys } = await prepareDigests({ unitId: input.unitId, date: input.date, scheduledAt });
  const results = await Promise.all(keys.map((key) => sendDigest({ unitId: input.unitId, key })));
  return { date, sent: results.filter((r) => r === 'sent').length };
}

/** A change to a person's digest preference or the unit's mail settings, applied by the worker that holds the store. */
export async function settingsChange(change: SettingsChange): Promise<string> {
  return await changeSettings(change);
}
