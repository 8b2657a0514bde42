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
    // Sixteen business days before each board meeting (KU 2015: a Wednesday three weeks and a day before
    // a Thursday meeting; trettondedag jul moves January's back to the 5th); none in July, which has no meeting.
    expect(due(tasks, 'board-cases').slice(0, 3)).toEqual([
      ['2027-01', '2027-01-05', 'ec-01'],
      ['2027-02', '2027-02-03', 'ec-01'],
      ['2027-03', '2027-03-03', 'ec-01'],
    ]);
    expect(due(tasks, 'board-cases').map(([period]) => period)).not.toContain('2027-07');
    // The first Thursday of every month but July; on Kristi himmelsfärdsdag (6 May) the meeting is the next business day.
    expect(due(tasks, 'staff-meeting').map(([, date]) => date)).toEqual([
      '2027-01-07', '2027-02-04', '2027-03-04', '2027-04-01', '2027-05-07', '2027-06-03', '2027-08-05', '2027-09-02', '2027-10-07', '2027-11-04', '2027-12-02',
    ]);
    // Fixed dates on a weekend move back to the business day before: VB on Saturday 9 January.
    expect(due(tasks, 'annual-report-unit')).toEqual([['2027-01', '2027-01-08', 'ec-01']]);
    expect(due(tasks, 'safety-rounds')).toEqual([['2027-05', '2027-05-31', expect.stringMatching(/^bec-0[12]$/)]]);
    expect(due(tasks, 'non-executed-decisions-report').map(([period]) => period)).toEqual(['2027-01', '2027-04', '2027-07', '2027-10']);
    // Ready when the notice of January's cooperation meeting (20 January) goes out, five business days before.
    expect(due(tasks, 'threats-violence-document')).toEqual([['2027-01', '2027-01-13', 'ec-01']]);
    expect(due(tasks, 'open-comparisons-survey')).toEqual([['2027-01', '2027-03-31', 'ec-01']]);
    expect(due(tasks, 'riksnorm-update')).toEqual([['2027-12', '2027-12-30', expect.stringMatching(/^bec-0[12]$/)]]);
  });

  it('moves the staff meeting off a holiday: 1 January 2026 to Friday 2 January', async () => {
    const { pack } = await packWith((f) => f);
    const tasks = plan({ caseFile: unit, pack, from: '2026-01', to: '2026-01' });
    expect(due(tasks, 'staff-meeting')).toEqual([['2026-01', '2026-01-02', 'ec-01']]);
  });

  it('moves the task when a meeting date in the calendar file changes', async () => {
    const { pack } = await packWith((f) => (f.path.endsWith('2027.json') ? { ...f, text: f.text.replace('"2027-03-25"', '"2027-03-18"') } : f));
    const tasks = plan({ caseFile: unit, pack, from: '2027-03', to: '2027-03' });
    // A week earlier: the task is now due in February, the month before the meeting's.
    expect(due(tasks, 'board-cases')).toEqual([['2027-03', '2027-02-24', 'ec-01']]);
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
