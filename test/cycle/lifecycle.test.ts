// The task lifecycle: the rule decides what completes a task, and a refusal writes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plan } from '../../src/planner/plan.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { recordPack } from '../../src/store/rulePacks.js';
import { insertTasks } from '../../src/store/tasks.js';
import { completeTask, markNotApplicable, reassignTask, reopenTask, TaskActionError } from '../../src/tasks/lifecycle.js';
import { listTasks } from '../../src/store/tasks.js';
import { exampleCases } from '../helpers/fixtures.js';
import { referencePack } from '../helpers/rules.js';
import { contentChecksum, engines, freshStore } from '../helpers/store.js';

const at = '2027-06-10T08:00:00Z';
const cases = exampleCases();
cases.staff.push({ id: 'bh-2', name: 'Bidragshandläggare Två', role: 'bidragshandlaggare', email: 'bh-2@example.se' });

describe.each(engines)('task lifecycle, store on %s', (engine) => {
  let db: Db;
  beforeEach(async () => {
    db = await freshStore(engine);
    const pack = await referencePack();
    await importCaseFile(db, cases, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-05-03' });
    await db.transaction(async (tx) => {
      await recordPack(tx, pack);
      await insertTasks(tx, plan({ caseFile: cases, pack, from: '2027-05', to: '2027-07' }));
    });
  });
  afterEach(async () => {
    await db.close();
  });

  async function refused(act: () => Promise<unknown>, message: RegExp): Promise<void> {
    const before = await contentChecksum(db);
    const action = act();
    await expect(action).rejects.toThrow(TaskActionError);
    await expect(action).rejects.toThrow(message);
    expect(await contentChecksum(db)).toEqual(before);
  }

  it('refuses an outcome the rule does not offer, and writes nothing', async () => {
    await refused(
      () => completeTask(db, { taskId: 'exempel-eb:tax-return-check:2027-05:EX-0001', outcome: 'done', actor: 'bh-1', at }),
      /utfallet finns inte för tax-return-check: välj ett av ok, needs-follow-up/,
    );
  });

  it('refuses to complete without the note the rule requires', async () => {
    await refused(
      () => completeTask(db, { taskId: 'exempel-eb:fia-assessment:2027-07:EX-0004', outcome: 'offered', note: '  ', actor: 'ss-1', at }),
      /FIA-bedömning \(Förutsättningar Inför Arbete\) kräver en anteckning/,
    );
    const done = await completeTask(db, { taskId: 'exempel-eb:fia-assessment:2027-07:EX-0004', outcome: 'offered', note: 'Anvisad till FIA.', actor: 'ss-1', at });
    expect(done.task.state).toBe('completed');
  });

  it('needs a second, different person to sign off where the rule asks for it', async () => {
    const taskId = 'exempel-eb:graduate-leaves-norm:2027-06:EX-0002';
    const first = await completeTask(db, { taskId, outcome: 'done', actor: 'bh-1', at });
    expect(first.task.state).toBe('awaiting-sign-off');
    await refused(() => completeTask(db, { taskId, outcome: 'done', actor: 'bh-1', at }), /en annan person än den som utförde kontrollen/);
    const signed = await completeTask(db, { taskId, outcome: 'done', actor: 'bh-2', at });
    expect(signed.task.state).toBe('completed');
    expect(await db.query('SELECT kind, actor FROM task_events WHERE task_id = $1 ORDER BY id', [taskId])).toEqual([
      { kind: 'created', actor: 'system' },
      { kind: 'completed', actor: 'bh-1' },
      { kind: 'signed-off', actor: 'bh-2' },
    ]);
  });

  it('creates the follow-up task when the triggering outcome is chosen', async () => {
    const result = await completeTask(db, { taskId: 'exempel-eb:tax-return-check:2027-05:EX-0002', outcome: 'needs-follow-up', actor: 'bh-1', at });
    expect(result).toMatchObject({ followUps: 1, message: 'klar; uppföljning skapad' });
    const [followUp] = await listTasks(db, { ruleId: 'tax-return-followup' });
    // Ten business days after Thursday 10 June 2027.
    expect(followUp).toMatchObject({ task_id: 'exempel-eb:tax-return-followup:2027-06:EX-0002', create_on: '2027-06-10', due_on: '2027-06-24', assignee: 'ss-1', state: 'open' });
  });

  it('writes nothing when the store fails in the middle: the completion, its event and the follow-up are one transaction (issue 27, acceptance 2)', async () => {
    // The follow-up's insert fails after the task's row and its event are written.
    const failing: Db = {
      ...db, engine: db.engine,
      transaction: (fn) => db.transaction((tx) => fn({
        exec: (sql) => tx.exec(sql),
        query: (sql, params) => (/^\s*INSERT INTO tasks\b/.test(sql) ? Promise.reject(new Error('avbrott mitt i transaktionen')) : tx.query(sql, params)),
      })),
    };
    const taskId = 'exempel-eb:tax-return-check:2027-05:EX-0002';
    const before = await contentChecksum(db);
    await expect(completeTask(failing, { taskId, outcome: 'needs-follow-up', actor: 'bh-1', at })).rejects.toThrow('avbrott mitt i transaktionen');
    expect(await contentChecksum(db)).toEqual(before);
    expect((await listTasks(db, { ruleId: 'tax-return-check' })).find((t) => t.task_id === taskId)?.state).toBe('open');
    // The same completion through the store that does not fail writes all three.
    await completeTask(db, { taskId, outcome: 'needs-follow-up', actor: 'bh-1', at });
    expect(await contentChecksum(db)).not.toEqual(before);
    expect(await listTasks(db, { ruleId: 'tax-return-followup' })).toHaveLength(1);
  });

  it('marks not applicable with a reason, reassigns within the role, and lets only a chef reopen', async () => {
    const taskId = 'exempel-eb:tax-refund-check-jun:2027-06:EX-0001';
    await refused(() => markNotApplicable(db, { taskId, reason: ' ', actor: 'bh-1', at }), /ange varför/);
    await refused(() => reassignTask(db, { taskId, to: 'ss-1', actor: 'bh-1', at }), /mottagaren är socialsekreterare; uppgiften är för en bidragshandlaggare/);
    expect((await reassignTask(db, { taskId, to: 'bh-2', actor: 'bh-1', at })).task.assignee).toBe('bh-2');
    expect((await markNotApplicable(db, { taskId, reason: 'Ingen deklaration i år.', actor: 'bh-2', at })).task.state).toBe('not-applicable');
    await refused(() => reopenTask(db, { taskId, reason: 'fel', actor: 'bh-2', at }), /bara enhetschef eller biträdande enhetschef/);
    expect((await reopenTask(db, { taskId, reason: 'Deklaration kom in.', actor: 'bec-1', at })).task.state).toBe('open');
    const kinds = await db.query<{ kind: string }>('SELECT kind FROM task_events WHERE task_id = $1 ORDER BY id', [taskId]);
    expect(kinds.map((k) => k.kind)).toEqual(['created', 'reassigned', 'not-applicable', 'reopened']);
  });
});
