// Acceptance: on the time-skipping server, a year of the reference plan for the demo unit gives the
// January approval, the sampling rounds, the June follow-up and the October compilation on the
// right business days; nothing is sampled before the unit head approves.
import { readdir } from 'node:fs/promises';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockholmTime } from '../../src/calendar/businessDays.js';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { outboxDir } from '../../src/platform/mail.js';
import { ensureSearchAttributes } from '../../src/platform/searchAttributes.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import type { internalControl } from '../../workflows/index.js';
import { runCycleWorker, testConfig } from '../helpers/cycle.js';
import { freshStore } from '../helpers/store.js';
import { timeSkippingEnvironment } from '../helpers/temporal.js';
import { approvePlanUpdate } from '../../workflows/definitions.js';

const unit = syntheticUnit({ households: 150, seed: 21 });

describe('a year of internal control on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let db: Db;
  let stopWorker: (() => Promise<void>) | undefined;
  let result: { samples: number; reports: number };
  let sampledBeforeApproval: number;

  const local = (column: string) => `to_char(${column} AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD HH24:MI')`;

  beforeAll(async () => {
    [env, db] = await Promise.all([timeSkippingEnvironment(), freshStore('embedded')]);
    await ensureSearchAttributes(env.connection, 'default');
    await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-01-01' });
    stopWorker = await runCycleWorker(env, db, 'ik');
    const handle = await env.client.workflow.start<typeof internalControl>('internalControl', { taskQueue: 'ik', workflowId: 'ik-2027', args: [{ unitId: unit.unit.id, year: 2027 }] });
    // To Tuesday 12 January 2027, noon: the approval has been asked for, and nobody has given it yet.
    await env.sleep(stockholmTime('2027-01-12', 12) - (await env.currentTimeMs()));
    sampledBeforeApproval = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ik_samples'))[0]!.n;
    await expect(handle.executeUpdate(approvePlanUpdate, { args: [{ by: 'bec-01' }] })).rejects.toThrow();
    await handle.executeUpdate(approvePlanUpdate, { args: [{ by: 'ec-01' }] });
    result = await handle.result();
  }, 120_000);
  afterAll(async () => {
    await stopWorker?.();
    await db?.close();
    await env?.teardown();
  });

  it('asks the unit head to approve the plan on the first business day of January, and samples nothing before', async () => {
    expect(sampledBeforeApproval).toBe(0);
    expect(await db.query(`SELECT ${local('requested_at')} AS requested, approved_by, ${local('approved_at')} AS approved FROM ik_plan_approvals`)).toEqual([
      { requested: '2027-01-04 06:30', approved_by: 'ec-01', approved: '2027-01-12 12:00' },
    ]);
  });

  it('samples each control on the first business day of its periods; January right after approval', async () => {
    const samples = await db.query<{ control_id: string; period: string; taken: string }>(`SELECT control_id, period, ${local('taken_at')} AS taken FROM ik_samples ORDER BY control_id, period`);
    const payout = samples.filter((s) => s.control_id === 'payout-sample');
    expect(payout.map((s) => [s.period, s.taken])).toEqual([
      ['2027-01', '2027-01-12 12:00'], ['2027-02', '2027-02-01 06:30'], ['2027-03', '2027-03-01 06:30'], ['2027-04', '2027-04-01 06:30'],
      ['2027-05', '2027-05-03 06:30'], ['2027-06', '2027-06-01 06:30'], ['2027-07', '2027-07-01 06:30'], ['2027-08', '2027-08-02 06:30'],
      ['2027-09', '2027-09-01 06:30'], ['2027-10', '2027-10-01 06:30'], ['2027-11', '2027-11-01 06:30'], ['2027-12', '2027-12-01 06:30'],
    ]);
    expect(samples.filter((s) => s.control_id === 'four-eyes').map((s) => [s.period, s.taken])).toEqual([
      ['2027-T1', '2027-05-03 06:30'], ['2027-T2', '2027-09-01 06:30'], ['2027-T3', '2028-01-03 06:30'],
    ]);
    expect(samples.filter((s) => s.control_id === 'infotorg-review').map((s) => s.taken)).toEqual(['2027-11-01 06:30']);
    // The file audit in September, before October's compilation; the management's controls are unit tasks, never sampled.
    expect(samples.filter((s) => s.control_id === 'file-audit').map((s) => s.taken)).toEqual(['2027-09-01 06:30']);
    expect(samples.filter((s) => ['lex-sarah-routines', 'budget-check', 'sick-leave-check'].includes(s.control_id))).toEqual([]);
    // No case is drawn twice in the year for the same control while others remain.
    const drawn = (await db.query<{ cases: string[] }>(`SELECT cases FROM ik_samples WHERE control_id = 'payout-sample'`)).flatMap((r) => r.cases);
    expect(new Set(drawn).size).toBe(drawn.length);
    expect(result.samples).toBe(samples.length);
  });

  it('reports the follow-up at the end of June and the compilation at the end of October, mailed as a link', async () => {
    expect(await db.query(`SELECT kind, ${local('created_at')} AS created FROM ik_reports ORDER BY created_at`)).toEqual([
      { kind: 'follow-up', created: '2027-06-30 06:30' },
      { kind: 'compilation', created: '2027-10-29 06:30' },
    ]);
    expect(result.reports).toBe(2);
    const sent = await db.query<{ recipient: string; subject: string; state: string }>(`SELECT recipient, subject, state FROM digests WHERE kind = 'report' ORDER BY subject, recipient`);
    expect(sent).toEqual([
      { recipient: 'bec-01', subject: '[Årshjul] Sammanställning av internkontrollen 2027', state: 'sent' },
      { recipient: 'bec-02', subject: '[Årshjul] Sammanställning av internkontrollen 2027', state: 'sent' },
      { recipient: 'ec-01', subject: '[Årshjul] Sammanställning av internkontrollen 2027', state: 'sent' },
      { recipient: 'bec-01', subject: '[Årshjul] Uppföljning av internkontrollen 2027', state: 'sent' },
      { recipient: 'bec-02', subject: '[Årshjul] Uppföljning av internkontrollen 2027', state: 'sent' },
      { recipient: 'ec-01', subject: '[Årshjul] Uppföljning av internkontrollen 2027', state: 'sent' },
    ]);
    expect((await readdir(outboxDir(testConfig('ik')))).filter((f) => f.includes(':report:') || f.includes('_report_'))).toHaveLength(6);
  });
});
