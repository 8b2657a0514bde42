// The tertial report as a document: HTML with its charts (printed to PDF by Chromium) and the
// figures as CSV, one row per figure. Both are written from the same figures, so they agree.
import { indicatorsSvg, wheelSvg } from './charts.js';
import type { ReportFigures } from './figures.js';
import { count, csv, escapeHtml, monthName, percent, percentNumber } from './format.js';

export interface ReportText {
  /** The unit head's analysis; absent while the report waits for it. */
  analysis?: string;
  version: number;
}

const goal = (direction: 'at-most' | 'at-least') => (direction === 'at-most' ? 'högst' : 'minst');
/** What nobody entered is said so, never shown as 0. */
export const missing = 'ej inrapporterat';
const met = (meets: boolean | null) => (meets === null ? 'kan inte bedömas' : meets ? 'ja' : 'nej');

/** Long form: section, id, name, period or month, measure, value, unit. Rates in percent with one decimal. */
export function reportCsv(figures: ReportFigures): string {
  const rows: string[][] = [['avsnitt', 'id', 'namn', 'period', 'mått', 'värde', 'enhet']];
  const p = figures.period.id;
  for (const f of figures.indicators) {
    const number = (v: number | null) => (v === null ? missing : f.rate ? percentNumber(v) : count(v));
    const unit = f.rate ? '%' : f.unit;
    if (f.tertial !== undefined) rows.push(['nyckeltal', f.id, f.title, p, 'tertialen', number(f.tertial), unit]);
    rows.push(['nyckeltal', f.id, f.title, p, figures.preliminary ? 'värde hittills' : 'värde', number(f.value), unit]);
    if (f.forecast !== undefined) rows.push(['nyckeltal', f.id, f.title, p, 'helårsprognos', number(f.forecast), unit]);
    if (f.share) rows.push(['nyckeltal', f.id, f.title, p, `andel av ${f.share.label.toLowerCase()}`, f.share.value === null ? missing : percentNumber(f.share.value), '%']);
    rows.push(['nyckeltal', f.id, f.title, p, `mål (${goal(f.target.direction)})`, number(f.target.value), unit]);
    rows.push(['nyckeltal', f.id, f.title, p, 'uppfyllt', met(f.meetsTarget), '']);
  }
  rows.push(['årshjulet', 'alla', 'Alla kontroller', p, 'andel klara', percentNumber(figures.completion.rate), '%']);
  for (const control of figures.completion.controls) {
    for (const m of control.months) {
      rows.push(['årshjulet', control.ruleId, control.title, m.month, 'klara', count(m.done), 'uppgifter']);
      rows.push(['årshjulet', control.ruleId, control.title, m.month, 'totalt', count(m.total), 'uppgifter']);
      rows.push(['årshjulet', control.ruleId, control.title, m.month, 'försenade', count(m.overdue), 'uppgifter']);
    }
  }
  for (const ik of figures.internalControl) {
    rows.push(['internkontroll', ik.controlId, ik.title, p, 'granskade', count(ik.reviewed), 'ärenden']);
    rows.push(['internkontroll', ik.controlId, ik.title, p, 'avvikelser', count(ik.deviations), 'ärenden']);
    rows.push(['internkontroll', ik.controlId, ik.title, p, 'avvikelsegrad', percentNumber(ik.deviationRate), '%']);
    rows.push(['internkontroll', ik.controlId, ik.title, p, 'öppna rättelser', count(ik.correctiveOpen), 'st']);
  }
  return csv(rows);
}

const fullMonths = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

/** Where the city's indicator is a share of the population: the share beside the count. */
function shares(figures: ReportFigures): string {
  const withShare = figures.indicators.filter((f) => f.share);
  if (withShare.length === 0) return '';
  const rows = withShare.map((f) => [f.title, f.value === null ? missing : count(f.value), f.share!.label, f.share!.value === null ? missing : percent(f.share!.value)]);
  return `<h3>Andel av befolkningen</h3>${table(['Nyckeltal', 'Antal hittills i år', 'Av', 'Andel'], rows, 1)}`;
}

/** What the figures cover: the year to date, the tertial's own months, and the forecast for the year. */
function scope(figures: ReportFigures): string {
  const { period } = figures;
  const through = `januari–${fullMonths[Number(period.to.slice(5, 7)) - 1]}`;
  const year = period.kind === 'VB' ? `Året ${period.year}` : `Året hittills (${through}) och tertialens egna månader, med helårsprognos mot årets mål`;
  const when = figures.preliminary
    ? ' Skriven inom perioden: siffrorna är hittills, och de slutliga kommer som en ny version när perioden är slut.'
    : ' Slutliga siffror för hela perioden.';
  return `${year}${period.kind === 'T2' ? ' (delårsbokslut per 31 augusti)' : ''}.${when}`;
}

const stamp = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));

function table(head: string[], rows: string[][], numericFrom = 1): string {
  if (rows.length === 0) return '<p>Inget under perioden.</p>';
  const cell = (tag: string, value: string, i: number) => `<${tag}${i >= numericFrom ? ' class="n"' : ''}>${escapeHtml(value)}</${tag}>`;
  return `<table><thead><tr>${head.map((h, i) => cell('th', h, i)).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((v, i) => cell('td', v, i)).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export function reportHtml(figures: ReportFigures, text: ReportText): string {
  const { period } = figures;
  const wheel = wheelSvg({ year: period.year, controls: figures.completion.controls, title: `Årshjulet ${period.id}: andel klara per kontroll och månad` });
  const bars = indicatorsSvg(figures.indicators);
  const meeting = figures.indicators.filter((f) => f.meetsTarget === true).length;
  const unknown = figures.indicators.filter((f) => f.meetsTarget === null).length;
  const analysis = text.analysis
    ? text.analysis.split(/\n\s*\n/).map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`).join('')
    : '<p class="waiting">Analysen är inte skriven ännu: rapporten väntar på enhetschefens analys.</p>';
  const value = (rate: boolean, v: number | null) => (v === null ? missing : rate ? percent(v) : count(v));
  const caseControls = figures.completion.controls.filter((c) => c.scope === 'case');
  const unitControls = figures.completion.controls.filter((c) => c.scope !== 'case');
  const controlRows = (controls: typeof caseControls) =>
    controls.flatMap((c) => c.months.map((m) => [c.title, monthName(m.month), count(m.done), count(m.total), count(m.overdue), percent(m.total ? m.done / m.total : 0)]));
  return `<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>${escapeHtml(`${period.title}: ${figures.unitName}`)}</title>
<style>
body{font-family:Arial,sans-serif;margin:2em;color:#111}h1{margin-bottom:0}.meta{color:#444;margin-top:.3em}
table{border-collapse:collapse;margin:.5em 0 1.5em;width:100%}td,th{border:1px solid #999;padding:3px 8px;text-align:left;font-size:12px}.n{text-align:right;white-space:nowrap;width:1%}
svg,figure,tr{break-inside:avoid}h2,h3{break-after:avoid}.waiting{font-style:italic;color:#a00}.summary{font-size:15px}
@page{size:A4;margin:15mm}@media print{body{margin:0}}
</style></head>
<body>
<h1>${escapeHtml(period.title)}</h1>
<p class="meta">${escapeHtml(figures.unitName)} · ${escapeHtml(period.from)} – ${escapeHtml(period.to)} · underlag per ${escapeHtml(stamp(figures.asOf))} · version ${text.version}</p>
<p class="meta">${escapeHtml(scope(figures))}</p>
<p class="summary">Årshjulets kontroller: ${figures.completion.controls.some((c) => c.months.some((m) => m.total > 0)) ? `${percent(figures.completion.rate)} klara` : 'inga uppgifter under perioden'}. Nyckeltal som når årsmålet: ${meeting} av ${figures.indicators.length}${unknown ? ` (${unknown} ${missing})` : ''}.</p>
<section><h2>Analys</h2>${analysis}</section>
<section><h2>Nyckeltal mot årsmål</h2>${bars}
${shares(figures)}
${period.kind !== 'VB'
    ? table(['Nyckeltal', 'Tertialen', 'Hittills i år', 'Helårsprognos', 'Årsmål', 'Uppfylls enligt prognos', 'Prognosen bygger på'], figures.indicators.map((f) => [f.title, value(f.rate, f.tertial ?? null), value(f.rate, f.value), value(f.rate, f.forecast ?? null), `${goal(f.target.direction)} ${value(f.rate, f.target.value)}`, met(f.meetsTarget), f.forecastBasis ?? '']))
    : figures.preliminary
      ? table(['Nyckeltal', 'Hittills i år', 'Helårsprognos', 'Årsmål', 'Uppfylls enligt prognos', 'Prognosen bygger på'], figures.indicators.map((f) => [f.title, value(f.rate, f.value), value(f.rate, f.forecast ?? null), `${goal(f.target.direction)} ${value(f.rate, f.target.value)}`, met(f.meetsTarget), f.forecastBasis ?? '']))
      : table(['Nyckeltal', 'Året', 'Årsmål', 'Uppfyllt'], figures.indicators.map((f) => [f.title, value(f.rate, f.value), `${goal(f.target.direction)} ${value(f.rate, f.target.value)}`, met(f.meetsTarget)]))}
</section>
<section><h2>Årshjulet</h2>${wheel}
<h3>Handläggningens kontroller</h3>
${table(['Kontroll', 'Månad', 'Klara', 'Totalt', 'Försenade', 'Andel klara'], controlRows(caseControls), 2)}
<h3>Ledningens årshjul</h3>
${table(['Uppgift', 'Månad', 'Klara', 'Totalt', 'Försenade', 'Andel klara'], controlRows(unitControls), 2)}
</section>
<section><h2>Internkontroll</h2>
${table(['Kontroll', 'Stickprov', 'Ärenden', 'Granskade', 'Avvikelser', 'Avvikelsegrad', 'Öppna rättelser'], figures.internalControl.map((k) => [k.title, count(k.samples), count(k.sampled), count(k.reviewed), count(k.deviations), percent(k.deviationRate), count(k.correctiveOpen)]))}
</section>
</body></html>
`;
}
