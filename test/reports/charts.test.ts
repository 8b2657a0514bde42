// The wheel as SVG: each month labelled with its name and done of all, and a hand on today's date.
import { describe, expect, it } from 'vitest';
import { segmentState, wheelSvg } from '../../src/reports/charts.js';
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

describe('the wheel shows lateness', () => {
  const month = (m: string, total: number, done: number, overdue: number) => ({ month: m, total, done, open: total - done, overdue });
  const wheel = wheelSvg({
    year: 2027, title: 'x', today: '2027-09-10',
    controls: [{ ruleId: 'a', title: 'A', scope: 'case', total: 40, done: 15, overdue: 3, months: [month('2027-03', 10, 10, 0), month('2027-08', 10, 5, 3), month('2027-09', 20, 0, 0)] }],
  });
  const segment = (m: string) => new RegExp(`<path [^>]*data-state="([a-z-]+)"><title>${m}, A:`).exec(wheel)?.[1];

  it('marks a month with overdue tasks late, with stripes and a sign besides the colour', () => {
    expect(segment('aug')).toBe('late');
    expect(wheel).toContain('<pattern id="late"');
    expect(wheel).toMatch(/>aug<tspan[^>]*>5\/10<\/tspan><tspan[^>]*>⚠ 3 förs\.<\/tspan>/);
    expect(wheel).toContain('⚠ 3 försenade');
  });

  it('does not call a month late that is under way with nothing past due', () => {
    // September: nothing done yet, nothing late: under way, not red.
    expect(segment('sep')).toBe('under-way');
    expect(segment('mar')).toBe('done');
    expect(wheel).not.toMatch(/>sep<tspan[^>]*>0\/20<\/tspan><tspan/);
  });

  it('gives each state in a key under the wheel', () => {
    for (const words of ['klar', 'pågår, inget försenat', 'försenade uppgifter', 'inga kontroller']) expect(wheel).toContain(`>${words}</text>`);
  });

  it('names the segment states from the counts', () => {
    expect(segmentState({ total: 0, done: 0, overdue: 0 })).toBe('none');
    expect(segmentState({ total: 4, done: 4, overdue: 0 })).toBe('done');
    expect(segmentState({ total: 4, done: 1, overdue: 0 })).toBe('under-way');
    expect(segmentState({ total: 4, done: 3, overdue: 1 })).toBe('late');
  });
});
