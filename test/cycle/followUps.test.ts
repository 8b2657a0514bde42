// A follow-up task is built as the planner builds every task: the same id, the assignee picked by
// the rule's role (not the triggering task's assignee), the due date from the calendar's events.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseFile } from '../../src/cases/caseFile.js';
import { plan } from '../../src/planner/plan.js';
import { formatError, loadRulePack, type RulePack } from '../../src/rules/load.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { recordPack } from '../../src/store/rulePacks.js';
import { findTask, insertTasks, taskHistory } from '../../src/store/tasks.js';
import { completeTask } from '../../src/tasks/lifecycle.js';
import { parameterFiles, ruleFile, testRule } from '../helpers/rules.js';
import { exampleCases } from '../helpers/fixtures.js';
import { engines, freshStore } from '../helpers/store.js';

const unitCheck = testRule({
  id: 'unit-check',
  scope: 'unit',
  when: { months: [6] },
  assignee: { role: 'bitradande-enhetschef' },
  completion: { outcomes: [{ id: 'ok', label: 'Utan anmärkning' }, { id: 'needs', label: 'Behöver åtgärdas' }] },
  followUps: [{ outcome: 'needs', rule: 'unit-followup' }],
});
// Due ten business days before the board meeting of its month: a date only the calendar file knows.
const unitFollowUp = testRule({
  id: 'unit-followup',
  scope: 'unit',
  when: { followUp: true },
  dueOn: { event: 'board-meeting', businessDaysBefore: 2 },
  assignee: { role: 'administrativ-assistent' },
});
const calendar = {
  path: 'rules/calendar/2027.json',
  text: JSON.stringify({ $schema: '../schema/calendar.schema.json', year: 2027, reference: ['Årshjulets val: ett sammanträde för testet'], events: [{ id: 'board-meeting', title: 'Nämnden', dates: ['2027-06-17'] }] }),
};

function packOf(rules: object[]): RulePack {
  const { pack, errors } = loadRulePack([...rules.map((r) => ruleFile(r as { id: string })), calendar, ...parameterFiles()]);
  if (errors.length > 0) throw new Error(errors.map(formatError).join('\n'));
  return pack;
}

const cases: CaseFile = exampleCases();
cases.staff.push(
  { id: 'bec-2', name: 'Biträdande enhetschef Två', role: 'bitradande-enhetschef', email: 'bec-2@example.se' },
  { id: 'aa-1', name: 'Administrativ assistent Ett', role: 'administrativ-assistent', email: 'aa-1@example.se' },
);

describe.each(engines)('follow-ups of a unit rule, store on %s', (engine) => {
  let db: Db;
  const pack = packOf([unitCheck, unitFollowUp]);
  beforeEach(async () => {
    db = await freshStore(engine);
    await importCaseFile(db, cases, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-06-01' });
    await db.transaction(async (tx) => {
      await recordPack(tx, pack);
      await insertTasks(tx, plan({ caseFile: cases, pack, from: '2027-06', to: '2027-06' }));
    });
  });
  afterEach(async () => {
    await db.close();
  });

  it('assigns and dates the follow-up exactly as the planner would plan that rule in the month', async () => {
    const trigger = await findTask(db, 'exempel-eb:unit-check:2027-06:unit');
    expect(trigger?.assignee).toMatch(/^bec-/);
    const result = await completeTask(db, { taskId: trigger!.task_id, outcome: 'needs', actor: trigger!.assignee!, at: '2027-06-03T09:00:00Z' });
    expect(result.message).toBe('klar; uppföljning skapad');

    // The planner's task for the same rule, were it planned in June: the yardstick.
    const [planned] = plan({ caseFile: cases, pack: packOf([{ ...unitFollowUp, when: { months: [6] } }]), from: '2027-06', to: '2027-06' });
    const followUp = await findTask(db, planned!.taskId);
    expect(followUp).toMatchObject({ assignee_role: 'administrativ-assistent', due_on: '2027-06-15', create_on: '2027-06-03', period: '2027-06', case_id: null });
    expect(followUp?.assignee).toBe(planned!.assignee);
    expect(followUp?.due_on).toBe(planned!.dueOn);
    const [created] = await taskHistory(db, planned!.taskId);
    expect(created).toMatchObject({ kind: 'created', actor: trigger!.assignee, data: { followUpOf: trigger!.task_id } });
  });
});
