// The demo's year as `npm start` makes it (a smaller unit, the same proportions), to a Monday in
// December 2026: a well-run unit, where no caseworker has more than a fifth of the year's tasks
// overdue and the unit at most 5 %, most done on time, a few late and a few left open; internal
// control for 2026 from the demo unit's own plan, with samples, reviews and corrective actions; the
// first digest after it calls new only what is new; and the year's internal-control workflow,
// started afterwards as the worker starts it, goes on without redrawing a sample or remaking a report.
// Overdue and on time are recounted here from the task events, and held to the rows' states.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockholmDate, subtractBusinessDays } from '../../src/calendar/businessDays.js';
import { loadDemo } from '../../src/cli/demo.js';
import { backfillYear, type PastYear } from '../../src/demo/pastYear.js';
import { planFor } from '../../src/internkontroll/plan.js';
import { prepareDigests } from '../../src/notifications/prepare.js';
import { ensureSearchAttributes } from '../../src/platform/searchAttributes.js';
import { rulesDir } from '../../src/platform/paths.js';
import { readRuleFiles } from '../../src/rules/files.js';
import type { RulePack } from '../../src/rules/load.js';
import type { Db } from '../../src/store/db.js';
import { usablePack } from '../../src/store/rulePacks.js';
import type { internalControl } from '../../workflows/index.js';
import { runCycleWorker } from '../helpers/cycle.js';
import { freshStore } from '../helpers/store.js';
import { timeSkippingEnvironment } from '../helpers/temporal.js';

const unitId = 'demo-eb';
const until = '2026-12-07';
const caseworkerRoles = ['socialsekreterare', 'bidragshandlaggare'];

interface Recount {
  assignee: string | null;
  role: string | null;
  dueOn: string;
  /** Where the events leave the task at the end of the backfill. */
  state: 'open' | 'awaiting-sign-off' | 'done' | 'cancelled';
  /** The Stockholm day it was last closed, if it is. */
  closedOn?: string;
}

/** Each task of the year as its events leave it: created, completed (awaiting a second signature where the rule wants one), signed off, not applicable, cancelled, reopened. */
async function recount(db: Db, pack: RulePack): Promise<Map<string, Recount>> {
  const signOff = new Set(pack.rules.filter((r) => r.rule.completion.secondSignOff).map((r) => r.rule.id));
  const tasks = await db.query<{ task_id: string; rule_id: string; assignee: string | null; role: string | null; due_on: string }>(
    `SELECT t.task_id, t.rule_id, t.assignee, s.role, t.due_on FROM tasks t LEFT JOIN staff s ON s.unit_id = t.unit_id AND s.id = t.assignee
     WHERE t.unit_id = $1 AND left(t.period, 4) = '2026'`,
    [unitId],
  );
  const byId = new Map<string, Recount>(tasks.map((t) => [t.task_id, { assignee: t.assignee, role: t.role, dueOn: t.due_on, state: 'open' }]));
  const ruleOf = new Map(tasks.map((t) => [t.task_id, t.rule_id]));
  const events = await db.query<{ task_id: string; kind: string; at: string }>(`SELECT task_id, kind, at FROM task_events ORDER BY id`);
  for (const e of events) {
    const task = byId.get(e.task_id);
    if (!task) continue;
    const closed = (state: Recount['state']) => Object.assign(task, { state, closedOn: stockholmDate(Date.parse(e.at)) });
    if (e.kind === 'created' || e.kind === 'reopened') Object.assign(task, { state: 'open', closedOn: undefined });
    else if (e.kind === 'completed' || e.kind === 'not-applicable') closed(signOff.has(ruleOf.get(e.task_id)!) ? 'awaiting-sign-off' : 'done');
    else if (e.kind === 'signed-off') closed('done');
    else if (e.kind === 'cancelled') closed('cancelled');
  }
  return byId;
}

const overdue = (t: Recount) => (t.state === 'open' || t.state === 'awaiting-sign-off') && t.dueOn < until;

describe('the demo\'s year to December 2026', () => {
  let db: Db;
  let pack: RulePack;
  let year: PastYear;
  let tasks: Map<string, Recount>;

  beforeAll(async () => {
    db = await freshStore('embedded');
    // As `npm start` loads it: the demo unit drawn around 1 January 2026, its year run day by day.
    await loadDemo(db, 160, 2027, 2026);
    ({ pack } = await usablePack(db, await readRuleFiles(rulesDir)));
    year = await backfillYear(db, { unitId, pack, until });
    tasks = await recount(db, pack);
  }, 600_000);
  afterAll(async () => {
    await db?.close();
  });

  it('leaves no caseworker with more than a fifth of the year\'s tasks overdue, and the unit at most 5 %', async () => {
    const year = [...tasks.values()].filter((t) => t.state !== 'cancelled');
    expect(year.length).toBeGreaterThan(2000);
    // The recount from the events agrees with the rows' states.
    const [rows] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM tasks WHERE unit_id = $1 AND left(period, 4) = '2026' AND state IN ('open', 'awaiting-sign-off') AND due_on < $2::date`,
      [unitId, until],
    );
    const late = year.filter(overdue);
    expect(late.length).toBe(rows!.n);
    expect(late.length).toBeGreaterThan(0);
    expect(late.length / year.length).toBeLessThanOrEqual(0.05);

    const people = new Map<string, { all: number; overdue: number }>();
    for (const t of year.filter((t) => caseworkerRoles.includes(t.role ?? ''))) {
      const person = people.get(t.assignee!) ?? { all: 0, overdue: 0 };
      person.all++;
      if (overdue(t)) person.overdue++;
      people.set(t.assignee!, person);
    }
    // Every caseworker of the unit has tasks, and none is more than a fifth behind.
    expect(people.size).toBe(29);
    for (const [person, { all, overdue }] of people) expect(overdue / all, `${person}: ${overdue} of ${all}`).toBeLessThanOrEqual(0.2);
  });

  it('has most tasks done on time, a few done late and a few left open, and the last days\' not yet due', () => {
    const due = [...tasks.values()].filter((t) => t.state !== 'cancelled' && t.dueOn < until);
    const onTime = due.filter((t) => t.state === 'done' && t.closedOn! <= t.dueOn).length;
    const doneLate = due.filter((t) => t.state === 'done' && t.closedOn! > t.dueOn).length;
    const open = due.filter(overdue).length;
    expect(onTime / due.length).toBeGreaterThan(0.8);
    expect(doneLate / due.length).toBeGreaterThan(0.03);
    expect(doneLate / due.length).toBeLessThan(0.2);
    expect(open).toBeGreaterThan(0);
    // What is not yet due may well be open: that is no delay.
    expect([...tasks.values()].some((t) => t.state === 'open' && t.dueOn >= until)).toBe(true);
  });

  it('runs internal control for 2026 from the demo unit\'s own plan: samples, reviews and corrective actions', async () => {
    expect(planFor(pack.plans, 2026, unitId)!.units).toEqual([unitId]);
    expect(planFor(pack.plans, 2026, 'another-eb')).toBeUndefined();
    const [ik] = await db.query<{ samples: number; reviewed: number; corrective: number; analyses: number; reports: number; approved: string | null }>(
      `SELECT (SELECT count(*)::int FROM ik_samples WHERE unit_id = $1 AND plan_year = 2026) AS samples,
              (SELECT count(*)::int FROM ik_reviews r JOIN ik_samples s ON s.id = r.sample_id WHERE s.unit_id = $1 AND s.plan_year = 2026 AND r.state = 'reviewed') AS reviewed,
              (SELECT count(*)::int FROM ik_corrective c JOIN ik_reviews r ON r.id = c.review_id JOIN ik_samples s ON s.id = r.sample_id WHERE s.unit_id = $1 AND s.plan_year = 2026) AS corrective,
              (SELECT count(*)::int FROM ik_analyses) AS analyses,
              (SELECT count(*)::int FROM ik_reports WHERE unit_id = $1 AND plan_year = 2026) AS reports,
              (SELECT approved_by FROM ik_plan_approvals WHERE unit_id = $1 AND plan_year = 2026) AS approved`,
      [unitId],
    );
    expect(ik).toEqual({
      samples: year.internalControl!.samples, reviewed: year.internalControl!.reviews, corrective: year.internalControl!.deviations,
      analyses: year.internalControl!.analyses, reports: 2, approved: 'ec-01',
    });
    expect(ik!.samples).toBeGreaterThan(20);
    expect(ik!.reviewed).toBeGreaterThan(100);
    expect(ik!.corrective).toBeGreaterThanOrEqual(1);
    expect(ik!.analyses).toBeGreaterThan(0);
  });

  it('calls new in the first digest after it only what the day brought, and escalates to each deputy head their own caseworkers\' tasks', async () => {
    await prepareDigests(db, { unitId, date: until, baseUrl: 'http://localhost:3000' });
    const digests = await db.query<{ recipient: string; kind: string; text_body: string }>('SELECT recipient, kind, text_body FROM digests WHERE digest_date = $1::date', [until]);
    const personal = digests.filter((d) => d.kind === 'caseworker');
    expect(personal.length).toBeGreaterThan(10);
    // Made since the business day before today: nothing, since the backfill ends yesterday and today's sweep has not run.
    const [made] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM tasks WHERE unit_id = $1 AND (created_at AT TIME ZONE 'Europe/Stockholm')::date > $2::date`,
      [unitId, subtractBusinessDays(until, 1)],
    );
    expect(made!.n).toBe(0);
    expect(personal.filter((d) => d.text_body.includes('Nya uppgifter')).map((d) => d.recipient)).toEqual([]);

    const expected = await db.query<{ deputy: string; n: number }>(
      `SELECT s.reports_to AS deputy, count(*)::int AS n FROM tasks t JOIN staff s ON s.unit_id = t.unit_id AND s.id = t.assignee
       WHERE t.unit_id = $1 AND t.state IN ('open', 'awaiting-sign-off') AND t.case_id IS NOT NULL AND s.role = ANY($2::text[])
         AND EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.task_id AND e.kind = 'escalation-due')
       GROUP BY 1 ORDER BY 1`,
      [unitId, caseworkerRoles],
    );
    const escalations = digests.filter((d) => d.kind === 'escalation');
    expect(escalations.map((d) => d.recipient).sort()).toEqual(expected.map((e) => e.deputy));
    for (const { deputy, n } of expected) {
      expect(escalations.find((d) => d.recipient === deputy)!.text_body).toMatch(new RegExp(`^${n} kontrolluppgift(er)? hos dina handläggare`, 'm'));
    }
  });

  it('lets the 2026 internal-control workflow, started afterwards, go on without a second approval, a redrawn sample or a remade report', async () => {
    const samples = await db.query(`SELECT id, cases, taken_at FROM ik_samples WHERE plan_year = 2026 ORDER BY id`);
    const reports = await db.query(`SELECT id, created_at, html FROM ik_reports ORDER BY id`);
    const env: TestWorkflowEnvironment = await timeSkippingEnvironment();
    let stop: (() => Promise<void>) | undefined;
    try {
      await ensureSearchAttributes(env.connection, 'default');
      stop = await runCycleWorker(env, db, 'demo-year');
      // No approval is sent: the backfill's approval holds, and the year runs to its end (January's T3 samples).
      const done = await env.client.workflow.execute<typeof internalControl>('internalControl', { taskQueue: 'demo-year', workflowId: 'demo-year-ik-2026', args: [{ unitId, year: 2026 }] });
      expect(done.reports).toBe(2);
      const after = await db.query(`SELECT id, cases, taken_at FROM ik_samples WHERE plan_year = 2026 ORDER BY id`);
      expect(after.filter((s) => samples.some((b) => (b as { id: string }).id === (s as { id: string }).id))).toEqual(samples);
      expect(await db.query(`SELECT id, created_at, html FROM ik_reports ORDER BY id`)).toEqual(reports);
      expect(await db.query(`SELECT count(*)::int AS n FROM digests WHERE kind = 'report'`)).toEqual([{ n: 0 }]);
      expect(await db.query('SELECT approved_by FROM ik_plan_approvals WHERE plan_year = 2026')).toEqual([{ approved_by: 'ec-01' }]);
    } finally {
      await stop?.();
      await env.teardown();
    }
  }, 300_000);
});
