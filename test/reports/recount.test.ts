// The recount from the events, on a hand-made history whose counts are worked out by hand below:
// each task's events replayed through the state machine up to a moment, counted as the report counts.
import { describe, expect, it } from 'vitest';
import type { ControlCompletion } from '../../src/reports/completion.js';
import { epochMicros } from '../../src/reports/eventRecount.js';
import { compareWithRecount, describeDifference, recountCompletion, recountOnTime, type RecountTask } from '../../src/reports/recount.js';
import type { EventKind } from '../../src/store/tasks.js';

// a-check: one person completes it; b-check: a second person signs off.
const task = (taskId: string, period: string, dueOn: string, twoPerson = false): RecountTask =>
  ({ taskId, ruleId: twoPerson ? 'b-check' : 'a-check', period, dueOn, secondSignOff: twoPerson });
const tasks: RecountTask[] = [
  task('a1', '2027-01', '2027-01-29'), task('a2', '2027-01', '2027-01-29'), task('a3', '2027-01', '2027-01-29'),
  task('a4', '2027-02', '2027-02-26'), task('a8', '2027-02', '2027-02-26'), task('a9', '2027-02', '2027-02-26'),
  task('a5', '2027-03', '2027-03-31'), task('a6', '2027-03', '2027-03-31'), task('a7', '2027-03', '2027-03-31'), task('a10', '2027-03', '2027-03-10'),
  task('b1', '2027-02', '2027-02-26', true), task('b2', '2027-02', '2027-02-26', true),
  task('b3', '2027-03', '2027-03-31', true), task('b4', '2027-03', '2027-03-31', true),
  // Outside the report's months.
  task('x1', '2026-12', '2026-12-31'),
];
const e = (taskId: string, kind: EventKind, at: string) => ({ taskId, kind, atMicros: epochMicros(at) });
const events = [
  // Before the report's moment (15 March, noon).
  e('a1', 'created', '2027-01-03T05:00:00Z'), e('a1', 'completed', '2027-01-20T10:00:00Z'),
  e('a2', 'created', '2027-01-03T05:00:00Z'), e('a2', 'not-applicable', '2027-01-25T10:00:00Z'),
  e('a3', 'created', '2027-01-03T05:00:00Z'), e('a3', 'reminder-due', '2027-01-22T05:30:00Z'), e('a3', 'due', '2027-01-29T05:30:00Z'), e('a3', 'escalation-due', '2027-02-03T05:30:00Z'),
  e('a4', 'created', '2027-02-01T05:00:00Z'), e('a4', 'completed', '2027-02-10T10:00:00Z'), e('a4', 'reopened', '2027-03-01T10:00:00Z'),
  e('a8', 'created', '2027-02-01T05:00:00Z'), e('a8', 'cancelled', '2027-02-05T05:00:00Z'),
  e('a9', 'created', '2027-02-01T05:00:00Z'), e('a9', 'cancelled', '2027-02-05T05:00:00Z'), e('a9', 'reopened', '2027-02-08T10:00:00Z'),
  e('a5', 'created', '2027-03-01T05:00:00Z'), e('a5', 'reassigned', '2027-03-02T10:00:00Z'),
  e('a6', 'created', '2027-03-01T05:00:00Z'),
  // Completed and reopened at the same moment: the order they were appended in decides.
  e('a10', 'created', '2027-03-01T05:00:00Z'), e('a10', 'completed', '2027-03-04T10:00:00.000250Z'), e('a10', 'reopened', '2027-03-04T10:00:00.000250Z'),
  e('b1', 'created', '2027-02-01T05:00:00Z'), e('b1', 'completed', '2027-02-10T10:00:00Z'),
  e('b2', 'created', '2027-02-01T05:00:00Z'), e('b2', 'completed', '2027-02-10T10:00:00Z'), e('b2', 'signed-off', '2027-02-11T10:00:00Z'),
  e('b3', 'created', '2027-03-01T05:00:00Z'), e('b3', 'not-applicable', '2027-03-02T10:00:00Z'), e('b3', 'signed-off', '2027-03-03T10:00:00Z'),
  e('b4', 'created', '2027-03-01T05:00:00Z'), e('b4', 'completed', '2027-03-02T10:00:00Z'), e('b4', 'reopened', '2027-03-03T10:00:00Z'),
  e('x1', 'created', '2026-12-01T05:00:00Z'),
  // A task of another unit or month range that the read did not give.
  e('zz', 'created', '2027-01-03T05:00:00Z'), e('zz', 'completed', '2027-01-04T05:00:00Z'),
  // After the moment: a6 done, a7 created.
  e('a6', 'completed', '2027-03-20T10:00:00Z'), e('a7', 'created', '2027-03-16T05:00:00Z'),
];
const months = { fromMonth: '2027-01', toMonth: '2027-04' };
const march15 = { asOfMicros: epochMicros('2027-03-15T12:00:00Z'), asOfDate: '2027-03-15', ...months };

/** The counts of the history above, by hand, as of 15 March noon. */
const byHand = [
  {
    ruleId: 'a-check', total: 8, done: 2, overdue: 4,
    months: [
      // a1 done, a2 done (not applicable), a3 due 29/1 untouched: overdue.
      { month: '2027-01', total: 3, done: 2, notApplicable: 1, open: 0, overdue: 1 },
      // a4 reopened on 1/3 and a9 reopened after its cancellation, both due 26/2: overdue; a8 cancelled: left out.
      { month: '2027-02', total: 2, done: 0, notApplicable: 0, open: 0, overdue: 2 },
      // a5 reassigned and a6 (completed only on 20/3): open, due 31/3; a10 completed and reopened, due 10/3: overdue; a7 made on 16/3: not yet.
      { month: '2027-03', total: 3, done: 0, notApplicable: 0, open: 2, overdue: 1 },
    ],
  },
  {
    ruleId: 'b-check', total: 4, done: 2, overdue: 1,
    months: [
      // b1 completed but never signed off, due 26/2: overdue; b2 signed off: done.
      { month: '2027-02', total: 2, done: 1, notApplicable: 0, open: 0, overdue: 1 },
      // b3 not applicable, signed off: done; b4 sent back: open.
      { month: '2027-03', total: 2, done: 1, notApplicable: 1, open: 1, overdue: 0 },
    ],
  },
];

/** The recount as a report's completion would hold it, with one figure changed or none. */
function asReported(change?: (controls: ControlCompletion[]) => void): { rate: number; controls: ControlCompletion[] } {
  const controls: ControlCompletion[] = byHand.map((c) => ({
    ruleId: c.ruleId, title: c.ruleId === 'a-check' ? 'Registerkontroll' : 'Årsbesked', scope: 'case', total: c.total, done: c.done, overdue: c.overdue,
    months: c.months.map((m) => ({ month: m.month, total: m.total, done: m.done, open: m.open, overdue: m.overdue })),
  }));
  change?.(controls);
  return { rate: 4 / 12, controls };
}

describe('the recount from the events', () => {
  it('replays each task\'s events to the moment and counts per control and month as worked out by hand', () => {
    expect(recountCompletion(tasks, events, march15)).toEqual(byHand);
  });

  it('does not depend on the order the events are given in, only on their times (ties as appended)', () => {
    const shuffled = [...events].reverse();
    // Reversed, the tie of a10 now reads reopened then completed: done, no longer overdue.
    const a = recountCompletion(tasks, shuffled, march15).find((c) => c.ruleId === 'a-check')!;
    expect(a.months.find((m) => m.month === '2027-03')).toEqual({ month: '2027-03', total: 3, done: 1, notApplicable: 0, open: 2, overdue: 0 });
    // Everything else reads the same.
    expect(recountCompletion(tasks, shuffled, march15).find((c) => c.ruleId === 'b-check')).toEqual(byHand[1]);
  });

  it('counts what happened after the moment at a later moment, and nothing before the first event', () => {
    const april = recountCompletion(tasks, events, { asOfMicros: epochMicros('2027-04-01T00:00:00Z'), asOfDate: '2027-04-01', ...months });
    // a6 completed on 20/3; a7 made on 16/3 and due 31/3: overdue on 1/4, as are a5 and a10.
    expect(april.find((c) => c.ruleId === 'a-check')!.months.find((m) => m.month === '2027-03')).toEqual({ month: '2027-03', total: 4, done: 1, notApplicable: 0, open: 0, overdue: 3 });
    expect(recountCompletion(tasks, events, { asOfMicros: epochMicros('2027-01-01T00:00:00Z'), asOfDate: '2027-01-01', ...months })).toEqual([]);
    // One microsecond before a10's completion and reopening: still open then.
    const before = recountCompletion(tasks, events, { asOfMicros: epochMicros('2027-03-04T10:00:00.000249Z'), asOfDate: '2027-03-04', ...months });
    expect(before.find((c) => c.ruleId === 'a-check')!.months.find((m) => m.month === '2027-03')).toMatchObject({ total: 3, open: 3, overdue: 0 });
  });

  it('keeps the microseconds of a moment, as the store does', () => {
    expect(epochMicros('2027-03-04T10:00:00.000250Z') - epochMicros('2027-03-04T10:00:00Z')).toBe(250);
    expect(epochMicros('2027-03-04T11:00:00.5+01:00')).toBe(epochMicros('2027-03-04T10:00:00Z') + 500_000);
  });
});

describe('a report held to the recount', () => {
  const recounted = recountCompletion(tasks, events, march15);

  it('agrees when every figure is the recount\'s', () => {
    expect(compareWithRecount(asReported(), recounted)).toEqual([]);
  });

  it('names the figure that differs, in Swedish', () => {
    const reported = asReported((controls) => {
      controls[0]!.months[0]!.done = 0;
    });
    const differences = compareWithRecount(reported, recounted);
    expect(differences.map(describeDifference)).toEqual(['Registerkontroll, 2027-01, klara: 0 i rapporten, 2 enligt händelserna']);
  });

  it('catches a report that counted nothing, as the old stored versions did (tasks counted from a clock column)', () => {
    const differences = compareWithRecount({ rate: 0, controls: [] }, recounted);
    // The rate first; then five months with tasks: each month's total, and done, open or overdue where not zero.
    expect(differences.filter((d) => d.measure === 'totalt').map((d) => [d.ruleId, d.month, d.reported, d.recounted])).toEqual([
      ['a-check', '2027-01', '0', '3'], ['a-check', '2027-02', '0', '2'], ['a-check', '2027-03', '0', '3'],
      ['b-check', '2027-02', '0', '2'], ['b-check', '2027-03', '0', '2'],
    ]);
    expect(differences[0]).toEqual({ ruleId: null, title: 'Alla kontroller', month: null, measure: 'andel klara', reported: '0,0 %', recounted: '33,3 %' });
  });

  it('counts a month only the report has as differing', () => {
    const reported = asReported((controls) => {
      controls[1]!.months.push({ month: '2027-04', total: 1, done: 0, open: 1, overdue: 0 });
    });
    // The rate was left as it was: only the month's figures differ.
    expect(compareWithRecount(reported, recounted).map(describeDifference)).toEqual([
      'Årsbesked, 2027-04, totalt: 1 i rapporten, 0 enligt händelserna',
      'Årsbesked, 2027-04, öppna: 1 i rapporten, 0 enligt händelserna',
    ]);
  });
});

describe('done in time, recounted', () => {
  it('counts the tasks whose last day has passed, and those done when it ended', () => {
    // Due by 15 March: a1–a3, a4, a8–a9 and b1–b2 (February), a10 (10 March); a8 was cancelled by then.
    // Done at the end of their day: a1 (completed), a2 (not applicable), a4 (completed; reopened after
    // its day), b2 (signed off). Not: a3 (never), a9 (cancelled, then reopened), a10 (reopened that
    // moment), b1 (awaits its second person).
    expect(recountOnTime(tasks, events, march15)).toEqual({ due: 8, onTime: 4 });
  });

  it('draws the line at midnight in Stockholm, not UTC', () => {
    const late = [task('t1', '2027-01', '2027-01-29'), task('t2', '2027-01', '2027-01-29')];
    const lateEvents = [
      e('t1', 'created', '2027-01-03T05:00:00Z'), e('t1', 'completed', '2027-01-29T22:30:00Z'), // 23:30 in Stockholm: in time
      e('t2', 'created', '2027-01-03T05:00:00Z'), e('t2', 'completed', '2027-01-29T23:30:00Z'), // 00:30 the next day: late
    ];
    expect(recountOnTime(late, lateEvents, march15)).toEqual({ due: 2, onTime: 1 });
  });
});

