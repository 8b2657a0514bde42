// Acceptance (issue 25, 1), the other way a past is made: missed days run by a backfill of the
// unit's Temporal schedule (`arshjul backfill`) on the dev server. The tasks carry the days they
// were scheduled for, so a tertial report as of a moment in the backfilled weeks counts what was
// true then, and equals the recount from the events.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBusinessDay, stockholmIso } from '../../src/calendar/businessDays.js';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { backfillCommand } from '../../src/cli/cycle.js';
import { loadConfig } from '../../src/platform/config.js';
import { reconcileSchedules } from '../../src/platform/schedules.js';
import { ensureSearchAttributes } from '../../src/platform/searchAttributes.js';
import { workflowIds } from '../../src/platform/workflowIds.js';
import { recountFromEvents } from '../../src/reports/eventRecount.js';
import { parseReportPeriod } from '../../src/reports/period.js';
import { compareWithRecount, describeDifference } from '../../src/reports/recount.js';
import { storedReports, storeReportVersion } from '../../src/reports/tertialReport.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { completeTask } from '../../src/tasks/lifecycle.js';
import { runCycleWorker } from '../helpers/cycle.js';
import { referencePack } from '../helpers/rules.js';
import { freshStore } from '../helpers/store.js';
import { localEnvironment } from '../helpers/temporal.js';

// A year already past by the real clock: tasks stamped with the clock of the backfill would all be
// "created" after the report's moment.
const year = 2026;
const unit = syntheticUnit({ households: 30, seed: 17, year, unitId: 'backfill-report' });
const unitId = unit.unit.id;
const t1 = parseReportPeriod(`${year}-T1`);
const from = `${year}-01-01`;
const to = `${year}-02-06`;
/** The report's moment: after the sweep of Thursday 29 January, before Friday's. */
const asOf = stockholmIso(`${year}-01-29`, 15);

function weekdays(first: string, last: string): string[] {
  const days: string[] = [];
  for (let d = new Date(`${first}T12:00:00Z`); d.toISOString().slice(0, 10) <= last; d.setUTCDate(d.getUTCDate() + 1)) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

describe('a report of weeks run by a backfill of the Temporal schedule', () => {
  let env: TestWorkflowEnvironment;
  let db: Db;
  let stopWorker: (() => Promise<void>) | undefined;
  const taskQueue = 'report-backfill';

  beforeAll(async () => {
    [env, db] = await Promise.all([localEnvironment(), freshStore('embedded')]);
    await ensureSearchAttributes(env.connection, 'default');
    await importCaseFile(db, unit, { fileName: 'b', fileHash: 'b', importedBy: 'test', full: false, exportDate: from });
    stopWorker = await runCycleWorker(env, db, taskQueue);
    await reconcileSchedules(env.client, { taskQueue }, [unitId]);
    const config = loadConfig({ TEMPORAL_ADDRESS: env.connection.options.address, ARSHJUL_TASK_QUEUE: taskQueue });
    expect(await backfillCommand(config, { unit: unitId, from, to })).toContain('är beställd');
    // The schedule fires on every weekday (the sweep skips the holidays), one after the other.
    const fires = weekdays(from, to).length;
    const schedule = env.client.schedule.getHandle(workflowIds.sweepSchedule(unitId));
    for (let i = 0; i < 1200; i++) {
      const { info } = await schedule.describe();
      if (info.numActionsTaken >= fires && info.runningActions.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect((await schedule.describe()).info.numActionsTaken).toBe(fires);

    // The people's work: every other task of January done on its due day (the history's time, as
    // the web app stamps it when done), all of them after the sweep that made them.
    const pack = await referencePack();
    const january = await db.query<{ task_id: string; rule_id: string; due_on: string; assignee: string | null }>(
      `SELECT task_id, rule_id, due_on::text, assignee FROM tasks WHERE unit_id = $1 AND period = $2 AND assignee IS NOT NULL ORDER BY task_id`, [unitId, `${year}-01`],
    );
    for (const task of january.filter((_, i) => i % 2 === 0)) {
      const rule = pack.rules.find((r) => r.rule.id === task.rule_id)!.rule;
      await completeTask(db, { taskId: task.task_id, outcome: rule.completion.outcomes[0]!.id, note: 'Kontrollerat.', actor: task.assignee!, at: stockholmIso(task.due_on, 10) });
    }
    await storeReportVersion(db, { unitId, period: t1, version: 1, asOf, at: asOf });
  }, 600_000);
  afterAll(async () => {
    await stopWorker?.();
    await db?.close();
    await env?.teardown();
  });

  it('creates each task at 06:00 on the business day its sweep was scheduled for', async () => {
    const created = await db.query<{ day: string; n: number }>(
      `SELECT to_char(e.at AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD HH24:MI') AS day, count(*)::int AS n FROM task_events e JOIN tasks t USING (task_id)
       WHERE t.unit_id = $1 AND e.kind = 'created' GROUP BY 1 ORDER BY 1`, [unitId],
    );
    expect(created.length).toBeGreaterThan(1);
    for (const { day } of created) {
      expect(day.slice(11)).toBe('06:00');
      expect(day.slice(0, 10) >= from && day.slice(0, 10) <= to && isBusinessDay(day.slice(0, 10)), day).toBe(true);
    }
  });

  it('stores a report as of a moment in the backfilled weeks that equals the events replayed to it, and is not empty', async () => {
    const [stored] = await storedReports(db, unitId, t1.id);
    const recounted = await recountFromEvents(db, { unitId, period: t1, asOf: stored!.asOf });
    expect(compareWithRecount(stored!.figures.completion, recounted).map(describeDifference)).toEqual([]);
    const january = stored!.figures.completion.controls.flatMap((c) => c.months).filter((m) => m.month === `${year}-01`);
    expect(january.reduce((sum, m) => sum + m.total, 0)).toBeGreaterThan(20);
    expect(january.reduce((sum, m) => sum + m.done, 0)).toBeGreaterThan(0);
    // Created by the moment, by the store's own reckoning: no task of a later sweep.
    const [{ n }] = (await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM tasks t WHERE unit_id = $1 AND period BETWEEN $2 AND $3 AND state <> 'cancelled'
       AND EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.task_id AND e.kind = 'created' AND e.at <= $4::timestamptz)`,
      [unitId, `${year}-01`, `${year}-04`, asOf],
    )) as [{ n: number }];
    expect(recounted.reduce((sum, c) => sum + c.total, 0)).toBe(n);
  });
});
