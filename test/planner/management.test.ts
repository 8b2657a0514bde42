// The management cycle: unit tasks for the unit head and deputy heads, with the dates that change
// every year taken from rules/calendar/YYYY.json.
import { describe, expect, it } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { rulesDir } from '../../src/platform/paths.js';
import { plan } from '../../src/planner/plan.js';
import { readRuleFiles } from '../../src/rules/files.js';
import { formatError, loadRulePack, type SourceFile } from '../../src/rules/load.js';

const unit = syntheticUnit({ households: 30 });

async function packWith(edit: (file: SourceFile) => SourceFile) {
  return loadRulePack((await readRuleFiles(rulesDir)).map(edit));
}

const due = (tasks: ReturnType<typeof plan>, ruleId: string) => tasks.filter((t) => t.ruleId === ruleId).map((t) => [t.period, t.dueOn, t.assignee]);

describe('the management cycle', () => {
  it('plans the unit head\'s and deputy heads\' tasks, with meeting dates from the calendar file', async () => {
    const { pack, errors } = await packWith((f) => f);
    expect(errors).toEqual([]);
    const tasks = plan({ caseFile: unit, pack, from: '2027-01', to: '2027-12' });
    // Fifteen business days (about three weeks) before each board meeting; none in July, which has no meeting.
    expect(due(tasks, 'board-cases').slice(0, 3)).toEqual([
      ['2027-01', '2027-01-07', 'ec-01'],
      ['2027-02', '2027-02-04', 'ec-01'],
      ['2027-03', '2027-03-04', 'ec-01'],
    ]);
    expect(due(tasks, 'board-cases').map(([period]) => period)).not.toContain('2027-07');
    // The first Thursday of every month but July; Kristi himmelsfärdsdag (6 May) moves it back a day.
    expect(due(tasks, 'staff-meeting').map(([, date]) => date)).toEqual([
      '2027-01-07', '2027-02-04', '2027-03-04', '2027-04-01', '2027-05-05', '2027-06-03', '2027-08-05', '2027-09-02', '2027-10-07', '2027-11-04', '2027-12-02',
    ]);
    // Fixed dates on a weekend move back to the business day before: VB on Saturday 9 January.
    expect(due(tasks, 'annual-report-unit')).toEqual([['2027-01', '2027-01-08', 'ec-01']]);
    expect(due(tasks, 'safety-rounds')).toEqual([['2027-05', '2027-05-31', expect.stringMatching(/^bec-0[12]$/)]]);
    expect(due(tasks, 'non-executed-decisions-report').map(([period]) => period)).toEqual(['2027-01', '2027-04', '2027-07', '2027-10']);
  });

  it('moves the task when a meeting date in the calendar file changes', async () => {
    const { pack } = await packWith((f) => (f.path.endsWith('2027.json') ? { ...f, text: f.text.replace('"2027-03-25"', '"2027-03-18"') } : f));
    const tasks = plan({ caseFile: unit, pack, from: '2027-03', to: '2027-03' });
    // A week earlier: the task is now due in February, the month before the meeting's.
    expect(due(tasks, 'board-cases')).toEqual([['2027-03', '2027-02-25', 'ec-01']]);
  });

  it('rejects an event no calendar file has, and a date in another year\'s file', async () => {
    const { errors } = await packWith((f) => {
      if (f.path.endsWith('board-cases.json')) return { ...f, text: f.text.replace('"board-meeting"', '"board-meting"') };
      if (f.path.endsWith('2027.json')) return { ...f, text: f.text.replace('"2027-01-28"', '"2028-01-28"') };
      return f;
    });
    const messages = errors.map(formatError);
    expect(messages).toHaveLength(2);
    expect(messages.find((m) => m.includes('board-cases.json'))).toMatch(/board-cases\.json:\d+ \$\.dueOn\.event: händelsen "board-meting" finns inte i någon kalenderfil/);
    expect(messages.find((m) => m.includes('2027.json'))).toMatch(/calendar\/2027\.json:\d+ \$\.events\[0\]\.dates\[0\]: 2028-01-28 hör inte till 2027/);
  });
});
