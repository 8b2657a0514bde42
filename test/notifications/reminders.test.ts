// A rule's reminder setting reaches the person: the day's sweep records each task's reminder day
// from the rule's `round.remindBusinessDaysBefore`, and that event is what puts the task under
// "Sista dag snart" in the digest. A real SMTP server receives the digests; the month runs on the
// time-skipping server, each day's sweep at 06:00 and digests at 07:00 as the schedules start them.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockholmTime } from '../../src/calendar/businessDays.js';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { ensureSearchAttributes } from '../../src/platform/searchAttributes.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import type { digests, sweep } from '../../workflows/index.js';
import { createWorker, depsFor } from '../../worker/index.js';
import { testConfig } from '../helpers/cycle.js';
import { parameterFiles, testRule } from '../helpers/rules.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { freshStore } from '../helpers/store.js';
import { timeSkippingEnvironment } from '../helpers/temporal.js';

const unit = syntheticUnit({ households: 12, seed: 7 });
const taskQueue = 'reminders';
// Both due on the last business day of May 2027, Monday the 31st.
const rules = [
  testRule({ id: 'remind-two', title: 'Påminns två dagar före', when: { months: [5] }, round: { remindBusinessDaysBefore: 2 } }),
  testRule({ id: 'remind-default', title: 'Påminns fem dagar före', when: { months: [5] } }),
];

describe('a rule that reminds two business days before the due date', () => {
  let env: TestWorkflowEnvironment;
  let db: Db;
  let smtp: TestSmtp;
  let stopWorker: () => Promise<void>;

  /** The unit's day: its sweep at 06:00 (tasks and the rounds' steps), its digests at 07:00; the mails that day brought. */
  async function digestsOn(date: string): Promise<ParsedMail[]> {
    // A plain client: time stands still while the sweep and the digests run (the time-skipping
    // client would let the server jump ahead meanwhile).
    const client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
    await env.sleep(stockholmTime(date, 6, 0) - (await env.currentTimeMs()));
    await client.workflow.execute<typeof sweep>('sweep', { taskQueue, workflowId: `sweep-${date}`, args: [{ unitId: unit.unit.id, date }] });
    await env.sleep(stockholmTime(date, 7, 0) - (await env.currentTimeMs()));
    const before = smtp.received.length;
    await client.workflow.execute<typeof digests>('digests', { taskQueue, workflowId: `digests-${date}`, args: [{ unitId: unit.unit.id, date }] });
    return smtp.received.slice(before).filter((m) => m.subject?.includes('Dina kontrolluppgifter'));
  }

  const dueSoon = (mail: ParsedMail) => /Sista dag snart\n((?: {2}- .*\n)*)/.exec(mail.text ?? '')?.[1] ?? '';

  beforeAll(async () => {
    const rulesDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-rules-'));
    await mkdir(path.join(rulesDir, 'test'));
    for (const rule of rules) await writeFile(path.join(rulesDir, 'test', `${rule.id}.json`), JSON.stringify(rule));
    // The dated parameters every case's facts read.
    await mkdir(path.join(rulesDir, 'parameters'));
    for (const file of parameterFiles()) await writeFile(path.join(rulesDir, 'parameters', path.basename(file.path)), file.text);
    [env, db, smtp] = await Promise.all([timeSkippingEnvironment(), freshStore('embedded'), startSmtp()]);
    await ensureSearchAttributes(env.connection, 'default');
    await importCaseFile(db, unit, { fileName: 'demo', fileHash: 'demo', importedBy: 'test', full: false, exportDate: '2027-05-03' });
    const worker = await createWorker(env.nativeConnection, 'default', { ...depsFor(testConfig(taskQueue, smtp.env), db, env.client), rulesDir });
    const running = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await running;
    };
    await env.sleep(stockholmTime('2027-05-03', 6, 0) - (await env.currentTimeMs()));
    // A plain client here too: the time-skipping one would let the server jump years ahead, to a
    // finished workflow's run timeout, while it waits for the result.
    const client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
    await client.workflow.execute<typeof sweep>('sweep', { taskQueue, workflowId: 'sweep-may', args: [{ unitId: unit.unit.id, date: '2027-05-03' }] });
  }, 120_000);
  afterAll(async () => {
    await stopWorker?.();
    await db?.close();
    await smtp?.close();
    await env?.teardown();
  });

  it('puts its tasks under "Sista dag snart" two business days before, not five', async () => {
    const tasks = await db.query<{ email: string; n: number }>(
      `SELECT s.email, count(*)::int AS n FROM tasks t JOIN staff s ON s.unit_id = t.unit_id AND s.id = t.assignee
       WHERE t.rule_id = 'remind-two' AND t.due_on = '2027-05-31' GROUP BY s.email ORDER BY s.email`,
    );
    expect(tasks.length).toBeGreaterThan(1);

    // Monday 24 May, five business days before: the default rule's tasks only.
    const monday = await digestsOn('2027-05-24');
    expect(monday.map((m) => (m.to as { text: string }).text).sort()).toEqual(tasks.map((t) => t.email));
    for (const { email, n } of tasks) {
      const soon = dueSoon(monday.find((m) => (m.to as { text: string }).text === email)!);
      expect(soon).toBe(`  - Påminns fem dagar före: ${n} st, sista dag 2027-05-31\n`);
    }

    // Wednesday 26 May, three business days before: still not the two-day rule.
    for (const mail of await digestsOn('2027-05-26')) expect(dueSoon(mail)).not.toContain('Påminns två dagar före');

    // Thursday 27 May, two business days before: now both.
    const thursday = await digestsOn('2027-05-27');
    for (const { email, n } of tasks) {
      const soon = dueSoon(thursday.find((m) => (m.to as { text: string }).text === email)!);
      expect(soon).toContain(`  - Påminns två dagar före: ${n} st, sista dag 2027-05-31\n`);
      expect(soon).toContain(`  - Påminns fem dagar före: ${n} st, sista dag 2027-05-31\n`);
    }
    const reminders = await db.query<{ rule_id: string; at: string }>(
      `SELECT DISTINCT t.rule_id, (e.at AT TIME ZONE 'Europe/Stockholm')::date::text AS at FROM task_events e JOIN tasks t ON t.task_id = e.task_id
       WHERE e.kind = 'reminder-due' ORDER BY t.rule_id`,
    );
    expect(reminders).toEqual([{ rule_id: 'remind-default', at: '2027-05-24' }, { rule_id: 'remind-two', at: '2027-05-27' }]);
  });
});
