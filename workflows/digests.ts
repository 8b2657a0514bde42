import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { workflowInfo } from '@temporalio/workflow';
import type { SettingsChange } from '../src/notifications/settings.js';
import { mail, store } from './activities.js';

const scheduledStart = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** The unit's digests of a business day: each person's, the deputy heads' escalations, the unit head's Monday summary. */
export async function digests(input: { unitId: string; date?: string }): Promise<{ date: string; sent: number }> {
  const info = workflowInfo();
  const scheduledAt = info.typedSearchAttributes.get(scheduledStart)?.getTime() ?? info.runStartTime.getTime();
  const { date, keys } = await store.prepareDigests({ unitId: input.unitId, date: input.date, scheduledAt });
  const results = await Promise.all(keys.map((key) => mail.sendDigest({ unitId: input.unitId, key })));
  return { date, sent: results.filter((r) => r === 'sent').length };
}

/** A change to a person's digest preference or the unit's mail settings, applied by the worker that holds the store. */
export async function settingsChange(change: SettingsChange): Promise<string> {
  return await store.changeSettings(change);
}
