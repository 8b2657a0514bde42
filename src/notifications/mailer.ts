// Where mail goes: SMTP when configured, otherwise an outbox folder of .eml files (the embedded
// default, so a newcomer can open what would have been sent).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../platform/config.js';
import { outboxDir, smtpTransport } from '../platform/mail.js';

export interface Message {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Derived from the digest's key: the same digest always carries the same Message-ID. */
  messageId: string;
}

export interface Mailer {
  send(message: Message, name: string): Promise<string>;
}

export function createMailer(config: Config): Mailer {
  const smtp = smtpTransport(config);
  if (smtp) {
    return {
      async send(message) {
        const info = await smtp.sendMail({ ...message, headers: { 'Auto-Submitted': 'auto-generated' } });
        return `SMTP ${config.smtp!.host}: ${info.response}`;
      },
    };
  }
  const outbox = outboxDir(config);
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message, name) {
      const info = await builder.sendMail({ ...message, headers: { 'Auto-Submitted': 'auto-generated' } });
      await mkdir(outbox, { recursive: true });
      const file = path.join(outbox, `${name.replace(/[^\w.-]+/g, '_')}.eml`);
      await writeFile(file, info.message as Buffer);
      return file;
    },
  };
}
