// What the activities need: the store, a Temporal client to start and signal rounds, where the
// rule pack lives, and how mail goes out.
import type { Client } from '@temporalio/client';
import type { Mailer } from '../src/notifications/mailer.js';
import type { Db } from '../src/store/db.js';

export interface Deps {
  db: Db;
  client: Client;
  taskQueue: string;
  rulesDir: string;
  mailer: Mailer;
  mailFrom: string;
  /** The web app's address, for the links in mails. */
  baseUrl: string;
  /** How many years the access log keeps a record (five when not given). */
  accessLogRetentionYears?: number;
}
