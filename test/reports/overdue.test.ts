// The overview's first screen: overdue tasks by control and by person, most first, in Swedish order.
import { describe, expect, it } from 'vitest';
import { swedishOrder } from '../../src/reports/format.js';
import { summarizeOverdue, type OverdueCount } from '../../src/reports/overdue.js';

const names: Record<string, string> = { 'ss-01': 'Åsa Berg', 'ss-02': 'Ärla Ek', 'ss-10': 'Socialsekreterare 10', 'ss-02b': 'Socialsekreterare 2' };
const nameOf = (id: string | null) => (id === null ? 'Ingen tilldelad' : names[id]!);

describe('what is overdue now', () => {
  const counts: OverdueCount[] = [
    { ruleId: 'passport-check', title: 'Passkontroll', assignee: 'ss-01', n: 2 },
    { ruleId: 'passport-check', title: 'Passkontroll', assignee: 'ss-02', n: 1 },
    { ruleId: 'bank-overview', title: 'Banköversikt', assignee: 'ss-02', n: 4 },
    { ruleId: 'budget-follow-up', title: 'Budgetuppföljning', assignee: null, n: 1 },
  ];

  it('totals by control and by person, most first, each adding up to the total', () => {
    const summary = summarizeOverdue(counts, nameOf);
    expect(summary.total).toBe(8);
    // By hand: Bankövers. 4, Passkontroll 2 + 1 = 3, Budgetuppföljning 1.
    expect(summary.byControl.map((l) => [l.key, l.n])).toEqual([['bank-overview', 4], ['passport-check', 3], ['budget-follow-up', 1]]);
    // ss-02: 1 + 4 = 5; ss-01: 2; nobody: 1.
    expect(summary.byPerson.map((l) => [l.name, l.n])).toEqual([['Ärla Ek', 5], ['Åsa Berg', 2], ['Ingen tilldelad', 1]]);
    for (const lines of [summary.byControl, summary.byPerson]) expect(lines.reduce((s, l) => s + l.n, 0)).toBe(summary.total);
  });

  it('breaks ties by Swedish order, with numbers by value', () => {
    const tied = summarizeOverdue(Object.keys(names).map((assignee) => ({ ruleId: 'x', title: 'X', assignee, n: 1 })), nameOf);
    expect(tied.byPerson.map((l) => l.name)).toEqual(['Socialsekreterare 2', 'Socialsekreterare 10', 'Åsa Berg', 'Ärla Ek']);
    expect(['Ö', 'Ä', 'Å', 'Z'].sort(swedishOrder)).toEqual(['Z', 'Å', 'Ä', 'Ö']);
  });

  it('is empty with nothing late', () => {
    expect(summarizeOverdue([], nameOf)).toEqual({ total: 0, byControl: [], byPerson: [] });
  });
});
