// Security finding 3, replayed exhaustively: every task state × every action × every kind of actor,
// on a one-person and a two-person rule, against the lifecycle over a real store. What is allowed
// is written out below, independently of the state machine's own table; everything else is refused
// and writes nothing. A two-person task is never closed by one person alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../../src/calendar/businessDays.js';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { plan } from '../../src/planner/plan.js';
import { completionAsOf, completionNow } from '../../src/reports/completion.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { recordPack } from '../../src/store/rulePacks.js';
import { cancelOpenTasksOfCases, findTask, insertTasks, taskHistory, type TaskRow } from '../../src/store/tasks.js';
import { applyTaskAction, TaskActionError, type TaskAction } from '../../src/tasks/lifecycle.js';
import { taskActionKinds, type TaskActionKind } from '../../src/tasks/transitions.js';
import { packOf, testRule } from '../helpers/rules.js';
import { freshStore } from '../helpers/store.js';
import { unit as webUnit, webFixture, type WebFixture } from '../helpers/web.js';

// Enough cases that each cancelled start (a whole case's tasks) leaves tasks for the rest.
const unit = syntheticUnit({ households: 120, seed: 11 });
const rule = (id: string, secondSignOff: boolean) =>
  testRule({ id, assignee: { role: 'bidragshandlaggare' }, completion: { outcomes: [{ id: 'ok', label: 'Utan anmärkning' }], secondSignOff } });
const pack = packOf([rule('one-person', false), rule('two-person', true)]);

type Actor = 'first' | 'peer' | 'head' | 'other-role' | 'stranger';
const actors: Actor[] = ['first', 'peer', 'head', 'other-role', 'stranger'];
/** Where a task can be; a task awaiting sign-off is so after a completion or after "not applicable". */
type Start = 'open' | 'awaiting-completed' | 'awaiting-not-applicable' | 'completed' | 'not-applicable' | 'cancelled';
const starts: Start[] = ['open', 'awaiting-completed', 'awaiting-not-applicable', 'completed', 'not-applicable', 'cancelled'];

const staffOf = (staff: string[], prefix: string) => staff.filter((id) => id.startsWith(prefix)).sort();

/** What is allowed, written out: [start, action, rule, who may] → the state after. */
const allowed: [Start, TaskActionKind, 'one' | 'two', Actor[], string][] = [
  // Nobody does another person's task, a head neither (issue 26): the one who has it does it.
  ['open', 'complete', 'one', ['first'], 'completed'],
  ['open', 'complete', 'two', ['first'], 'awaiting-sign-off'],
  ['open', 'not-applicable', 'one', ['first'], 'not-applicable'],
  ['open', 'not-applicable', 'two', ['first'], 'awaiting-sign-off'],
  // The one who has it hands it on, or a head reassigns it, within the role.
  ['open', 'reassign', 'one', ['first', 'head'], 'open'],
  ['open', 'reassign', 'two', ['first', 'head'], 'open'],
  // Four eyes: only another person, of the task's role or a head, takes the second step.
  ['awaiting-completed', 'complete', 'two', ['peer', 'head'], 'completed'],
  ['awaiting-completed', 'send-back', 'two', ['peer', 'head'], 'open'],
  ['awaiting-not-applicable', 'not-applicable', 'two', ['peer', 'head'], 'not-applicable'],
  ['awaiting-not-applicable', 'send-back', 'two', ['peer', 'head'], 'open'],
  ...(['completed', 'not-applicable', 'cancelled'] as const).flatMap((start) =>
    (['one', 'two'] as const).map((persons): [Start, TaskActionKind, 'one' | 'two', Actor[], string] => [start, 'reopen', persons, ['head'], 'open']),
  ),
];

describe('the task state machine, every state × action × actor (four eyes)', () => {
  let db: Db;
  let pool: Map<string, TaskRow[]>;
  const at = '2027-03-10T09:00:00Z';
  const ids = { bh: staffOf(unit.staff.map((s) => s.id), 'bh-'), ss: staffOf(unit.staff.map((s) => s.id), 'ss-'), bec: staffOf(unit.staff.map((s) => s.id), 'bec-') };

  beforeAll(async () => {
    db = await freshStore('embedded');
    await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-01-01' });
    const tasks = plan({ caseFile: unit, pack, from: '2027-01', to: '2027-12' });
    await db.transaction(async (tx) => {
      await recordPack(tx, pack);
      await insertTasks(tx, tasks);
    });
    pool = new Map(['one-person', 'two-person'].map((r) => [r, []]));
    for (const t of tasks) pool.get(t.ruleId)!.push((await findTask(db, t.taskId))!);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  const who = (task: TaskRow, actor: Actor): string => {
    const first = task.assignee!;
    if (actor === 'first') return first;
    if (actor === 'peer') return ids.bh.find((id) => id !== first)!;
    if (actor === 'head') return ids.bec[0]!;
    if (actor === 'other-role') return ids.ss[0]!;
    return 'okand-99';
  };
  const action = (kind: TaskActionKind, task: TaskRow, actor: string): TaskAction => {
    const base = { taskId: task.task_id, actor, at };
    if (kind === 'complete') return { kind, ...base, outcome: 'ok' };
    if (kind === 'reassign') return { kind, ...base, to: ids.bh.find((id) => id !== task.assignee)! };
    return { kind, ...base, reason: 'Skäl.' };
  };

  /** A fresh task of the rule, brought to the start state through the lifecycle itself. */
  async function taskIn(ruleId: string, start: Start): Promise<TaskRow> {
    const task = pool.get(ruleId)!.shift()!;
    const two = ruleId === 'two-person';
    const first = task.assignee!;
    const peer = ids.bh.find((id) => id !== first)!;
    const run = (kind: TaskActionKind, actor: string) => applyTaskAction(db, action(kind, task, actor));
    if (start === 'awaiting-completed' || start === 'completed') await run('complete', first);
    if (start === 'awaiting-not-applicable' || start === 'not-applicable') await run('not-applicable', first);
    if (two && start === 'completed') await run('complete', peer);
    if (two && start === 'not-applicable') await run('not-applicable', peer);
    if (start === 'cancelled') {
      // As a closed case cancels them: every open task of the case, so none of them is used again.
      await db.transaction((tx) => cancelOpenTasksOfCases(tx, task.unit_id, [task.case_id!], 'ärendet avslutades', 'test'));
      for (const [id, tasks] of pool) pool.set(id, tasks.filter((t) => t.case_id !== task.case_id));
    }
    return (await findTask(db, task.task_id))!;
  }

  it('allows exactly the listed changes, and a refused one writes nothing', async () => {
    const mismatches: string[] = [];
    let tried = 0;
    for (const persons of ['one', 'two'] as const) {
      for (const start of starts) {
        if (persons === 'one' && start.startsWith('awaiting')) continue; // unreachable on a one-person rule
        for (const kind of taskActionKinds) {
          for (const actor of actors) {
            const task = await taskIn(`${persons}-person`, start);
            const expected = allowed.find(([s, a, p, w]) => s === start && a === kind && p === persons && w.includes(actor));
            const before = { task, events: (await taskHistory(db, task.task_id)).length };
            let outcome: string;
            try {
              await applyTaskAction(db, action(kind, task, who(task, actor)));
              outcome = (await findTask(db, task.task_id))!.state;
            } catch (error) {
              if (!(error instanceof TaskActionError)) throw error;
              outcome = 'refused';
              const after = { task: await findTask(db, task.task_id), events: (await taskHistory(db, task.task_id)).length };
              if (JSON.stringify(after) !== JSON.stringify(before)) mismatches.push(`${persons} ${start} ${kind} ${actor}: refused but changed`);
            }
            tried++;
            if (outcome !== (expected?.[4] ?? 'refused')) mismatches.push(`${persons}-person, ${start}, ${kind} by ${actor}: ${outcome}, expected ${expected?.[4] ?? 'refused'}`);
          }
        }
      }
    }
    expect(tried).toBe(2 * 6 * 5 * 5 - 2 * 5 * 5);
    expect(mismatches).toEqual([]);
  }, 120_000);

  it('refuses without repeating what was typed: refusals reach the worker log (finding 10)', async () => {
    const task = await taskIn('one-person', 'open');
    const typed = '19890304-2383';
    const attempts: TaskAction[] = [
      { kind: 'complete', taskId: task.task_id, outcome: typed, actor: task.assignee!, at },
      { kind: 'complete', taskId: task.task_id, outcome: 'ok', actor: typed, at },
      { kind: 'reassign', taskId: task.task_id, to: typed, actor: task.assignee!, at },
      { kind: 'reassign', taskId: task.task_id, to: ids.ss[0]!, actor: task.assignee!, at },
    ];
    for (const attempt of attempts) {
      const refusal = await applyTaskAction(db, attempt).then(() => undefined, (error: Error) => error);
      expect(refusal, JSON.stringify(attempt)).toBeInstanceOf(TaskActionError);
      expect(refusal!.message).not.toContain(typed);
      expect(refusal!.message).not.toContain(ids.ss[0]);
    }
  });

  it('counts a two-person task as done only when the second person has signed it off', async () => {
    const task = await taskIn('two-person', 'awaiting-not-applicable');
    const range = { unitId: unit.unit.id, from: `${task.period}-01`, to: `${task.period}-28`, asOfDate: `${task.period}-01` };
    const done = async () => {
      const [now, asOf] = [await completionNow(db, { ...range, today: range.from }), await completionAsOf(db, { ...range, asOf: '2028-01-01T00:00:00Z' })];
      return [now, asOf].map((c) => c.find((x) => x.ruleId === 'two-person')!.done);
    };
    expect(task.state).toBe('awaiting-sign-off');
    expect((await taskHistory(db, task.task_id)).map((e) => e.kind)).toEqual(['created', 'not-applicable']);
    const [nowBefore, asOfBefore] = await done();
    await applyTaskAction(db, action('not-applicable', task, who(task, 'peer')));
    expect((await taskHistory(db, task.task_id)).map((e) => e.kind)).toEqual(['created', 'not-applicable', 'signed-off']);
    expect(await done()).toEqual([nowBefore! + 1, asOfBefore! + 1]);
  });
});

describe('four eyes through the web app and its API (finding 3)', () => {
  let web: WebFixture;
  let first: string;
  let peer: string;
  let task: TaskRow;
  beforeAll(async () => {
    // A two-person rule's tasks for this month, as a sweep would make them; the first one's assignee and a colleague.
    const twoPerson = packOf([rule('two-person', true)]);
    const month = today().slice(0, 7);
    const planned = plan({ caseFile: webUnit, pack: twoPerson, from: month, to: month });
    first = planned[0]!.assignee!;
    peer = webUnit.staff.find((s) => s.role === 'bidragshandlaggare' && s.id !== first)!.id;
    web = await webFixture('security-four-eyes', [first, peer]);
    await web.db.transaction(async (tx) => {
      await recordPack(tx, twoPerson);
      await insertTasks(tx, planned);
    });
    task = (await findTask(web.db, planned[0]!.taskId))!;
  }, 120_000);
  afterAll(async () => {
    await web?.close();
  });

  it('lets no one person close a two-person task: the second step is another person\'s', async () => {
    const a = await web.session(first);
    const b = await web.session(peer);
    const api = (who: { cookie: string; csrf: string }, action: string, payload: object) =>
      web.app.inject({ method: 'POST', url: `/api/tasks/${task.ref}/${action}`, cookies: { arshjul_session: who.cookie }, headers: { 'x-csrf-token': who.csrf }, payload });
    expect((await api(a, 'complete', { outcome: 'ok' })).json()).toEqual({ message: 'utförd; väntar på attest av en andra person' });
    for (const [action, payload] of [['complete', { outcome: 'ok' }], ['not-applicable', { reason: 'Ensam.' }], ['send-back', {}]] as const) {
      const refused = await api(a, action, payload);
      expect(refused.statusCode, action).toBe(400);
    }
    const page = await web.app.inject({ method: 'POST', url: `/uppgifter/${task.ref}/klar`, cookies: { arshjul_session: a.cookie }, payload: { _csrf: a.csrf, utfall: 'ok' } });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('fyraögonprincipen');
    expect((await findTask(web.db, task.task_id))!.state).toBe('awaiting-sign-off');
    // The second person finds it to sign, and signs.
    expect((await web.app.inject({ method: 'GET', url: '/inkorg', cookies: { arshjul_session: b.cookie } })).body).toContain(`/uppgifter/${task.ref}`);
    expect((await api(b, 'complete', { outcome: 'ok' })).statusCode).toBe(200);
    expect((await findTask(web.db, task.task_id))!.state).toBe('completed');
  });
});
