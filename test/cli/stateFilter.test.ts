// `arshjul tasks list --state`: the state by its id or its Swedish name, and `overdue` / `försenad`.
import { describe, expect, it } from 'vitest';
import { stateFilter } from '../../src/cli/cycle.js';

describe('tasks list --state', () => {
  it('takes the ids and the Swedish names', () => {
    expect(stateFilter('open', '2027-03-02')).toEqual({ state: 'open' });
    expect(stateFilter('öppen', '2027-03-02')).toEqual({ state: 'open' });
    expect(stateFilter('Väntar på attest', '2027-03-02')).toEqual({ state: 'awaiting-sign-off' });
    expect(stateFilter('väntar-på-attest', '2027-03-02')).toEqual({ state: 'awaiting-sign-off' });
    expect(stateFilter('inte aktuell', '2027-03-02')).toEqual({ state: 'not-applicable' });
    expect(stateFilter('klar', '2027-03-02')).toEqual({ state: 'completed' });
    expect(stateFilter(undefined, '2027-03-02')).toEqual({});
  });

  it('takes overdue as open past the day', () => {
    for (const word of ['overdue', 'försenad', 'Försenade']) expect(stateFilter(word, '2027-03-02')).toEqual({ overdueOn: '2027-03-02' });
  });

  it('refuses anything else, naming what it takes', () => {
    expect(() => stateFilter('done', '2027-03-02')).toThrow(/--state ska vara ett av öppen, väntar-på-attest, klar, inte-aktuell, makulerad eller försenad.*fick "done"/);
  });
});
