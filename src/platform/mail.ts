import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from './config.js';

export function outboxDir(config: Config): string {
  return path.join(config.dataDir, 'outbox');
}

/** The SMTP transport the configuration names; undefined when mail goes to the outbox folder. */
export function smtpTransport(config: Config): Transporter | undefined {
  const smtp = config.smtp;
  if (!smtp) return undefined;
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    connectionTimeout: 10_000,
  });
}
