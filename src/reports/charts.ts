// Charts as plain SVG, so they print sharp and need no script: the årshjul as a wheel (twelve
// months, each control due that month a segment marked by its state: done, under way or late) and
// indicators against their targets. Every segment and bar carries its figures as text for screen
// readers, and lateness has a pattern and a mark besides its colour, for readers who cannot tell red
// from green.
import type { ControlCompletion } from './completion.js';
import type { IndicatorFigure } from './figures.js';
import { count, escapeHtml, monthName, percent } from './format.js';

/** A segment's state: late when any of its tasks is past due and open, done when all are. */
export type SegmentState = 'none' | 'done' | 'under-way' | 'late';

export function segmentState(m: { total: number; done: number; overdue: number }): SegmentState {
  if (m.total === 0) return 'none';
  if (m.overdue > 0) return 'late';
  return m.done === m.total ? 'done' : 'under-way';
}

const fills: Record<SegmentState, string> = { none: '#e5e5e5', done: '#2e7d32', 'under-way': '#9ecae1', late: 'url(#late)' };
export const segmentNames: Record<SegmentState, string> = { none: 'inga kontroller', done: 'klar', 'under-way': 'pågår, inget försenat', late: 'försenade uppgifter' };
// Red with white stripes: the stripes tell lateness without the colour.
const latePattern = '<defs><pattern id="late" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#c62828"/><rect width="3" height="8" fill="#fff"/></pattern></defs>';

const point = (cx: number, cy: number, r: number, angle: number) =>
  `${(cx + r * Math.sin(angle)).toFixed(2)} ${(cy - r * Math.cos(angle)).toFixed(2)}`;

function sector(cx: number, cy: number, inner: number, outer: number, from: number, to: number): string {
  const large = to - from > Math.PI ? 1 : 0;
  return `M ${point(cx, cy, outer, from)} A ${outer} ${outer} 0 ${large} 1 ${point(cx, cy, outer, to)} L ${point(cx, cy, inner, to)} A ${inner} ${inner} 0 ${large} 0 ${point(cx, cy, inner, from)} Z`;
}

/**
 * The wheel for one year: January at the top, clockwise. A month's ring is split between the
 * controls due that month; each month is labelled outside the ring with its name and done of all,
 * its share done in the ring. With `today` in the year, a hand points at the day.
 */
export function wheelSvg(input: { year: number; controls: ControlCompletion[]; title: string; today?: string }): string {
  const size = 600;
  const legendHeight = 40;
  const c = size / 2;
  const [inner, outer, label] = [100, 235, 262];
  const month = Math.PI / 6;
  const parts: string[] = [latePattern];
  for (let m = 0; m < 12; m++) {
    const key = `${input.year}-${String(m + 1).padStart(2, '0')}`;
    const due = input.controls.flatMap((control) => control.months.filter((x) => x.month === key).map((x) => ({ control, ...x })));
    const from = m * month;
    const total = due.reduce((s, d) => s + d.total, 0);
    const done = due.reduce((s, d) => s + d.done, 0);
    const overdue = due.reduce((s, d) => s + d.overdue, 0);
    if (due.length === 0) {
      parts.push(`<path d="${sector(c, c, inner, outer, from, from + month)}" fill="${fills.none}" stroke="#fff" stroke-width="2"><title>${monthName(key)}: inga kontroller</title></path>`);
    }
    due.forEach((d, i) => {
      const a = from + (month * i) / due.length;
      const b = from + (month * (i + 1)) / due.length;
      const text = `${monthName(key)}, ${d.control.title}: ${count(d.done)} av ${count(d.total)} klara, ${count(d.overdue)} försenade`;
      const state = segmentState(d);
      parts.push(`<path d="${sector(c, c, inner, outer, a, b)}" fill="${fills[state]}" stroke="#fff" stroke-width="1" data-state="${state}"><title>${escapeHtml(text)}</title></path>`);
    });
    const mid = from + month / 2;
    const [lx, ly] = point(c, c, label, mid).split(' ');
    parts.push(`<text x="${lx}" y="${ly}" text-anchor="middle" font-size="15" font-weight="bold">${monthName(key)}`
      + (total > 0 ? `<tspan x="${lx}" dy="15" font-size="11" font-weight="normal" fill="#444">${count(done)}/${count(total)}</tspan>` : '')
      // The mark: a warning sign and the number late, in words as well as colour.
      + (overdue > 0 ? `<tspan x="${lx}" dy="13" font-size="11" font-weight="bold" fill="#b71c1c">⚠ ${count(overdue)} förs.</tspan>` : '') + '</text>');
    if (total > 0) {
      const [px, py] = point(c, c, (inner + outer) / 2, mid).split(' ');
      parts.push(`<text x="${px}" y="${py}" text-anchor="middle" dominant-baseline="middle" font-size="13" font-weight="bold" fill="#111" stroke="#fff" stroke-width="3" paint-order="stroke">${Math.round((done / total) * 100)} %</text>`);
    }
  }
  if (input.today?.startsWith(`${input.year}-`)) {
    // The day's place in the year: months are equal twelfths, so the hand stands within its month by day.
    const [, mm, dd] = input.today.split('-').map(Number) as [number, number, number];
    const days = new Date(Date.UTC(input.year, mm, 0)).getUTCDate();
    const angle = (mm - 1 + (dd - 0.5) / days) * month;
    const [x1, y1] = point(c, c, inner - 4, angle).split(' ');
    const [x2, y2] = point(c, c, outer + 6, angle).split(' ');
    parts.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#1a1a1a" stroke-width="3" stroke-linecap="round"><title>I dag, ${input.today}</title></line>`);
  }
  const all = input.controls.reduce((s, x) => s + x.total, 0);
  const allDone = input.controls.reduce((s, x) => s + x.done, 0);
  parts.push(`<text x="${c}" y="${c - 10}" text-anchor="middle" font-size="28" font-weight="bold">${all ? percent(allDone / all) : '–'}</text>`);
  const late = input.controls.reduce((s, x) => s + x.overdue, 0);
  parts.push(`<text x="${c}" y="${c + 16}" text-anchor="middle" font-size="13">klara av ${count(all)}</text>`);
  if (late > 0) parts.push(`<text x="${c}" y="${c + 36}" text-anchor="middle" font-size="13" font-weight="bold" fill="#b71c1c">⚠ ${count(late)} försenade</text>`);
  parts.push(legend(size, legendHeight));
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size + legendHeight}" width="${size}" height="${size + legendHeight}" style="max-width:100%;height:auto" role="img" aria-label="${escapeHtml(input.title)}" font-family="Arial, sans-serif"><title>${escapeHtml(input.title)}</title>${parts.join('')}</svg>`;
}

/** The key under the wheel: each state's swatch and words. */
function legend(top: number, height: number): string {
  const states: SegmentState[] = ['done', 'under-way', 'late', 'none'];
  const width = 150;
  return states.map((state, i) => {
    const x = i * width;
    const y = top + height / 2;
    return `<rect x="${x}" y="${y - 8}" width="16" height="16" fill="${fills[state]}" stroke="#666" stroke-width="0.5"/><text x="${x + 22}" y="${y + 4}" font-size="12">${segmentNames[state]}</text>`;
  }).join('');
}

const display = (figure: IndicatorFigure, value: number) => (figure.rate ? percent(value) : count(value));

/** One row per indicator: the value as a bar, the target as a line; green when the target is met. */
export function indicatorsSvg(indicators: IndicatorFigure[]): string {
  // Room on the right for the value's words ("ej inrapporterat").
  const [width, row, labelWidth, barWidth] = [700, 46, 260, 300];
  const rows = indicators.map((figure, i) => {
    const top = i * row + 8;
    const max = Math.max(figure.value ?? 0, figure.target.value, figure.rate ? 1 : 1) * 1.1;
    const x = (v: number) => labelWidth + (v / max) * barWidth;
    const goal = `mål ${figure.target.direction === 'at-most' ? 'högst' : 'minst'} ${display(figure, figure.target.value)}`;
    return [
      `<text x="0" y="${top + 15}" font-size="12">${escapeHtml(figure.title)}</text>`,
      // Nothing entered: no bar, and the words say so (never a bar of 0).
      figure.value === null ? '' : `<rect x="${labelWidth}" y="${top + 2}" width="${(x(figure.value) - labelWidth).toFixed(1)}" height="18" fill="${figure.meetsTarget ? '#2e7d32' : '#c62828'}"><title>${escapeHtml(`${figure.title}: ${display(figure, figure.value)}, ${goal}`)}</title></rect>`,
      `<line x1="${x(figure.target.value).toFixed(1)}" x2="${x(figure.target.value).toFixed(1)}" y1="${top - 2}" y2="${top + 24}" stroke="#000" stroke-width="2" stroke-dasharray="4 2"/>`,
      `<text x="${labelWidth + barWidth + 8}" y="${top + 15}" font-size="12">${figure.value === null ? 'ej inrapporterat' : display(figure, figure.value)}</text>`,
      `<text x="${labelWidth}" y="${top + 36}" font-size="10" fill="#444">${escapeHtml(goal)}</text>`,
    ].join('');
  });
  const height = indicators.length * row + 8;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Nyckeltal mot årsmål" font-family="Arial, sans-serif"><title>Nyckeltal mot årsmål</title>${rows.join('')}</svg>`;
}
