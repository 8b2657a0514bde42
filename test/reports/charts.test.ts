// The wheel as SVG: each month labelled with its name and done of all, and a hand on today's date.
import { describe, expect, it } from 'vitest';
import { wheelSvg } from '../../src/reports/charts.js';
import type { ControlCompletion } from '../../src/reports/completion.js';

const controls: ControlCompletion[] = [{
  ruleId: 'passport-check', title: 'Passkontroll', scope: 'case', total: 30, done: 12, overdue: 3,
  months: [{ month: '2027-03', total: 10, done: 10, open: 0, overdue: 0 }, { month: '2027-09', total: 20, done: 2, open: 15, overdue: 3 }],
}];

describe('the wheel', () => {
  it('labels each month with its name, and those with controls with done of all', () => {
    const svg = wheelSvg({ year: 2027, controls, title: 'Årshjulet 2027' });
    expect(svg).toMatch(/>mar<tspan[^>]*>10\/10<\/tspan>/);
    expect(svg).toMatch(/>sep<tspan[^>]*>2\/20<\/tspan>/);
    expect(svg).toMatch(/>jan<\/text>/);
    expect(svg).toContain('Passkontroll: 2 av 20 klara, 3 försenade');
  });

  it('points a hand at today within the year, and at nothing in another year', () => {
    const hand = (today: string) => /<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"[^>]*><title>I dag/.exec(wheelSvg({ year: 2027, controls, title: 'x', today }));
    // The first of July is half a year in: the hand points straight down from the hub.
    const [, x1, y1, x2, y2] = hand('2027-07-01')!.map<number>(Number);
    expect(Math.abs(x2! - x1!)).toBeLessThan(5);
    expect(y2!).toBeGreaterThan(y1!);
    // Mid-April: a quarter and a half month on, so to the right and below the hub's level.
    const [, , , ax2, ay2] = hand('2027-04-15')!.map<number>(Number);
    expect(ax2!).toBeGreaterThan(500);
    expect(ay2!).toBeGreaterThan(300);
    expect(hand('2026-12-02')).toBeNull();
  });
});
