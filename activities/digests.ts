// The digests' activities: prepare the day's digests, then send each one (retried until it goes).
import { isBusinessDay, stockholmDate } from '../src/calendar/businessDays.js';
import { applySettings, type SettingsChange } from '../src/notifications/settings.js';
import { prepareDigests as prepare } from '../src/notifications/prepare.js';
import { sendDigest as send } from '../src/notifications/send.js';
import { unitMailSettings } from '../src/store/digests.js';
import type { Deps } from './deps.js';
import { refusalsFinal } from './refusals.js';

export function digestActivities({ db, mailer, mailFrom, baseUrl }: Deps) {
  return {
    async prepareDigests(input: { unitId: string; date?: string; scheduledAt: number }): Promise<{ date: string; keys: string[] }> {
      const date = input.date ?? stockholmDate(input.scheduledAt);
      if (!isBusinessDay(date)) return { date, keys: [] };
      return { date, keys: await prepare(db, { unitId: input.unitId, date, baseUrl }) };
    },

    async sendDigest(input: { unitId: string; key: string }): Promise<'sent' | 'already-sent'> {
      const { sender } = await unitMailSettings(db, input.unitId);
      return send(db, mailer, { key: input.key, from: sender ?? mailFrom });
    },

    async changeSettings(change: SettingsChange): Promise<string> {
      return refusalsFinal(() => applySettings(db, change));
    },
  };
}
