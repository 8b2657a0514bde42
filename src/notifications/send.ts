// Sends one prepared digest exactly once as far as the store can tell: the attempt is recorded
// before sending and the success after. A worker that dies between the SMTP server's "250 OK" and
// the second write sends that digest again on retry: that window (milliseconds) is the one
// duplicate left, and the repeated Message-ID lets mail clients fold the two.
import { createHash } from 'node:crypto';
import type { Db } from '../store/db.js';
import { markDigestSent, startDigestAttempt } from '../store/digests.js';
import type { Mailer } from './mailer.js';

export function messageId(key: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@arshjul>`;
}

export async function sendDigest(db: Db, mailer: Mailer, input: { key: string; from: string }): Promise<'sent' | 'already-sent'> {
  const digest = await startDigestAttempt(db, input.key);
  if (!digest) throw new Error(`utskicket ${input.key} finns inte`);
  if (digest.state === 'sent') return 'already-sent';
  const where = await mailer.send(
    { from: input.from, to: digest.email, subject: digest.subject, text: digest.text_body, html: digest.html_body, messageId: messageId(input.key) },
    input.key,
  );
  await markDigestSent(db, input.key);
  // The log names the digest's key (unit, kind, staff id, day) and where it went: no client data.
  console.log(`Utskick ${input.key} → ${where}`);
  return 'sent';
}
