// The demo's internal control so far, for a year whose plan is in the rules (2027 here, to the end
// of June): approved in January, each sample on its day, reviews and their deviations, corrective
// actions, analyses and the June follow-up, in time order and the same every time; and the year's
// workflow, started afterwards as the worker starts it, goes on without asking for the approval
// again and draws no sample twice.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { backfillInternalControl, type PastInternalControl } from '../../src/demo/pastInternalControl.js';
import { yearSteps } from '../../src/internkontroll/year.js';
import { plan as planTasks } from '../../src/planner/plan.js';
import { ensureSearchAttributes } from '../../src/platform/searchAttributes.js';
import type { RulePack } from '../../src/rules/load.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { recordPack } from '../../src/store/rulePacks.js';
import { insertTasks } from '../../src/store/tasks.js';
import type { internalControl } from '../../workflows/index.js';
import { runCycleWorker } from '../helpers/cycle.js';
import { referencePack } from '../helpers/rules.js';
import { freshStore } from '../helpers/store.js';
import { timeSkippingEnvironment } from '../helpers/temporal.js';

const unit = syntheticUnit({ households: 150, seed: 21, year: 2027 });
const until = '2027-07-01';
const local = (column: string) => `to_char(${column} AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD HH24:MI')`;

/** A store with the unit and its year of tasks (the round reviews sample cases that had a task), then its internal control to `until`. */
async function demoStore(pack: RulePack): Promise<{ db: Db; result: PastInternalControl }> {
  const db = await freshStore('embedded');
  await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-01-01' });
  await db.transaction(async (tx) => {
    await recordPack(tx, pack);
    await insertTasks(tx, planTasks({ caseFile: unit, pack, from: '2027-01', to: '2027-12' }));
  });
  const plan = pack.plans.find((p) => p.plan.year === 2027)!.plan;
  return { db, result: await backfillInternalControl(db, { unitId: unit.unit.id, plan, until }) };
}

/** What the internal control wrote, without the random page references. */
const written = (db: Db) =>
  db.query<{ id: string; case_id: string | null; taken: string; state: string | null; reviewed: string; reviewed_by: string | null; corrective: string | null; assignee: string | null; corrective_state: string | null; closed: string }>(`SELECT s.id, s.cases, ${local('s.taken_at')} AS taken, r.case_id, r.state, r.answers, r.reviewed_by, ${local('r.reviewed_at')} AS reviewed,
                   c.id AS corrective, c.assignee, c.state AS corrective_state, ${local('c.closed_at')} AS closed
            FROM ik_samples s LEFT JOIN ik_reviews r ON r.sample_id = s.id LEFT JOIN ik_corrective c ON c.review_id = r.id ORDER BY s.id, r.case_id`);

describe('the demo year\'s internal control', () => {
  let pack: RulePack;
  let db: Db;
  let result: PastInternalControl;

  beforeAll(async () => {
    pack = await referencePack();
    ({ db, result } = await demoStore(pack));
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it('approves the plan in January and takes every sample on its day up to today, none after', async () => {
    expect(await db.query(`SELECT ${local('requested_at')} AS requested, approved_by, ${local('approved_at')} AS approved FROM ik_plan_approvals`)).toEqual([
      { requested: '2027-01-04 06:30', approved_by: 'ec-01', approved: '2027-01-04 10:00' },
    ]);
    const plan = pack.plans.find((p) => p.plan.year === 2027)!.plan;
    const due = yearSteps(plan).filter((s) => s.kind === 'sample' && s.date < until);
    const samples = await db.query<{ control_id: string; period: string; taken: string }>(`SELECT control_id, period, ${local('taken_at')} AS taken FROM ik_samples ORDER BY taken_at, control_id`);
    expect(samples.map((s) => [s.control_id, s.period, s.taken])).toEqual(due.map((s) => s.kind === 'sample' && [s.controlId, s.period, `${s.date} 06:30`]));
    expect(samples.filter((s) => s.control_id === 'payout-sample').map((s) => s.period)).toEqual(['2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06']);
    expect(result.samples).toBe(samples.length);
  });

  it('reviews the sampled cases after their sample and before today, with a deviation now and then and its corrective action, most of them closed', async () => {
    const rows = await written(db);
    const reviewed = rows.filter((r) => r.state === 'reviewed');
    expect(reviewed.length).toBe(result.reviews);
    expect(reviewed.length).toBeGreaterThan(0.9 * rows.length);
    for (const r of reviewed) {
      expect(r.reviewed > r.taken && r.reviewed < until, `${r.id} ${r.case_id}`).toBe(true);
      expect(r.reviewed_by).toBe('bec-01');
    }
    const corrective = rows.filter((r) => r.corrective !== null);
    expect(corrective.length).toBe(result.deviations);
    expect(result.deviations).toBeGreaterThan(0);
    const closed = corrective.filter((r) => r.corrective_state === 'closed');
    expect(closed.length).toBe(result.closed);
    expect(closed.length).toBeGreaterThan(0);
    // The case's own socialsekreterare puts it right, after the review and before today.
    for (const r of closed) {
      expect(r.assignee).toBe(unit.cases.find((c) => c.caseId === r.case_id)!.socialsekreterare);
      expect(r.closed > r.reviewed && r.closed < until).toBe(true);
    }
  });

  it('writes the analysis of every round finished before the follow-up, and the follow-up at the end of June', async () => {
    expect(await db.query(`SELECT kind, ${local('created_at')} AS created FROM ik_reports`)).toEqual([{ kind: 'follow-up', created: '2027-06-30 06:30' }]);
    const analyses = await db.query<{ written: string }>(`SELECT ${local('written_at')} AS written FROM ik_analyses`);
    expect(analyses.length).toBe(result.analyses);
    expect(result.analyses).toBeGreaterThan(0);
    expect(analyses.every((a) => a.written < '2027-06-30 06:30')).toBe(true);
    // Each after its round's last review.
    const late = await db.query(`SELECT a.sample_id FROM ik_analyses a JOIN ik_reviews r ON r.sample_id = a.sample_id GROUP BY a.sample_id, a.written_at HAVING max(r.reviewed_at) >= a.written_at`);
    expect(late).toEqual([]);
    // Each says what its round found: deviations only where a review found one, and how many.
    const said = await db.query<{ text: string; deviations: number }>(
      `SELECT a.text, (SELECT count(DISTINCT c.review_id)::int FROM ik_corrective c JOIN ik_reviews r ON r.id = c.review_id WHERE r.sample_id = a.sample_id) AS deviations FROM ik_analyses a`);
    for (const { text, deviations } of said) {
      if (deviations === 0) expect(text).toContain('alla utan anmärkning');
      else expect(text).toContain(`${deviations} med avvikelse`);
    }
  });

  it('is the same every time', async () => {
    const again = await demoStore(pack);
    try {
      expect(again.result).toEqual(result);
      expect(await written(again.db)).toEqual(await written(db));
    } finally {
      await again.db.close();
    }
  }, 120_000);

  it('lets the year\'s workflow, started afterwards, go on without a second approval and keep the samples taken', async () => {
    const before = await db.query(`SELECT id, cases, taken_at FROM ik_samples ORDER BY id`);
    const env: TestWorkflowEnvironment = await timeSkippingEnvironment();
    let stop: (() => Promise<void>) | undefined;
    try {
      await ensureSearchAttributes(env.connection, 'default');
      stop = await runCycleWorker(env, db, 'ik-demo');
      // No approval update is sent: the plan is approved already, so the year runs to its end.
      const done = await env.client.workflow.execute<typeof internalControl>('internalControl', { taskQueue: 'ik-demo', workflowId: 'ik-demo-2027', args: [{ unitId: unit.unit.id, year: 2027 }] });
      const plan = pack.plans.find((p) => p.plan.year === 2027)!.plan;
      expect(done.samples).toBe(yearSteps(plan).filter((s) => s.kind === 'sample').length);
      const after = await db.query(`SELECT id, cases, taken_at FROM ik_samples ORDER BY id`);
      expect(after.slice(0, before.length).length).toBe(before.length);
      expect(after.filter((s) => before.some((b) => b.id === s.id))).toEqual(before);
      expect(await db.query('SELECT approved_by FROM ik_plan_approvals')).toEqual([{ approved_by: 'ec-01' }]);
    } finally {
      await stop?.();
      await env.teardown();
    }
  }, 180_000);
});
