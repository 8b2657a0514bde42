// The deputy head's dashboard: the årshjul as a wheel, a matrix of controls × months (done, open,
// overdue), each caseworker's load, drill-down to the tasks, and CSV. The numbers come from the
// tasks as they stand now, counted as `arshjul tasks list` shows them (src/reports/completion.ts).
import { Type, type Static } from 'typebox';
import { today } from '../calendar/businessDays.js';
import { wheelSvg } from '../reports/charts.js';
import { completionNow, type ControlCompletion } from '../reports/completion.js';
import { count, csv, csvFile, monthName } from '../reports/format.js';
import { TaskActionError } from '../tasks/lifecycle.js';
import type { Queryable } from '../store/db.js';
import { roundsOfYear } from '../store/controlRounds.js';
import { controlTitles, isOpen, loadPerAssignee, overdueNow, searchTasks, type TaskSearch } from '../store/tasks.js';
import { swedishOrder } from '../reports/format.js';
import { summarizeOverdue, type OverdueLine, type OverdueSummary } from '../reports/overdue.js';
import { closeRound, reopenRound } from '../cycle/controlRound.js';
import { roleNames } from '../rules/describe.js';
import { logAccess, queryText } from './accessLog.js';
import type { Routes, WebDeps } from './app.js';
import { BadRequest } from './app.js';
import { html, raw } from './html.js';
import { csrfField, page } from './layout.js';
import { personName, staffNames, statusOf, stockholmClock, subjectOf, type Names } from './names.js';
import { heads, taskUrl } from './taskAccess.js';

const months = (year: number) => Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);

const yearQuery = Type.Object({ year: Type.Optional(Type.String()) });

function yearOf(query: Static<typeof yearQuery>): number {
  const raw = query.year;
  const year = raw === undefined ? Number(today().slice(0, 4)) : Number(raw);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new BadRequest('Ange året som fyra siffror, t.ex. 2027.');
  return year;
}

export async function yearCompletion(db: Queryable, unitId: string, year: number): Promise<ControlCompletion[]> {
  return completionNow(db, { unitId, from: `${year}-01-01`, to: `${year}-12-31`, today: today() });
}

const load = (db: Queryable, unitId: string, year: number) => loadPerAssignee(db, unitId, year, today());

const cycles: { name: string; scopes: ControlCompletion['scope'][] }[] = [
  { name: 'Handläggningens årshjul', scopes: ['case'] },
  { name: 'Ledningens årshjul', scopes: ['unit', 'staff'] },
];

// The matrix's orders: by the controls' names, or most overdue, done or tasks first.
type Order = (a: ControlCompletion, b: ControlCompletion) => number;
const matrixOrders: Record<'namn' | 'forsenade' | 'klara' | 'totalt', Order> = {
  namn: () => 0,
  forsenade: (a: ControlCompletion, b: ControlCompletion) => b.overdue - a.overdue,
  klara: (a: ControlCompletion, b: ControlCompletion) => b.done - a.done,
  totalt: (a: ControlCompletion, b: ControlCompletion) => b.total - a.total,
};
type MatrixOrder = keyof typeof matrixOrders;
const overviewQuery = Type.Object({ year: Type.Optional(Type.String()), ordning: Type.Optional(Type.Union(Object.keys(matrixOrders).map((k) => Type.Literal(k)))) });

const overdueList = (url: string) => `/oversikt/uppgifter?visa=overdue&${url}`;

/** The overview's first screen: what is late now, by control and by person, most first. */
function overdueSection(summary: OverdueSummary) {
  if (summary.total === 0) return html`<section id="forsenat" data-total="0"><h2>Försenat i dag</h2><p>Inga försenade uppgifter.</p></section>`;
  const table = (id: string, caption: string, heading: string, lines: OverdueLine[], link: (l: OverdueLine) => string) => html`<div class="scroll"><table id="${id}" class="list"><caption>${caption}</caption>
<thead><tr><th scope="col">${heading}</th><th scope="col" class="n">Försenade</th></tr></thead><tbody>
${lines.map((l) => html`<tr data-key="${l.key ?? ''}"><th scope="row"><a href="${link(l)}">${l.name}</a></th><td class="n">${l.n}</td></tr>`)}
</tbody><tfoot><tr><th scope="row">Totalt</th><td class="n">${summary.total}</td></tr></tfoot></table></div>`;
  return html`<section id="forsenat" data-total="${summary.total}"><h2>Försenat i dag: <a href="${overdueList('')}">${summary.total === 1 ? '1 uppgift' : `${count(summary.total)} uppgifter`}</a></h2>
<p>Öppna uppgifter vars sista dag har passerat, alla år. Flest först; välj en rad för uppgifterna.</p>
<div class="pair">${table('forsenat-kontroller', 'Per kontroll', 'Kontroll', summary.byControl, (l) => overdueList(`regel=${encodeURIComponent(l.key!)}`))}
${table('forsenat-personer', 'Per person', 'Ansvarig', summary.byPerson, (l) => overdueList(l.key === null ? 'ansvarig=ingen' : `ansvarig=${encodeURIComponent(l.key)}`))}</div></section>`;
}

const roundNotices: Record<string, { kind: 'ok'; text: string }> = {
  stangd: { kind: 'ok', text: 'Kontrollomgången är stängd: inga fler påminnelser eller eskaleringar. Du kan öppna den igen nedan.' },
  oppnad: { kind: 'ok', text: 'Kontrollomgången är öppen igen: påminnelser och eskaleringar fortsätter.' },
};

type Round = Awaited<ReturnType<typeof roundsOfYear>>[number];

/** One control in one month: its round, which a head may close (no more reminders or escalations) and open again. */
function roundBox(round: Round, title: string, names: Names, user: Parameters<typeof csrfField>[0]) {
  const year = round.period.slice(0, 4);
  const what = html`<p>Kontrollomgången ${title} ${monthName(round.period)} ${year}: ${round.open} öppna av ${round.total}${round.closed ? html`, stängd av ${personName(names, round.closedBy)} ${round.closedAt ? stockholmClock(round.closedAt) : ''}: inga fler påminnelser` : ''}.</p>`;
  if (round.closed) {
    return html`${what}<form method="post" action="/oversikt/omgang/oppna" class="noprint">${csrfField(user)}<input type="hidden" name="regel" value="${round.ruleId}"><input type="hidden" name="manad" value="${round.period}">
<button>Öppna omgången igen</button> (påminnelser och eskaleringar fortsätter)</form>`;
  }
  if (round.open === 0) return what;
  return html`${what}<form method="get" action="/oversikt/omgang/stang" class="noprint"><input type="hidden" name="regel" value="${round.ruleId}"><input type="hidden" name="manad" value="${round.period}">
<button>Stäng omgången …</button> (inga fler påminnelser eller eskaleringar; uppgifterna förblir öppna)</form>`;
}

export function dashboardView(routes: Routes, deps: WebDeps): void {
  const { db } = deps;
  routes.add({
    method: 'GET', url: '/oversikt', access: [...heads],
    schema: { querystring: overviewQuery },
    handler: async (request, reply) => {
      const user = request.user!;
      const year = yearOf(request.query);
      const order: MatrixOrder = request.query.ordning ?? 'namn';
      const date = today();
      const names = await staffNames(db, user.unitId);
      const controls = (await yearCompletion(db, user.unitId, year)).sort((a, b) => matrixOrders[order](a, b) || swedishOrder(a.title, b.title));
      const people = (await load(db, user.unitId, year)).sort((a, b) => b.overdue - a.overdue || swedishOrder(a.name, b.name));
      const overdue = summarizeOverdue(await overdueNow(db, user.unitId, date), (id) => (id === null ? 'Ingen tilldelad' : personName(names, id)));
      const cell = (c: ControlCompletion, month: string) => {
        const m = c.months.find((x) => x.month === month);
        if (!m) return html`<td></td>`;
        return html`<td class="n"><a href="/oversikt/uppgifter?regel=${encodeURIComponent(c.ruleId)}&manad=${month}" title="${c.title}, ${monthName(month)}: ${m.done} klara, ${m.open} öppna, ${m.overdue} ${m.overdue === 1 ? 'försenad' : 'försenade'}">${m.done}/${m.total}</a>${m.overdue ? html`<br><span class="overdue">⚠ ${m.overdue} förs.</span>` : ''}</td>`;
      };
      const sortHeader = (key: MatrixOrder, label: string, numeric: boolean) => html`<th scope="col"${numeric ? raw(' class="n"') : ''}${order === key ? raw(` aria-sort="${key === 'namn' ? 'ascending' : 'descending'}"`) : ''}><a href="/oversikt?year=${year}&ordning=${key}#matris" title="Sortera efter ${label.toLowerCase()}">${label}${order === key ? (key === 'namn' ? ' ▲' : ' ▼') : ''}</a></th>`;
      const row = (c: ControlCompletion) => html`<tr data-rule="${c.ruleId}"><th scope="row"><a href="/oversikt/uppgifter?regel=${encodeURIComponent(c.ruleId)}&year=${year}">${c.title}</a></th>${months(year).map((m) => cell(c, m))}<td class="n">${c.done}</td><td class="n">${c.total}</td><td class="n${c.overdue ? ' overdue' : ''}">${c.overdue}</td></tr>`;
      const sum = (list: ControlCompletion[], pick: (c: ControlCompletion) => number) => list.reduce((n, c) => n + pick(c), 0);
      const groups = cycles.map((cycle) => ({ ...cycle, controls: controls.filter((c) => cycle.scopes.includes(c.scope)) })).filter((g) => g.controls.length > 0);
      return reply.type('text/html').send(page({
        title: `Årshjulet ${year}`, user,
        body: html`<p><a href="/oversikt?year=${year - 1}">← ${year - 1}</a> · <a href="/oversikt?year=${year + 1}">${year + 1} →</a> · <a href="/oversikt.csv?year=${year}">Ladda ner CSV</a></p>
${overdueSection(overdue)}
<h2>Året i hjulet</h2>
<figure>${raw(wheelSvg({ year, controls, today: date, title: `Årshjulet ${year}: kontrollerna per månad, klara, pågående och försenade` }))}<figcaption>Varje månad delas mellan kontrollerna den månaden. Grönt: klar. Ljusblått: pågår, inget försenat. Rött med vita ränder och ⚠: försenade uppgifter. Under månadens namn klara av alla och antalet försenade. Visaren står på dagens datum.</figcaption></figure>
<h2>Kontroller per månad</h2><p>Klara/totalt; ⚠ försenade. Välj en siffra för uppgifterna, eller en kolumnrubrik för att sortera.</p>
<div class="scroll"><table id="matris"><thead><tr>${sortHeader('namn', 'Kontroll', false)}${months(year).map((m) => html`<th scope="col" class="n">${monthName(m)}</th>`)}${sortHeader('klara', 'Klara', true)}${sortHeader('totalt', 'Totalt', true)}${sortHeader('forsenade', 'Försenade', true)}</tr></thead>
${groups.map((g) => html`<tbody><tr class="group"><th scope="colgroup" colspan="16">${g.name}</th></tr>
${g.controls.map(row)}</tbody>`)}
<tfoot><tr><th scope="row">Alla kontroller</th>${months(year).map((m) => {
        const inMonth = controls.flatMap((c) => c.months.filter((x) => x.month === m));
        return html`<td class="n">${inMonth.length ? `${sum(controls, (c) => c.months.find((x) => x.month === m)?.done ?? 0)}/${sum(controls, (c) => c.months.find((x) => x.month === m)?.total ?? 0)}` : ''}</td>`;
      })}<td class="n">${sum(controls, (c) => c.done)}</td><td class="n">${sum(controls, (c) => c.total)}</td><td class="n">${sum(controls, (c) => c.overdue)}</td></tr></tfoot></table></div>
<h2>Per person</h2><p>Alla i enheten, också de utan uppgifter i år, flest försenade först. Klara och inte aktuella räknas var för sig.</p>
<div class="scroll"><table class="list" id="personer"><thead><tr><th scope="col">Namn</th><th scope="col">Roll</th><th scope="col" class="n">Öppna</th><th scope="col" class="n" aria-sort="descending">Försenade ▼</th><th scope="col" class="n">Klara</th><th scope="col" class="n">Inte aktuella</th></tr></thead><tbody>
${people.map((p) => html`<tr data-assignee="${p.assignee}"><td><a href="/oversikt/uppgifter?ansvarig=${encodeURIComponent(p.assignee)}&year=${year}&visa=open">${p.name}</a></td><td>${roleNames[p.role as keyof typeof roleNames] ?? p.role}</td><td class="n">${p.open}</td><td class="n${p.overdue ? ' overdue' : ''}">${p.overdue}</td><td class="n">${p.done}</td><td class="n">${p.notApplicable}</td></tr>`)}
</tbody></table></div>`,
      }));
    },
  });

  routes.add({
    method: 'GET', url: '/oversikt.csv', access: [...heads],
    schema: { querystring: yearQuery },
    handler: async (request, reply) => {
      const year = yearOf(request.query);
      const controls = await yearCompletion(db, request.user!.unitId, year);
      await logAccess(deps, request, { view: 'overview-csv', query: queryText([['år', year]]) });
      const rows = [['kontroll', 'namn', 'månad', 'klara', 'öppna', 'försenade', 'totalt']];
      for (const c of controls) for (const m of c.months) rows.push([c.ruleId, c.title, m.month, count(m.done), count(m.open), count(m.overdue), count(m.total)]);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="arshjulet-${year}.csv"`).send(csvFile(csv(rows)));
    },
  });

  const showNames: Record<NonNullable<TaskSearch['show']>, string> = { all: 'Alla', open: 'Öppna', overdue: 'Försenade', done: 'Klara', 'not-applicable': 'Inte aktuella' };
  const sortNames: Record<NonNullable<TaskSearch['sort']>, string> = { due: 'Klar senast', control: 'Kontroll', case: 'Ärende', assignee: 'Ansvarig', state: 'Status' };
  const shows = Object.keys(showNames) as NonNullable<TaskSearch['show']>[];
  const sorts = Object.keys(sortNames) as NonNullable<TaskSearch['sort']>[];
  const limit = 500;

  routes.add({
    method: 'GET', url: '/oversikt/uppgifter', access: [...heads],
    schema: {
      querystring: Type.Object({
        regel: Type.Optional(Type.String({ maxLength: 100 })), manad: Type.Optional(Type.String({ pattern: '^(\\d{4}-(0[1-9]|1[0-2]))?$' })),
        ansvarig: Type.Optional(Type.String({ maxLength: 100 })), arende: Type.Optional(Type.String({ maxLength: 100 })), year: Type.Optional(Type.String()),
        visa: Type.Optional(Type.Union(shows.map((v) => Type.Literal(v)))), sortera: Type.Optional(Type.Union(sorts.map((v) => Type.Literal(v)))),
        klart: Type.Optional(Type.String()),
      }),
    },
    handler: async (request, reply) => {
      const user = request.user!;
      const q = request.query;
      const year = q.manad ? Number(q.manad.slice(0, 4)) : yearOf(request.query);
      // What is overdue now may be from an earlier year: without a year or month, every year's.
      const allYears = q.visa === 'overdue' && !q.manad && q.year === undefined;
      const date = today();
      const { tasks, total } = await searchTasks(db, {
        unitId: user.unitId, year: allYears ? null : year, ruleId: q.regel || undefined, period: q.manad || undefined,
        assignee: q.ansvarig && q.ansvarig !== 'ingen' ? q.ansvarig : undefined, unassigned: q.ansvarig === 'ingen',
        caseId: q.arende?.trim() || undefined, show: q.visa ?? 'all', sort: q.sortera ?? 'due', today: date, limit,
      });
      // The search as typed and the cases the rows show.
      await logAccess(deps, request, {
        view: 'working-view', caseIds: tasks.map((t) => t.case_id),
        query: queryText([['år', allYears ? 'alla' : year], ['kontroll', q.regel], ['månad', q.manad], ['ansvarig', q.ansvarig], ['visa', q.visa], ['ärende', q.arende?.trim()], ['sortera', q.sortera]]),
      });
      const names = await staffNames(db, user.unitId);
      const controls = (await controlTitles(db, user.unitId, year)).sort((a, b) => swedishOrder(a.title, b.title));
      const people = [...names].sort((a, b) => swedishOrder(a[1], b[1]));
      const round = q.regel && q.manad ? (await roundsOfYear(db, user.unitId, year)).find((r) => r.ruleId === q.regel && r.period === q.manad) : undefined;
      const option = (value: string, label: string, chosen: string | undefined) => html`<option value="${value}"${value === (chosen ?? '') ? ' selected' : ''}>${label}</option>`;
      return reply.type('text/html').send(page({
        title: allYears ? 'Försenade uppgifter' : `Uppgifter ${year}`, user, notice: q.klart && Object.hasOwn(roundNotices, q.klart) ? roundNotices[q.klart] : undefined,
        body: html`<p class="noprint"><a href="/oversikt?year=${year}">← Årshjulet ${year}</a></p>
<form method="get" action="/oversikt/uppgifter" class="filters noprint">${allYears ? '' : html`<input type="hidden" name="year" value="${year}">`}
<label>Kontroll <select name="regel">${option('', 'Alla kontroller', q.regel)}${controls.map((c) => option(c.ruleId, c.title, q.regel))}</select></label>
<label>Månad <input type="month" name="manad" value="${q.manad ?? ''}" min="${year}-01" max="${year}-12"></label>
<label>Ansvarig <select name="ansvarig">${option('', 'Alla', q.ansvarig)}${people.map(([id, name]) => option(id, name, q.ansvarig))}${option('ingen', 'Ingen tilldelad', q.ansvarig)}</select></label>
<label>Visa <select name="visa">${shows.map((v) => option(v, showNames[v], q.visa ?? 'all'))}</select></label>
<label>Ärende <input type="search" name="arende" value="${q.arende ?? ''}" maxlength="100" placeholder="ärendenummer"></label>
<label>Sortera efter <select name="sortera">${sorts.map((v) => option(v, sortNames[v], q.sortera ?? 'due'))}</select></label>
<button>Visa</button> <a href="/oversikt/uppgifter?year=${year}">Rensa</a></form>
<p>${total === 1 ? '1 uppgift' : `${count(total)} uppgifter`}${total > tasks.length ? ` (de ${limit} första visas: smalna av med filtren)` : ''}.</p>
${round ? roundBox(round, controls.find((c) => c.ruleId === round.ruleId)?.title ?? '', names, user) : ''}
${tasks.length ? html`<table class="list"><thead><tr><th scope="col">Kontroll</th><th scope="col">Ärende</th><th scope="col">Månad</th><th scope="col">Klar senast</th><th scope="col">Ansvarig</th><th scope="col">Status</th></tr></thead><tbody>
${tasks.map((t) => html`<tr><td>${t.title}</td><td><a href="${taskUrl(t)}">${subjectOf(t, names)}</a></td><td>${monthName(t.period)}</td>
<td class="${t.due_on < date && isOpen(t.state) ? 'overdue' : ''}">${t.due_on}${t.due_on < date && isOpen(t.state) ? ' (försenad)' : ''}</td><td>${personName(names, t.assignee)}</td><td>${statusOf(t, date, false)}</td></tr>`)}
</tbody></table>` : html`<p>Inga uppgifter stämmer med filtren.</p>`}`,
      }));
    },
  });

  const roundBody = Type.Object({ regel: Type.String({ maxLength: 100 }), manad: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }) });
  const roundList = (regel: string, manad: string, klart: string) => `/oversikt/uppgifter?regel=${encodeURIComponent(regel)}&manad=${manad}&klart=${klart}`;

  // Closing a round asks first: what it means, and that it can be taken back.
  routes.add({
    method: 'GET', url: '/oversikt/omgang/stang', access: [...heads],
    schema: { querystring: roundBody },
    handler: async (request, reply) => {
      const user = request.user!;
      const { regel, manad } = request.query;
      const round = (await roundsOfYear(db, user.unitId, Number(manad.slice(0, 4)))).find((r) => r.ruleId === regel && r.period === manad);
      if (!round) throw new BadRequest('Det finns ingen sådan kontrollomgång.');
      const title = (await controlTitles(db, user.unitId, Number(manad.slice(0, 4)))).find((c) => c.ruleId === regel)?.title ?? '';
      return reply.type('text/html').send(page({
        title: 'Stänga kontrollomgången?', user,
        body: html`<p>${title}, ${monthName(manad)} ${manad.slice(0, 4)}: ${round.open} ${round.open === 1 ? 'öppen uppgift' : 'öppna uppgifter'} av ${round.total}.</p>
<p>När omgången är stängd skickas inga fler påminnelser och inga eskaleringar för den. Uppgifterna förblir öppna och kan fortfarande göras. Du kan öppna omgången igen.</p>
<form method="post" action="/oversikt/omgang/stang">${csrfField(user)}<input type="hidden" name="regel" value="${regel}"><input type="hidden" name="manad" value="${manad}">
<button>Ja, stäng omgången</button> <a href="/oversikt/uppgifter?regel=${encodeURIComponent(regel)}&manad=${manad}">Avbryt</a></form>`,
      }));
    },
  });

  routes.add({
    method: 'POST', url: '/oversikt/omgang/stang', access: [...heads],
    schema: { body: roundBody },
    handler: async (request, reply) => {
      const user = request.user!;
      const { regel, manad } = request.body;
      const round = (await roundsOfYear(db, user.unitId, Number(manad.slice(0, 4)))).find((r) => r.ruleId === regel && r.period === manad);
      if (!round) throw new BadRequest('Det finns ingen sådan kontrollomgång.');
      // A round whose tasks are all done takes no more steps: nothing is left to close.
      if (round.open === 0) throw new BadRequest('Omgången är redan avslutad: alla dess uppgifter är klara.');
      try {
        await closeRound(db, { unitId: user.unitId, ruleId: regel, period: manad, by: user.staffId, at: new Date().toISOString() });
      } catch (error) {
        if (error instanceof TaskActionError) throw new BadRequest(`Omgången stängdes inte: ${error.message}.`);
        throw error;
      }
      return reply.redirect(roundList(regel, manad, 'stangd'));
    },
  });

  routes.add({
    method: 'POST', url: '/oversikt/omgang/oppna', access: [...heads],
    schema: { body: roundBody },
    handler: async (request, reply) => {
      const user = request.user!;
      const round = { unitId: user.unitId, ruleId: request.body.regel, period: request.body.manad };
      try {
        await reopenRound(db, { ...round, by: user.staffId });
      } catch (error) {
        if (error instanceof TaskActionError) throw new BadRequest(`Omgången öppnades inte: ${error.message}.`);
        throw error;
      }
      // The next sweep takes the round's steps that have come, those missed while it was closed too.
      return reply.redirect(roundList(round.ruleId, round.period, 'oppnad'));
    },
  });

  routes.add({
    method: 'GET', url: '/api/dashboard', access: [...heads],
    schema: { summary: 'Årshjulet: per kontroll och månad klara, öppna, försenade; och per handläggare', querystring: yearQuery },
    handler: async (request) => {
      const year = yearOf(request.query);
      return { year, controls: await yearCompletion(db, request.user!.unitId, year), caseworkers: await load(db, request.user!.unitId, year) };
    },
  });

  routes.add({
    method: 'GET', url: '/api/rounds', access: [...heads],
    schema: { summary: 'Kontrollomgångar (regel × månad) med öppna uppgifter och om de är stängda', querystring: yearQuery },
    handler: async (request) => {
      const year = yearOf(request.query);
      return roundsOfYear(db, request.user!.unitId, year);
    },
  });
}
