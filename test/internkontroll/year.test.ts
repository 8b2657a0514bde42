// Acceptance: on the time-skipping server, a year of the reference plan for the demo unit gives the
// January approval, the sampling rounds, the June follow-up and the October compilation on the
// right business days; nothing is sampled before the unit head approves. Acceptance 5 of issue 26:
// the year draws the monthly samples of the access log's records (loggkontroll), each reproducible
// from its seed, reviewed by someone other than the person who made the record, and a deviation
// gives the unit head a corrective action, counted in the June follow-up and told in the digests.
import { readdir } from 'node:fs/promises';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAccesses, type Access } from '../../src/accessLog/log.js';
import { addBusinessDays, stockholmDate, stockholmTime } from '../../src/calendar/businessDays.js';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { controlsOf } from '../../src/internkontroll/plan.js';
import { answerReview, controlStatus } from '../../src/internkontroll/reviews.js';
import { verifySample } from '../../src/internkontroll/samples.js';
import { prepareDigests } from '../../src/notifications/prepare.js';
import { outboxDir } from '../../src/platform/mail.js';
import { ensureSearchAttributes } from '../../src/platform/searchAttributes.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import type { internalControl } from '../../workflows/index.js';
import { runCycleWorker, testConfig } from '../helpers/cycle.js';
import { freshStore } from '../helpers/store.js';
import { timeSkippingEnvironment } from '../helpers/temporal.js';
import { approvePlanUpdate } from '../../workflows/definitions.js';
import { referencePack } from '../helpers/rules.js';

const unit = syntheticUnit({ households: 150, seed: 21 });

/**
 * A year of the access log: thirty case views a month by caseworkers and heads, two sign-ins (no
 * case, never sampled), and records either side of each year's edge and of January's last minute.
 */
function accessesOf2027(): Omit<Access, 'unitId'>[] {
  const people = ['ss-01', 'ss-02', 'ss-03', 'bh-01', 'bh-02', 'bec-01', 'bec-02', 'ec-01'];
  const at = (date: string, hour: number, minute = 0) => new Date(stockholmTime(date, hour, minute));
  const view = (staffId: string, caseIndex: number, when: Date): Omit<Access, 'unitId'> => ({
    staffId, view: 'task', caseIds: [unit.cases[caseIndex % unit.cases.length]!.caseId], query: 'kontroll=x; månad=y', session: `s-${staffId}`, address: '10.1.2.3', at: when,
  });
  const accesses: Omit<Access, 'unitId'>[] = [view('ss-01', 0, at('2026-12-31', 23, 59)), view('ss-02', 1, at('2028-01-01', 0, 1))];
  for (let m = 1; m <= 12; m++) {
    const month = `2027-${String(m).padStart(2, '0')}`;
    for (let i = 0; i < 30; i++) accesses.push(view(people[(m * 7 + i) % people.length]!, m * 31 + i, at(`${month}-${String(1 + (i % 28)).padStart(2, '0')}`, 8 + (i % 9), i)));
    for (const staffId of ['ss-01', 'bec-01']) accesses.push({ staffId, view: 'sign-in', query: 'lösenord', at: at(`${month}-15`, 7, 55) });
  }
  // January's last minute is January's; February's first, February's.
  accesses.push(view('bh-03', 7, at('2027-01-31', 23, 30)), view('bh-03', 8, at('2027-02-01', 0, 10)));
  return accesses.sort((a, b) => a.at.getTime() - b.at.getTime());
}

describe('a year of internal control on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let db: Db;
  let stopWorker: (() => Promise<void>) | undefined;
  let result: { samples: number; reports: number };
  let sampledBeforeApproval: number;
  /** The access log's records: place, person, Stockholm month, and whether it showed a case. */
  let records: { seq: number; staffId: string | null; month: string; cases: boolean }[];
  /** January's records reviewed on 10 March: one justified, one a deviation. */
  let reviewedInMarch: { justified: string; deviation: { id: string; seq: number; reviewer: string } };

  const local = (column: string) => `to_char(${column} AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD HH24:MI')`;

  beforeAll(async () => {
    [env, db] = await Promise.all([timeSkippingEnvironment(), freshStore('embedded')]);
    await ensureSearchAttributes(env.connection, 'default');
    await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-01-01' });
    records = (await recordAccesses(db, unit.unit.id, accessesOf2027())).map((r) => ({ seq: r.seq, staffId: r.staffId, month: stockholmDate(Date.parse(r.at)).slice(0, 7), cases: r.caseIds.length > 0 }));
    stopWorker = await runCycleWorker(env, db, 'ik');
    const handle = await env.client.workflow.start<typeof internalControl>('internalControl', { taskQueue: 'ik', workflowId: 'ik-2027', args: [{ unitId: unit.unit.id, year: 2027 }] });
    // To Tuesday 12 January 2027, noon: the approval has been asked for, and nobody has given it yet.
    await env.sleep(stockholmTime('2027-01-12', 12) - (await env.currentTimeMs()));
    sampledBeforeApproval = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ik_samples'))[0]!.n;
    await expect(handle.executeUpdate(approvePlanUpdate, { args: [{ by: 'bec-01' }] })).rejects.toThrow();
    await handle.executeUpdate(approvePlanUpdate, { args: [{ by: 'ec-01' }] });
    // To 10 March, noon: January's and February's records are sampled; the reviewer marks two of January's.
    await env.sleep(stockholmTime('2027-03-10', 12) - (await env.currentTimeMs()));
    const january = await db.query<{ id: string; record_seq: number; reviewer: string }>(
      `SELECT id, record_seq, reviewer FROM ik_reviews WHERE sample_id = $1 ORDER BY record_seq`, [`${unit.unit.id}:access-log-review:2027-01`],
    );
    const { checklist } = controlsOf((await referencePack()).plans.find((p) => p.plan.year === 2027)!.plan).find((c) => c.id === 'access-log-review')!;
    const now = new Date(await env.currentTimeMs()).toISOString();
    const [justified, deviating] = [january[0]!, january[1]!];
    expect((await answerReview(db, { reviewId: justified.id, answers: [{ verdict: 'ok' }], by: justified.reviewer, at: now, checklist })).corrective).toBeNull();
    const { corrective } = await answerReview(db, {
      reviewId: deviating.id, answers: [{ verdict: 'deviation', note: 'Ärendet var inte hennes och hon ersatte ingen.' }], by: deviating.reviewer, at: now, checklist,
    });
    expect(corrective).toBe(`${deviating.id}:rättelse`);
    reviewedInMarch = { justified: justified.id, deviation: { id: deviating.id, seq: deviating.record_seq, reviewer: deviating.reviewer } };
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
    // The access log's records of each month on the first business day after it, December's in January.
    expect(samples.filter((s) => s.control_id === 'access-log-review').map((s) => [s.period, s.taken])).toEqual([
      ['2027-01', '2027-02-01 06:30'], ['2027-02', '2027-03-01 06:30'], ['2027-03', '2027-04-01 06:30'], ['2027-04', '2027-05-03 06:30'],
      ['2027-05', '2027-06-01 06:30'], ['2027-06', '2027-07-01 06:30'], ['2027-07', '2027-08-02 06:30'], ['2027-08', '2027-09-01 06:30'],
      ['2027-09', '2027-10-01 06:30'], ['2027-10', '2027-11-01 06:30'], ['2027-11', '2027-12-01 06:30'], ['2027-12', '2028-01-03 06:30'],
    ]);
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

  it('samples ten of each month\'s records that showed cases, and draws each sample again from its seed', async () => {
    const samples = await db.query<{ id: string; period: string; subject: string; population: number[]; records: number[]; cases: string[] }>(
      `SELECT id, period, subject, population, records, cases FROM ik_samples WHERE control_id = 'access-log-review' ORDER BY period`,
    );
    expect(samples).toHaveLength(12);
    for (const sample of samples) {
      // The month's records with cases, by Stockholm's clock: not the sign-ins, not the neighbouring months'.
      expect(sample.population, sample.period).toEqual(records.filter((r) => r.cases && r.month === sample.period).map((r) => r.seq));
      expect(sample.population.length).toBe(sample.period === '2027-01' || sample.period === '2027-02' ? 31 : 30);
      expect(sample.subject).toBe('access-records');
      expect(sample.cases).toEqual([]);
      expect(sample.records).toHaveLength(10);
      expect(sample.records.every((seq) => sample.population.includes(seq))).toBe(true);
      const again = await verifySample(db, sample.id);
      expect([again.ok, again.recomputed]).toEqual([true, sample.records]);
    }
  });

  it('gives each sampled record a review by a deputy head who did not make it, due in twenty business days', async () => {
    const reviews = await db.query<{ record_seq: number; case_id: string | null; reviewer: string; due_on: string; taken: string }>(
      `SELECT r.record_seq, r.case_id, r.reviewer, r.due_on, to_char(s.taken_at AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD') AS taken
       FROM ik_reviews r JOIN ik_samples s ON s.id = r.sample_id WHERE s.control_id = 'access-log-review' ORDER BY r.record_seq`,
    );
    expect(reviews).toHaveLength(120);
    const personOf = new Map(records.map((r) => [r.seq, r.staffId]));
    for (const review of reviews) {
      expect(review.case_id).toBeNull();
      expect(['bec-01', 'bec-02']).toContain(review.reviewer);
      expect(review.reviewer).not.toBe(personOf.get(review.record_seq));
      expect(review.due_on).toBe(addBusinessDays(review.taken, 20));
    }
    // Both deputy heads share them.
    expect(new Set(reviews.map((r) => r.reviewer))).toEqual(new Set(['bec-01', 'bec-02']));
  });

  it('makes a deviation a corrective action for the unit head, counted in the June follow-up, and tells the reviewers and the unit head in their digests', async () => {
    const { id, seq } = reviewedInMarch.deviation;
    const corrective = await db.query<{ deviation: string }>('SELECT assignee, case_id, record_seq, state, due_on, deviation FROM ik_corrective');
    expect(corrective).toEqual([{ assignee: 'ec-01', case_id: null, record_seq: seq, state: 'open', due_on: '2027-03-24', deviation: corrective[0]!.deviation }]);
    expect(corrective[0]!.deviation).toMatch(/^Var åtkomsten befogad.* Ärendet var inte hennes och hon ersatte ingen\.$/);
    const reviewed = await db.query<{ id: string }>(`SELECT id FROM ik_reviews WHERE state = 'reviewed'`);
    expect(reviewed.map((r) => r.id).sort()).toEqual([reviewedInMarch.justified, id].sort());
    const [status] = (await controlStatus(db, unit.unit.id, 2027, '2028-01-10')).filter((s) => s.controlId === 'access-log-review');
    expect(status).toMatchObject({ samples: 12, sampled: 120, reviewed: 2, deviations: 1, deviationRate: 0.5, correctiveOpen: 1, correctiveOverdue: 1 });
    // The June follow-up: five months sampled by then, the deviation and its corrective action overdue.
    const [followUp] = await db.query<{ csv: string }>(`SELECT csv FROM ik_reports WHERE kind = 'follow-up'`);
    expect(followUp!.csv).toContain('Obehörig åtkomst till personuppgifter;10;Loggkontroll: granskning av åtkomst till personuppgifter;sample: poster i åtkomstloggen;5;50;2;1;50 %;1;1;0');
    // The digests: the deputy heads' reviews of the log, the unit head's corrective action; never which record.
    await prepareDigests(db, { unitId: unit.unit.id, date: '2028-01-10', baseUrl: 'http://localhost' });
    const digests = new Map((await db.query<{ recipient: string; text_body: string }>(`SELECT recipient, text_body FROM digests WHERE kind = 'caseworker' AND digest_date = '2028-01-10'`)).map((d) => [d.recipient, d.text_body]));
    expect(digests.get('bec-01')).toMatch(/Försenade granskningar av åtkomstloggen \(loggkontroll\)/);
    expect(digests.get('bec-01')).toMatch(/Granskningar av åtkomstloggen \(loggkontroll\)/);
    expect(digests.get('ec-01')).toMatch(/Försenade rättelser efter loggkontrollen/);
    expect(digests.get('ec-01')).not.toMatch(/nr \d|post-/);
  });
});
