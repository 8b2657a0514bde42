// The unit head's and deputy heads' reports: each tertial and annual report's stored versions to
// read and download (HTML, PDF, CSV), and the analysis task to write.
import { Type } from 'typebox';
import { parseReportPeriod, reportClosesAt, reportKinds, reportPeriod } from '../reports/period.js';
import { today } from '../calendar/businessDays.js';
import { csvFile, monthName } from '../reports/format.js';
import { isOpen } from '../store/tasks.js';
import { stateNames } from '../tasks/lifecycle.js';
import { stockholmClock } from './names.js';
import { storedReports, type StoredReport } from '../reports/tertialReport.js';
import { reportIndex } from '../store/reports.js';
import { analysisTasks } from '../store/tasks.js';
import { logAccess, queryText } from './accessLog.js';
import type { Handler, Routes, WebDeps } from './app.js';
import { BadRequest, Forbidden } from './app.js';
import { html } from './html.js';
import { page } from './layout.js';
import { heads, taskUrl } from './taskAccess.js';

const reportParams = Type.Object({ unit: Type.String(), period: Type.String(), file: Type.Optional(Type.String()) });

/** Where a report's versions are listed on the reports page. */
export const versionsAnchor = (period: string) => `rapport-${period}`;

/**
 * A stored report as a page of the app: the document as it was stored, with a way back (to the
 * reports, to this report's versions and its other versions), a viewport so it reads on a phone,
 * and its chart and tables kept inside the screen. None of it is printed.
 */
export function withWayBack(report: Pick<StoredReport, 'html' | 'period' | 'version'>, versions: Pick<StoredReport, 'version'>[], link: (version: number, ext: string) => string): string {
  const title = parseReportPeriod(report.period).title;
  const nav = html`<nav class="tillbaka" aria-label="Tillbaka"><a href="/rapporter">← Rapporter</a> · <a href="/rapporter#${versionsAnchor(report.period)}">Alla versioner av ${title}</a>${versions.length > 1
    ? html` · Version ${versions.map((v, i) => html`${i ? ', ' : ' '}${v.version === report.version ? html`<strong aria-current="page">${v.version}</strong>` : html`<a href="${link(v.version, 'html')}">${v.version}</a>`}`)}` : ''}</nav>`;
  const style = '<meta name="viewport" content="width=device-width, initial-scale=1"><style>.tillbaka{margin:0 0 1em;font-size:15px}.tillbaka a{color:#004c8c}'
    + '.rulla{overflow-x:auto;max-width:100%}.rulla:focus{outline:3px solid #f5a623}svg{max-width:100%;height:auto}@media (max-width:700px){body{margin:1em}}@media print{.tillbaka{display:none}}</style>';
  // Each table in a box of its own that scrolls sideways on a narrow screen, reachable by keyboard, named by the heading above it.
  const boxed = report.html.replace(/<table>[\s\S]*?<\/table>/g, (table, at: number) => {
    const heading = [...report.html.slice(0, at).matchAll(/<h[23]>([^<]*)<\/h[23]>/g)].at(-1)?.[1] ?? 'Tabell';
    return `<div class="rulla" role="region" aria-label="${heading}" tabindex="0">${table}</div>`;
  });
  return boxed.replace('</head>', () => `${style}</head>`).replace('<body>', () => `<body>${nav.value}`);
}


export function reportsView(routes: Routes, deps: WebDeps): void {
  const { db } = deps;

  routes.add({
    method: 'GET', url: '/rapporter', access: [...heads],
    handler: async (request, reply) => {
      const user = request.user!;
      const versions = await reportIndex(db, user.unitId);
      // The analysis tasks of the reports: where the unit head writes the text.
      const analysis = await analysisTasks(db, user.unitId);
      // The first report whose final figures are still to come.
      const year = Number(today().slice(0, 4));
      const next = [year, year + 1].flatMap((y) => reportKinds.map((k) => reportPeriod(y, k))).sort((a, b) => reportClosesAt(a) - reportClosesAt(b)).find((p) => reportClosesAt(p) > Date.now());
      const link = (v: { period: string; version: number }, ext: string) => `/rapporter/${encodeURIComponent(user.unitId)}/${v.period}/v${v.version}.${ext}`;
      return reply.type('text/html').send(page({
        title: 'Rapporter', user,
        body: html`<h2>Analyser att skriva</h2>
${analysis.length ? html`<ul>${analysis.map((a) => html`<li><a href="${taskUrl(a)}">${a.title} (${monthName(a.period)} ${a.period.slice(0, 4)})</a>: ${isOpen(a.state) ? `öppen, klar senast ${a.due_on}` : stateNames[a.state]}</li>`)}</ul>` : html`<p>Inga just nu.</p>`}
${next ? html`<p class="info">Nästa rapport: <strong>${next.title}</strong>. Första versionen sparas när analysuppgiften öppnas${next.kind === 'VB' ? ' i januari' : ' inom tertialet'}; den slutliga med siffrorna för hela perioden ${stockholmClock(new Date(reportClosesAt(next))).slice(0, 10)}.</p>` : ''}
<h2>Sparade versioner</h2>
${versions.length === 0 ? html`<p>Inga sparade versioner ännu.</p>` : html`<table class="list"><thead><tr><th scope="col">Rapport</th><th scope="col" class="n">Version</th><th scope="col">Underlag per</th><th scope="col">Analys</th><th scope="col">Ladda ner</th></tr></thead><tbody>
${versions.map((v, i) => html`<tr${versions.findIndex((w) => w.period === v.period) === i ? html` id="${versionsAnchor(v.period)}"` : ''}><td>${parseReportPeriod(v.period).title}</td><td class="n">${v.version}</td><td>${stockholmClock(v.as_of)}</td><td>${v.analysis ? 'skriven' : 'väntar'}</td>
<td><a href="${link(v, 'html')}">Läs</a>${v.pdf ? html` · <a href="${link(v, 'pdf')}">PDF</a>` : ''} · <a href="${link(v, 'csv')}">CSV</a></td></tr>`)}
</tbody></table>`}`,
      }));
    },
  });

  const find = async (unitId: string, params: { unit: string; period: string; file?: string }): Promise<{ report: StoredReport; ext: string; versions: StoredReport[] }> => {
    if (params.unit !== unitId) throw new Forbidden('Rapporten hör till en annan enhet.');
    if (!/^\d{4}-(T1|T2|VB)$/.test(params.period)) throw new BadRequest('Okänd period.');
    const versions = await storedReports(db, unitId, params.period);
    const match = params.file ? /^v(\d+)\.(html|pdf|csv)$/.exec(params.file) : null;
    if (params.file && !match) throw new BadRequest('Okänd fil.');
    const report = match ? versions.find((v) => v.version === Number(match[1])) : versions.at(-1);
    if (!report) throw new BadRequest(`Ingen sparad version av ${params.period} ännu: den första görs när enhetschefens analysuppgift öppnas (för tertialerna inom tertialet, inför 2/4 och 2/8).`);
    return { report, ext: match?.[2] ?? 'html', versions };
  };
  const send: Handler<{ params: typeof reportParams }> = async (request, reply) => {
    const { report, ext, versions } = await find(request.user!.unitId, request.params);
    await logAccess(deps, request, { view: 'report', query: queryText([['rapport', report.period], ['version', report.version], ['format', ext]]) });
    const name = `${report.period}-v${report.version}`;
    if (ext === 'pdf') {
      if (!report.pdf) throw new BadRequest(report.pdfError ?? 'Versionen har ingen PDF.');
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${name}.pdf"`).send(Buffer.from(report.pdf));
    }
    if (ext === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(csvFile(report.csv));
    return reply.type('text/html').send(withWayBack(report, versions, (version, file) => `/rapporter/${encodeURIComponent(report.unitId)}/${report.period}/v${version}.${file}`));
  };
  routes.add({ method: 'GET', url: '/rapporter/:unit/:period', access: [...heads], schema: { params: reportParams }, handler: send });
  routes.add({ method: 'GET', url: '/rapporter/:unit/:period/:file', access: [...heads], schema: { params: reportParams }, handler: send });

  routes.add({
    method: 'GET', url: '/api/reports', access: [...heads],
    schema: { summary: 'Sparade versioner av tertial- och årsrapporterna' },
    handler: async (request) => {
      const versions = await reportIndex(db, request.user!.unitId);
      return { kinds: reportKinds, versions };
    },
  });
}
