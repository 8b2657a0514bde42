// Digests by e-mail to a real SMTP server: one per caseworker with the store's counts, none
// lost or doubled while the server is down for an hour, and no personal data in any of them.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { ensureSearchAttributes } from '../../src/platform/searchAttributes.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import type { digests, settingsChange, sweep } from '../../workflows/index.js';
import { runCycleWorker } from '../helpers/cycle.js';
import { personalData, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { freshStore } from '../helpers/store.js';
import { localEnvironment, timeSkippingEnvironment } from '../helpers/temporal.js';

const unit = syntheticUnit({ households: 730, seed: 2027 });
const caseIds = unit.cases.map((c) => c.caseId);
const caseworkers = new Set(unit.staff.filter((s) => s.role === 'socialsekreterare' || s.role === 'bidragshandlaggare').map((s) => s.email));

function assertNoPersonalData(mails: ParsedMail[]): void {
  expect(mails.length).toBeGreaterThan(0);
  for (const mail of mails) {
    expect(personalData(`${mail.subject}\n${mail.text}\n${mail.html || ''}`, caseIds), mail.subject).toEqual([]);
  }
}

async function setUp(env: TestWorkflowEnvironment, smtp: TestSmtp, taskQueue: string): Promise<{ db: Db; stopWorker: () => Promise<void> }> {
  const db = await freshStore('embedded');
  await ensureSearchAttributes(env.connection, 'default');
  await importCaseFile(db, unit, { fileName: 'demo', fileHash: 'demo', importedBy: 'test', full: false, exportDate: '2027-05-03' });
  return { db, stopWorker: await runCycleWorker(env, db, taskQueue, smtp.env) };
}

describe('digests on the first business day of May 2027', () => {
  let env: TestWorkflowEnvironment;
  let smtp: TestSmtp;
  let db: Db;
  let stopWorker: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    [env, smtp] = await Promise.all([localEnvironment(), startSmtp()]);
    ({ db, stopWorker } = await setUp(env, smtp, 'digests'));
    await env.client.workflow.execute<typeof sweep>('sweep', { taskQueue: 'digests', workflowId: 'sweep-may', args: [{ unitId: unit.unit.id, date: '2027-05-03' }] });
  }, 120_000);
  afterAll(async () => {
    await stopWorker?.();
    await db?.close();
    await smtp?.close();
    await env?.teardown();
  });

  it('sends each person with tasks one digest whose count is their open tasks in the store', async () => {
    const result = await env.client.workflow.execute<typeof digests>('digests', { taskQueue: 'digests', workflowId: 'digest-may', args: [{ unitId: unit.unit.id, date: '2027-05-03' }] });
    const open = await db.query<{ email: string; n: number }>(
      `SELECT s.email, count(*)::int AS n FROM tasks t JOIN staff s ON s.unit_id = t.unit_id AND s.id = t.assignee
       WHERE t.state = 'open' GROUP BY s.email ORDER BY s.email`,
    );
    const personal = smtp.received.filter((m) => m.subject?.includes('Dina kontrolluppgifter'));
    expect(result.sent).toBe(smtp.received.length);
    // Every caseworker with tasks, and the chefs with the management cycle's tasks.
    expect(personal.map((m) => (m.to as { text: string }).text).sort()).toEqual(open.map((o) => o.email));
    expect(open.filter((o) => caseworkers.has(o.email)).length).toBeGreaterThan(20);
    for (const { email, n } of open) {
      const mail = personal.find((m) => (m.to as { text: string }).text === email)!;
      expect(mail.text).toContain(`Du har ${n} öppna kontrolluppgifter i årshjulet.`);
      expect(mail.subject).toBe('[Årshjul] Dina kontrolluppgifter 2027-05-03');
      expect(mail.html).toContain('Öppna Årshjul');
      expect(mail.text).toContain('http://localhost:3000/inkorg');
      expect(mail.from?.text).toBe('arshjul@kommun.example.se');
    }
    assertNoPersonalData(smtp.received);
  });

  it('follows each person\'s preference and the unit\'s sender, subject and footer', async () => {
    const change = (args: unknown) => env.client.workflow.execute<typeof settingsChange>('settingsChange', { taskQueue: 'digests', workflowId: `settings-${Math.random()}`, args: [args as never] });
    expect(await change({ kind: 'digest', unitId: unit.unit.id, staffId: 'ss-01', digest: 'weekly' })).toContain('på måndagar');
    await change({ kind: 'mail', unitId: unit.unit.id, sender: 'arshjul@skarholmen.example.se', subjectPrefix: '[Skärholmen]', footer: 'Frågor? Kontakta din biträdande enhetschef.' });
    await expect(change({ kind: 'digest', unitId: unit.unit.id, staffId: 'ss-99', digest: 'weekly' })).rejects.toThrow();

    const before = smtp.received.length;
    // Tuesday 25 May: the work-plan follow-ups fall due on the 31st, within the reminder window.
    await env.client.workflow.execute<typeof digests>('digests', { taskQueue: 'digests', workflowId: 'digest-may-25', args: [{ unitId: unit.unit.id, date: '2027-05-25' }] });
    const sent = smtp.received.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.map((m) => (m.to as { text: string }).text)).not.toContain('ss-01@example.se');
    for (const mail of sent) {
      expect(mail.subject).toBe('[Skärholmen] Dina kontrolluppgifter 2027-05-25');
      expect(mail.from?.text).toBe('arshjul@skarholmen.example.se');
      expect(mail.text).toContain('Sista dag snart');
      expect(mail.text).toContain('Frågor? Kontakta din biträdande enhetschef.');
    }
    assertNoPersonalData(sent);
  });

  it('sends nothing twice: a second run of the same day sends no mail', async () => {
    const before = smtp.received.length;
    const again = await env.client.workflow.execute<typeof digests>('digests', { taskQueue: 'digests', workflowId: 'digest-may-again', args: [{ unitId: unit.unit.id, date: '2027-05-03' }] });
    expect(again.sent).toBe(0);
    expect(smtp.received.length).toBe(before);
  });
});

describe('a mail server down for an hour', () => {
  let env: TestWorkflowEnvironment;
  let smtp: TestSmtp;
  let db: Db;
  let stopWorker: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    [env, smtp] = await Promise.all([timeSkippingEnvironment(), startSmtp()]);
    ({ db, stopWorker } = await setUp(env, smtp, 'down'));
    await env.client.workflow.execute<typeof sweep>('sweep', { taskQueue: 'down', workflowId: 'sweep-may', args: [{ unitId: unit.unit.id, date: '2027-05-03' }] });
  }, 120_000);
  afterAll(async () => {
    await stopWorker?.();
    await db?.close();
    await smtp?.close();
    await env?.teardown();
  });

  it('delays the digests, loses none and sends none twice', async () => {
    smtp.refusing = true;
    const handle = await env.client.workflow.start<typeof digests>('digests', { taskQueue: 'down', workflowId: 'digest-down', args: [{ unitId: unit.unit.id, date: '2027-05-03' }] });
    await env.sleep('1 hour');
    const refusedDuringTheHour = smtp.refused;
    smtp.refusing = false;
    const result = await handle.result();
    const keys = await db.query<{ key: string; attempts: number }>(`SELECT key, attempts FROM digests WHERE state = 'sent' ORDER BY key`);
    expect(refusedDuringTheHour).toBeGreaterThan(keys.length);
    expect(result.sent).toBe(keys.length);
    expect(smtp.received).toHaveLength(keys.length);
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(keys.length);
    expect(keys.every((k) => k.attempts > 1)).toBe(true);
    assertNoPersonalData(smtp.received);
  });
});
