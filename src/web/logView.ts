// The access log for those who review it (the unit head, the deputy heads, and a person with the
// log-reviewer flag): search by case, person and time, and the same as CSV. Reading the log is
// itself recorded, with the search.
import { Type, type Static } from 'typebox';
import { searchAccess } from '../accessLog/log.js';
import { dayBound, logColumns, logCsvRows, logRow } from '../accessLog/present.js';
import { ConfigError } from '../platform/config.js';
import { count, csv, csvFile } from '../reports/format.js';
import { logAccess, queryText } from './accessLog.js';
import type { Routes, WebDeps } from './app.js';
import { BadRequest } from './app.js';
import { html } from './html.js';
import { page, scrollBox } from './layout.js';
import { staffNames, swedishOrder } from './names.js';

/** Who may read the log: the heads, and a person the installation made log reviewer. */
export const logReaders = ['deputy', 'head', 'logreviewer'] as const;

const day = Type.Optional(Type.String({ pattern: '^(\\d{4}-\\d{2}-\\d{2})?$' }));
const logQuery = Type.Object({
  arende: Type.Optional(Type.String({ maxLength: 100 })), person: Type.Optional(Type.String({ maxLength: 100 })), fran: day, till: day,
});
type LogQuery = Static<typeof logQuery>;

const shownRows = 500;
const csvRows = 100_000;

/** The search from the address: empty fields are no filter. */
function searchOf(unitId: string, q: LogQuery, limit: number) {
  try {
    return {
      unitId, caseId: q.arende?.trim() || undefined, staffId: q.person || undefined,
      from: dayBound(q.fran || undefined, false), to: dayBound(q.till || undefined, true), limit,
    };
  } catch (error) {
    if (error instanceof ConfigError) throw new BadRequest('Skriv datumen som ÅÅÅÅ-MM-DD, t.ex. 2027-05-03.');
    throw error;
  }
}

const described = (q: LogQuery) => queryText([['ärende', q.arende?.trim()], ['person', q.person], ['från', q.fran], ['till', q.till]]);

export function logView(routes: Routes, deps: WebDeps): void {
  const { db } = deps;

  routes.add({
    method: 'GET', url: '/logg', access: [...logReaders],
    schema: { querystring: logQuery },
    handler: async (request, reply) => {
      const user = request.user!;
      const q = request.query;
      const search = searchOf(user.unitId, q, shownRows);
      // This reading goes on record first: it is in the answer it gives.
      await logAccess(deps, request, { view: 'log', caseIds: [search.caseId], query: described(q) });
      const { records, total } = await searchAccess(db, search);
      const names = await staffNames(db, user.unitId);
      const people = [...names].sort((a, b) => swedishOrder(a[1], b[1]));
      const csvLink = `/logg.csv?${new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')).toString()}`;
      return reply.type('text/html').send(page({
        title: 'Åtkomstloggen', user,
        body: html`<p>Varje gång någon har sett uppgifter om ärenden (en uppgift, inkorgen, arbetsvyn och dess sökning, API:ts uppgiftslistor, en granskning, en nedladdning), varje inloggning och varje läsning av loggen. Posterna kan inte ändras; <code>arshjul log verify</code> visar om någon ändå har ändrats. De gallras efter den tid installationen har bestämt.</p>
<form method="get" action="/logg" class="filters noprint">
<label>Ärende <input name="arende" value="${q.arende ?? ''}" maxlength="100" placeholder="ärendenummer"></label>
<label>Person <select name="person"><option value="">Alla</option>${people.map(([id, name]) => html`<option value="${id}"${id === q.person ? ' selected' : ''}>${name} (${id})</option>`)}</select></label>
<label>Från och med <input type="date" name="fran" value="${q.fran ?? ''}"></label>
<label>Till och med <input type="date" name="till" value="${q.till ?? ''}"></label>
<button>Sök</button> <a href="/logg">Rensa</a></form>
<p>${total === 1 ? '1 post' : `${count(total)} poster`}${total > records.length ? ` (de ${shownRows} senaste visas: smalna av sökningen, eller ladda ner alla som CSV)` : ''}. <a href="${csvLink}">Ladda ner som CSV</a></p>
${records.length ? scrollBox('Åtkomstloggen', html`<table class="list" id="logg"><caption>Poster, senaste först</caption><thead><tr>${logColumns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead><tbody>
${records.map((r) => {
  const [seq, at, who, view, cases, query, session, address] = logRow(r, names);
  // The session's first characters are enough to see which records one session made; the CSV has it whole.
  return html`<tr data-seq="${r.seq}"><td class="n">${seq}</td><td class="nowrap">${at}</td><td>${who}</td><td>${view}</td><td>${cases}</td><td>${query}</td><td><code>${session?.slice(0, 8)}</code></td><td>${address}</td></tr>`;
})}
</tbody></table>`) : html`<p>Inga poster stämmer med sökningen.</p>`}`,
      }));
    },
  });

  routes.add({
    method: 'GET', url: '/logg.csv', access: [...logReaders],
    schema: { querystring: logQuery },
    handler: async (request, reply) => {
      const user = request.user!;
      const q = request.query;
      const search = searchOf(user.unitId, q, csvRows);
      await logAccess(deps, request, { view: 'log-csv', caseIds: [search.caseId], query: described(q) });
      const { records } = await searchAccess(db, search);
      const names = await staffNames(db, user.unitId);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="atkomstloggen.csv"').send(csvFile(csv(logCsvRows(records, names))));
    },
  });
}
