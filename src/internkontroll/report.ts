// The internal control's follow-up (June) and compilation (October): per control of the plan, its
// risk, samples, reviews, deviation rate and corrective actions. CSV and HTML, no case data. A
// control of the access log counts the records it sampled where the others count cases.
import { csv, escapeHtml } from '../reports/format.js';
import type { Plan } from './plan.js';
import { controlsOf, riskValue, samplesRecords } from './plan.js';
import type { Round } from './analyses.js';
import type { ControlStatus } from './reviews.js';

const columns = ['risk', 'riskvärde', 'kontroll', 'metod', 'stickprov', 'ärenden/poster', 'granskade', 'avvikelser', 'avvikelsegrad', 'rättelser öppna', 'rättelser försenade', 'rättelser stängda'];

function rows(plan: Plan, status: ControlStatus[]): string[][] {
  return controlsOf(plan).map((control) => {
    const s = status.find((x) => x.controlId === control.id);
    // The management's controls are unit tasks of the årshjul: nothing sampled, so no figures rather than zeros.
    if (control.method === 'management') return [control.risk.title, String(riskValue(control.risk)), control.title, 'enhetsuppgift i årshjulet', ...columns.slice(4).map(() => '–')];
    return [
      control.risk.title, String(riskValue(control.risk)), control.title, samplesRecords(control) ? `${control.method}: poster i åtkomstloggen` : control.method,
      String(s?.samples ?? 0), String(s?.sampled ?? 0), String(s?.reviewed ?? 0), String(s?.deviations ?? 0),
      `${Math.round((s?.deviationRate ?? 0) * 100)} %`, String(s?.correctiveOpen ?? 0), String(s?.correctiveOverdue ?? 0), String(s?.correctiveClosed ?? 0),
    ];
  });
}

/** Semicolon-separated, as Swedish Excel opens it. */
export function reportCsv(plan: Plan, status: ControlStatus[]): string {
  return csv([columns, ...rows(plan, status)]);
}

export function reportHtml(title: string, plan: Plan, status: ControlStatus[], rounds: Round[] = []): string {
  const body = rows(plan, status).map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  // The analyses of the finished rounds (their text, no case data), and the rounds still without one.
  const analyses = rounds.map((r) => `<h3>${escapeHtml(r.title)}, ${escapeHtml(r.period)}</h3>${r.analysis ? `<p>${escapeHtml(r.analysis.text)}</p>` : '<p><em>Analysen är inte skriven.</em></p>'}`).join('\n');
  return `<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:Arial,sans-serif}table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 8px;text-align:left}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(plan.title)}</p>
<table><thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody></table>
${rounds.length ? `<h2>Analyser efter omgångarna</h2>\n${analyses}` : ''}
</body></html>
`;
}
