// Digests by e-mail to a real SMTP server: one per caseworker with the store's counts, none
// lost or doubled while the server is down for an hour, and no personal data in any of them.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { ensureSearchAttributes } from '../../src/platform/searchAttributes.js';
import { importCaseFile } from '../../src/store/cases.js';
import { insertCorrective, insertReviews } from '../../src/store/internalControl.js';
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

interface MailSuite {
  env: TestWorkflowEnvironment;
  smtp: TestSmtp;
  db: Db;
}

/** A suite's Temporal server, SMTP server, store and worker, with the first business day of May 2027 swept. */
function mailSuite(environment: () => Promise<TestWorkflowEnvironment>, taskQueue: string): MailSuite {
  const suite = {} as MailSuite;
  let stopWorker: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    [suite.env, suite.smtp, suite.db] = await Promise.all([environment(), startSmtp(), freshStore('embedded')]);
    await ensureSearchAttributes(suite.env.connection, 'default');
    await importCaseFile(suite.db, unit, { fileName: 'demo', fileHash: 'demo', importedBy: 'test', full: false, exportDate: '2027-05-03' });
    stopWorker = await runCycleWorker(suite.env, suite.db, taskQueue, suite.smtp.env);
    await suite.env.client.workflow.execute<typeof sweep>('sweep', { taskQueue, workflowId: 'sweep-may', args: [{ unitId: unit.unit.id, date: '2027-05-03' }] });
  }, 120_000);
  afterAll(async () => {
    await stopWorker?.();
    await suite.db?.close();
    await suite.smtp?.close();
    await suite.env?.teardown();
  });
  return suite;
}

describe('digests on the first business day of May 2027', () => {
  const suite = mailSuite(localEnvironment, 'digests');

  it('sends each person with tasks one digest whose count is their open tasks in the store', async () => {
    const result = await suite.env.client.workflow.execute<typeof digests>('digests', { taskQueue: 'digests', workflowId: 'digest-may', args: [{ unitId: unit.unit.id, date: '2027-05-03' }] });
    const open = await suite.db.query<{ email: string; n: number }>(
      `SELECT s.email, count(*)::int AS n FROM tasks t JOIN staff s ON s.unit_id = t.unit_id AND s.id = t.assignee
       WHERE t.state = 'open' GROUP BY s.email ORDER BY s.email`,
    );
    const personal = suite.smtp.received.filter((m) => m.subject?.includes('Dina kontrolluppgifter'));
    expect(result.sent).toBe(suite.smtp.received.length);
    // Every caseworker with tasks, and the chefs with the management cycle's tasks.
    expect(personal.map((m) => (m.to as { text: string }).text).sort()).toEqual(open.map((o) => o.email));
    expect(open.filter((o) => caseworkers.has(o.email)).length).toBeGreaterThan(20);
    for (const { email, n } of open) {
      const mail = personal.find((m) => (m.to as { text: string }).text === email)!;
      expect(mail.text).toContain(`Du har ${n === 1 ? '1 öppen kontrolluppgift' : `${n} öppna kontrolluppgifter`} i årshjulet.`);
      expect(mail.subject).toBe('[Årshjul] Dina kontrolluppgifter 2027-05-03');
      expect(mail.html).toContain('Öppna Årshjul');
      expect(mail.text).toContain('http://localhost:3000/inkorg');
      expect(mail.from?.text).toBe('arshjul@kommun.example.se');
    }
    assertNoPersonalData(suite.smtp.received);
  });

  it('sends nothing twice: a second run of the same day sends no mail', async () => {
    const before = suite.smtp.received.length;
    const again = await suite.env.client.workflow.execute<typeof digests>('digests', { taskQueue: 'digests', workflowId: 'digest-may-again', args: [{ unitId: unit.unit.id, date: '2027-05-03' }] });
    expect(again.sent).toBe(0);
    expect(suite.smtp.received.length).toBe(before);
  });

  it('follows each person\'s preference and the unit\'s sender, subject and footer', async () => {
    const change = (args: unknown) => suite.env.client.workflow.execute<typeof settingsChange>('settingsChange', { taskQueue: 'digests', workflowId: `settings-${Math.random()}`, args: [args as never] });
    expect(await change({ kind: 'digest', unitId: unit.unit.id, staffId: 'ss-01', digest: 'weekly' })).toContain('på måndagar');
    await change({ kind: 'mail', unitId: unit.unit.id, sender: 'arshjul@skarholmen.example.se', subjectPrefix: '[Skärholmen]', footer: 'Frågor? Kontakta din biträdande enhetschef.' });
    await expect(change({ kind: 'digest', unitId: unit.unit.id, staffId: 'ss-99', digest: 'weekly' })).rejects.toThrow();

    const before = suite.smtp.received.length;
    // Tuesday 25 May: the work-plan follow-ups fall due on their plans' days. That morning's sweep
    // creates the follow-ups whose creation day (ten business days before their due day) has come,
    // and records the reminder days that have come; those already past due are escalated to the deputy heads.
    await suite.env.client.workflow.execute<typeof sweep>('sweep', { taskQueue: 'digests', workflowId: 'sweep-may-25', args: [{ unitId: unit.unit.id, date: '2027-05-25' }] });
    await suite.env.client.workflow.execute<typeof digests>('digests', { taskQueue: 'digests', workflowId: 'digest-may-25', args: [{ unitId: unit.unit.id, date: '2027-05-25' }] });
    const sent = suite.smtp.received.slice(before).filter((m) => !m.subject?.includes('Eskalerade'));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.map((m) => (m.to as { text: string }).text)).not.toContain('ss-01@example.se');
    const followUps = await suite.db.query<{ email: string; due_on: string; n: number }>(
      `SELECT s.email, min(t.due_on)::text AS due_on, count(*)::int AS n FROM tasks t JOIN staff s ON s.unit_id = t.unit_id AND s.id = t.assignee
       WHERE t.rule_id = 'work-plan-followup' AND t.state = 'open' AND s.id <> 'ss-01' AND t.due_on >= '2027-05-25'
         AND EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.task_id AND e.kind = 'reminder-due')
       GROUP BY s.email`,
    );
    expect(followUps.length).toBeGreaterThan(0);
    for (const mail of sent) {
      expect(mail.subject).toBe('[Skärholmen] Dina kontrolluppgifter 2027-05-25');
      expect(mail.from?.text).toBe('arshjul@skarholmen.example.se');
      expect(mail.text).toContain('Frågor? Kontakta din biträdande enhetschef.');
    }
    // Due soon: exactly the tasks whose round has reached its reminder day, with the nearest last day
    // (the sweep took every rule's steps of the day, so other controls may be listed beside them).
    const dueSoon = (mail: ParsedMail) => /Sista dag snart\n((?: {2}- .*\n)*)/.exec(mail.text ?? '')?.[1] ?? '';
    for (const { email, due_on, n } of followUps) {
      const mail = sent.find((m) => (m.to as { text: string }).text === email)!;
      expect(dueSoon(mail)).toContain(`  - Uppföljning av arbetsplanen: ${n} st, sista dag ${due_on}\n`);
    }
    for (const mail of sent.filter((m) => !followUps.some((f) => f.email === (m.to as { text: string }).text))) expect(dueSoon(mail)).not.toContain('Uppföljning av arbetsplanen');
    assertNoPersonalData(sent);
  });

  it('brings a deputy head the reviews of a sample and a caseworker the corrective action, without the cases', async () => {
    // A sample of three cases for bec-02 to review, one of them already past due; a deviation gave ss-02 a corrective action.
    const sampled = caseIds.slice(0, 3);
    await suite.db.query(
      `INSERT INTO ik_samples (id, unit_id, plan_year, control_id, period, seed, algorithm, method, population, excluded, cases)
       VALUES ('ik-maj', $1, 2027, 'beslut-motivering', '2027-05', 'frö', 'test', 'random', '[]', '[]', $2::jsonb)`,
      [unit.unit.id, JSON.stringify(sampled)],
    );
    await insertReviews(suite.db, { sampleId: 'ik-maj', unitId: unit.unit.id, controlId: 'beslut-motivering', reviewer: 'bec-02', dueOn: '2027-06-11', cases: sampled.slice(0, 2) });
    await insertReviews(suite.db, { sampleId: 'ik-maj', unitId: unit.unit.id, controlId: 'beslut-motivering', reviewer: 'bec-02', dueOn: '2027-05-21', cases: sampled.slice(2) });
    await insertCorrective(suite.db, { id: 'rattelse-1', reviewId: `ik-maj:${sampled[2]}`, unitId: unit.unit.id, caseId: sampled[2]!, assignee: 'ss-02', dueOn: '2027-06-25', deviation: 'Motiveringen saknas.' });

    const before = suite.smtp.received.length;
    await suite.env.client.workflow.execute<typeof digests>('digests', { taskQueue: 'digests', workflowId: 'digest-may-26', args: [{ unitId: unit.unit.id, date: '2027-05-26' }] });
    const sent = suite.smtp.received.slice(before);
    const to = (email: string) => sent.find((m) => (m.to as { text: string }).text === email && m.subject?.includes('Dina kontrolluppgifter'))!;
    const deputy = to('bec-02@example.se');
    expect(deputy.text).toContain('granskningar i internkontrollen');
    expect(deputy.text).toContain('Granskningar i internkontrollen\n  - Försenade granskningar av stickprov: 1 st, sista dag 2027-05-21\n  - Granskningar av stickprov: 2 st, sista dag 2027-06-11\n');
    expect(to('ss-02@example.se').text).toContain('Rättelser efter internkontrollen\n  - Rättelser: 1 st, sista dag 2027-06-25\n');
    expect(to('ss-02@example.se').text).toContain('och 1 rättelse efter internkontrollen.');
    // The deviation's words stay in Årshjul.
    expect(sent.some((m) => m.text?.includes('Motiveringen saknas'))).toBe(false);
    assertNoPersonalData(sent);
  });
});

describe('a mail server down for an hour', () => {
  const suite = mailSuite(timeSkippingEnvironment, 'down');

  it('delays the digests, loses none and sends none twice', async () => {
    suite.smtp.refusing = true;
    const handle = await suite.env.client.workflow.start<typeof digests>('digests', { taskQueue: 'down', workflowId: 'digest-down', args: [{ unitId: unit.unit.id, date: '2027-05-03' }] });
    await suite.env.sleep('1 hour');
    const refusedDuringTheHour = suite.smtp.refused;
    suite.smtp.refusing = false;
    const result = await handle.result();
    const keys = await suite.db.query<{ key: string; attempts: number }>(`SELECT key, attempts FROM digests WHERE state = 'sent' ORDER BY key`);
    expect(refusedDuringTheHour).toBeGreaterThan(keys.length);
    expect(result.sent).toBe(keys.length);
    expect(suite.smtp.received).toHaveLength(keys.length);
    expect(new Set(suite.smtp.received.map((m) => m.messageId)).size).toBe(keys.length);
    expect(keys.every((k) => k.attempts > 1)).toBe(true);
    assertNoPersonalData(suite.smtp.received);
  });
});
