// The tally of tasks (migration 016) on both engines: after every kind of write the lifecycle and
// the sweep make, it equals a count of the tasks themselves; and the completion as of any moment,
// which starts from the tally, equals the same figures read from the events alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { plan } from '../../src/planner/plan.js';
import { completionAsOf, completionNow } from '../../src/reports/completion.js';
import { epochMicros } from '../../src/reports/eventRecount.js';
import { recountOnTime } from '../../src/reports/recount.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db, Queryable } from '../../src/store/db.js';
import { recordPack } from '../../src/store/rulePacks.js';
import { taskHistories } from '../../src/store/taskEvents.js';
import { cancelOpenTasksOfCases, findTask, insertTasks, listTasks, onTimeCountsAsOf, type TaskRow } from '../../src/store/tasks.js';
import { applyTaskAction, type TaskAction } from '../../src/tasks/lifecycle.js';
import { packOf, testRule } from '../helpers/rules.js';
import { engines, freshStore } from '../helpers/store.js';

const unit = syntheticUnit({ households: 40, seed: 17 });
const rule = (id: string, secondSignOff: boolean) =>
  testRule({ id, assignee: { role: 'bidragshandlaggare' }, completion: { outcomes: [{ id: 'ok', label: 'Utan anmärkning' }], secondSignOff } });
const pack = packOf([rule('one-person', false), rule('two-person', true)]);
const bh = unit.staff.filter((s) => s.role === 'bidragshandlaggare').map((s) => s.id).sort();
const head = unit.staff.find((s) => s.role === 'bitradande-enhetschef')!.id;

/** An action without its moment: the test gives each its own. */
type Undated = { [K in TaskAction['kind']]: Omit<Extract<TaskAction, { kind: K }>, 'at'> }[TaskAction['kind']];

/** The tally's non-zero counts, and the same counted from the tasks. */
const tally = (db: Queryable) =>
  db.query(`SELECT unit_id, period, rule_id, rule_version, create_on, due_on, assignee, state, n FROM task_tally WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`);
const recount = (db: Queryable) =>
  db.query(`SELECT unit_id, period, rule_id, rule_version, create_on, due_on, coalesce(assignee, '') AS assignee, state, count(*)::int AS n
            FROM tasks GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`);

/** The completion as of a moment read from the events alone, task by task: the figures before the tally, kept as the oracle. */
const fromEvents = (db: Queryable, input: { unitId: string; asOf: string; asOfDate: string }) =>
  db.query<{ ruleId: string; month: string; state: string; n: number }>(
    `WITH last AS (
       SELECT DISTINCT ON (e.task_id) e.task_id, e.kind FROM task_events e
       WHERE e.at <= $2::timestamptz AND e.kind IN ('completed', 'signed-off', 'not-applicable', 'reopened', 'cancelled') ORDER BY e.task_id, e.at DESC, e.id DESC)
     SELECT rule_id AS "ruleId", month, state, count(*)::int AS n FROM (
       SELECT t.rule_id, t.period AS month,
              CASE WHEN last.kind = 'cancelled' THEN 'cancelled' WHEN last.kind = 'signed-off' THEN 'done'
                   WHEN last.kind IN ('completed', 'not-applicable') AND t.rule_id = 'one-person' THEN 'done'
                   WHEN t.due_on < $3::date THEN 'overdue' ELSE 'open' END AS state
       FROM tasks t LEFT JOIN last ON last.task_id = t.task_id WHERE t.unit_id = $1 AND t.created_at <= $2::timestamptz) s
     WHERE state <> 'cancelled' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [input.unitId, input.asOf, input.asOfDate],
  );

/** The completion's cells in the oracle's shape. */
async function cells(db: Queryable, asOf: string, asOfDate: string) {
  const controls = await completionAsOf(db, { unitId: unit.unit.id, from: '2027-01-01', to: '2027-12-31', asOf, asOfDate });
  return controls.flatMap((c) => c.months.flatMap((m) => (['done', 'open', 'overdue'] as const).filter((s) => m[s] > 0).map((state) => ({ ruleId: c.ruleId, month: m.month, state, n: m[state] }))))
    .sort((a, b) => `${a.ruleId} ${a.month} ${a.state}`.localeCompare(`${b.ruleId} ${b.month} ${b.state}`));
}

describe.each(engines)('the task tally on %s', (engine) => {
  let db: Db;
  let tasks: TaskRow[];
  // Every action at its own moment, an hour apart, from the first of March.
  const moment = (i: number) => new Date(Date.parse('2027-03-01T08:00:00Z') + i * 3_600_000).toISOString();
  const moments: string[] = [];

  beforeAll(async () => {
    db = await freshStore(engine);
    await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-01-01' });
    await db.transaction(async (tx) => {
      await recordPack(tx, pack);
      await insertTasks(tx, plan({ caseFile: unit, pack, from: '2027-01', to: '2027-06' }), moment(-1));
    });
    tasks = (await listTasks(db, { unitId: unit.unit.id })).sort((a, b) => a.task_id.localeCompare(b.task_id));
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('counts every task once after inserts, completions, sign-offs, send-backs, reassignments, reopenings and cancellations', async () => {
    expect(await tally(db)).toEqual(await recount(db));
    let i = 0;
    const act = async (action: Undated) => {
      moments.push(moment(i));
      await applyTaskAction(db, { ...action, at: moment(i++) });
    };
    const peer = (t: TaskRow) => bh.find((id) => id !== t.assignee)!;
    // Both rules in turn, so each step meets a one-person and a two-person task.
    const byRule = (id: string) => tasks.filter((t) => t.rule_id === id);
    const chosen = byRule('one-person').slice(0, 36).flatMap((t, n) => [t, byRule('two-person')[n]!]);
    for (const [n, t] of chosen.entries()) {
      // A cancellation before took the case's other tasks with it.
      if ((await findTask(db, t.task_id))!.state !== 'open') continue;
      const two = t.rule_id === 'two-person';
      switch (Math.floor(n / 2) % 6) {
        case 0:
          await act({ kind: 'complete', taskId: t.task_id, outcome: 'ok', actor: t.assignee! });
          if (two) await act({ kind: 'complete', taskId: t.task_id, outcome: 'ok', actor: peer(t) });
          break;
        case 1:
          await act({ kind: 'not-applicable', taskId: t.task_id, reason: 'Skäl.', actor: t.assignee! });
          break;
        case 2:
          await act({ kind: 'reassign', taskId: t.task_id, to: peer(t), actor: head });
          // The new assignee's completion awaits a second person's signature.
          if (two) await act({ kind: 'complete', taskId: t.task_id, outcome: 'ok', actor: peer(t) });
          break;
        case 3:
          await act({ kind: 'complete', taskId: t.task_id, outcome: 'ok', actor: t.assignee! });
          await act(two ? { kind: 'send-back', taskId: t.task_id, reason: 'Skäl.', actor: peer(t) } : { kind: 'reopen', taskId: t.task_id, reason: 'Skäl.', actor: head });
          break;
        case 4:
          await act({ kind: 'complete', taskId: t.task_id, outcome: 'ok', actor: t.assignee! });
          if (two) await act({ kind: 'complete', taskId: t.task_id, outcome: 'ok', actor: peer(t) });
          await act({ kind: 'reopen', taskId: t.task_id, reason: 'Skäl.', actor: head });
          break;
        default:
          moments.push(moment(i));
          await db.transaction((tx) => cancelOpenTasksOfCases(tx, unit.unit.id, [t.case_id!], 'ärendet avslutades', 'test', moment(i++)));
      }
    }
    const after = await tally(db);
    expect(after).toEqual(await recount(db));
    // Not trivially so: the writes moved counts between states and people.
    expect(new Set(after.map((r) => r.state))).toEqual(new Set(['open', 'awaiting-sign-off', 'completed', 'not-applicable', 'cancelled']));

  }, 120_000);

  it('gives the completion as of every moment as the events alone do, and as of now what the tasks say now', async () => {
    expect(moments.length).toBeGreaterThan(50);
    // Before the tasks were written, between every action, and at the end; overdue judged on two dates.
    for (const asOf of ['2026-01-01T00:00:00Z', moment(-1), ...moments.map((m) => new Date(Date.parse(m) + 1_800_000).toISOString())]) {
      for (const asOfDate of ['2027-03-01', '2027-05-15']) {
        expect(await cells(db, asOf, asOfDate), `${asOf} ${asOfDate}`).toEqual(await fromEvents(db, { unitId: unit.unit.id, asOf, asOfDate }));
      }
    }
    const now = await completionNow(db, { unitId: unit.unit.id, from: '2027-01-01', to: '2027-12-31', today: '2027-05-15' });
    expect(now).toEqual(await completionAsOf(db, { unitId: unit.unit.id, from: '2027-01-01', to: '2027-12-31', asOf: moment(1000), asOfDate: '2027-05-15' }));
  }, 120_000);

  it('gives done in time as of every moment as the events replayed task by task do', async () => {
    // The writes above came after the days of the tasks they touched: some done before their day too.
    const early = (await listTasks(db, { unitId: unit.unit.id, state: 'open' })).filter((t) => t.due_on >= '2027-05-01' && t.due_on < '2027-07-01').slice(0, 4);
    expect(early.length).toBe(4);
    for (const [k, t] of early.entries()) {
      await applyTaskAction(db, { kind: 'complete', taskId: t.task_id, outcome: 'ok', actor: t.assignee!, at: moment(1001 + 2 * k) });
      if (t.rule_id === 'two-person') await applyTaskAction(db, { kind: 'complete', taskId: t.task_id, outcome: 'ok', actor: bh.find((id) => id !== t.assignee)!, at: moment(1002 + 2 * k) });
    }
    const { tasks: history, events } = await taskHistories(db, { unitId: unit.unit.id, fromMonth: '2027-01', toMonth: '2027-12', until: moment(2000) });
    const recountTasks = history.map((t) => ({ taskId: t.taskId, ruleId: t.ruleId, period: t.period, dueOn: t.dueOn, secondSignOff: t.ruleId === 'two-person' }));
    let inTime = 0;
    for (const asOf of [moment(-1), ...moments.filter((_, i) => i % 5 === 0), moment(1004), moment(2000)]) {
      for (const asOfDate of ['2027-03-01', '2027-05-15', '2027-07-01']) {
        const counted = await onTimeCountsAsOf(db, { unitId: unit.unit.id, from: '2027-01-01', to: '2027-12-31', asOf, asOfDate });
        expect(counted, `${asOf} ${asOfDate}`).toEqual(recountOnTime(recountTasks, events, { asOfMicros: epochMicros(asOf), asOfDate, fromMonth: '2027-01', toMonth: '2027-12' }));
        inTime = Math.max(inTime, counted.onTime);
      }
    }
    // Not agreement over nothing: some tasks were done in time, as of the later moments.
    expect(inTime).toBeGreaterThan(0);
  }, 120_000);
});

