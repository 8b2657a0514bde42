// The deputy head's dashboard: the årshjul as a wheel, a matrix of controls × months (done, open,
// overdue), each caseworker's load, drill-down to the tasks, and CSV. The numbers come from the
// tasks as they stand now, counted as `arshjul tasks list` shows them (src/reports/completion.ts).
import { WorkflowNotFoundError } from '@temporalio/client';
import { Type, type Static } from 'typebox';
import { today } from '../calendar/businessDays.js';
import { wheelSvg } from '../reports/charts.js';
import { completionNow, type ControlCompletion } from '../reports/completion.js';
import { count, csv, csvFile, monthName } from '../reports/format.js';
import { stateNames } from '../tasks/lifecycle.js';
import type { Queryable } from '../store/db.js';
import { roundsOfYear } from '../store/controlRounds.js';
import { controlTitles, isOpen, loadPerAssignee, searchTasks, type TaskSearch } from '../store/tasks.js';
import { refusalMessage } from '../platform/refusal.js';
import { workflowIds } from '../platform/workflowIds.js';
import { closeRoundUpdate, type controlRound } from '../../workflows/index.js';
import { roleNames } from '../rules/describe.js';
import type { Routes, WebDeps } from './app.js';
import { BadRequest } from './app.js';
import { html, raw } from './html.js';
import { csrfField, page } from './layout.js';
import { personName, staffNames, subjectOf } from './names.js';
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

export function dashboardView(routes: Routes, deps: WebDeps): void {
  const { db } = deps;
  routes.add({
    method: 'GET', url: '/oversikt', access: [...heads],
    schema: { querystring: yearQuery },
    handler: async (request, reply) => {
      const user = request.user!;
      const year = yearOf(request.query);
      const controls = await yearCompletion(db, user.unitId, year);
      const people = await load(db, user.unitId, year);
      const cell = (c: ControlCompletion, month: string) => {
        const m = c.months.find((x) => x.month === month);
        if (!m) return html`<td></td>`;
        return html`<td class="n"><a href="/oversikt/uppgifter?regel=${encodeURIComponent(c.ruleId)}&manad=${month}" title="${c.title}, ${monthName(month)}: ${m.done} klara, ${m.open} öppna, ${m.overdue} ${m.overdue === 1 ? 'försenad' : 'försenade'}">${m.done}/${m.total}</a>${m.overdue ? html`<br><span class="overdue">${m.overdue} förs.</span>` : ''}</td>`;
      };
      return reply.type('text/html').send(page({
        title: `Årshjulet ${year}`, user,
        body: html`<p><a href="/oversikt?year=${year - 1}">← ${year - 1}</a> · <a href="/oversikt?year=${year + 1}">${year + 1} →</a> · <a href="/oversikt.csv?year=${year}">Ladda ner CSV</a></p>
<figure>${raw(wheelSvg({ year, controls, today: today(), title: `Årshjulet ${year}: andel klara per kontroll och månad` }))}<figcaption>Varje månad delas mellan kontrollerna den månaden; färgen visar andelen klara (rött inget, grönt allt), under månadens namn klara av alla. Visaren står på dagens datum.</figcaption></figure>
<h2>Kontroller per månad</h2><p>Klara/totalt; försenade i rött. Välj en siffra för uppgifterna.</p>
<table id="matris"><thead><tr><th scope="col">Kontroll</th>${months(year).map((m) => html`<th scope="col" class="n">${monthName(m)}</th>`)}<th scope="col" class="n">Klara</th><th scope="col" class="n">Totalt</th><th scope="col" class="n">Försenade</th></tr></thead><tbody>
${controls.map((c) => html`<tr data-rule="${c.ruleId}"><th scope="row"><a href="/oversikt/uppgifter?regel=${encodeURIComponent(c.ruleId)}&year=${year}">${c.title}</a></th>${months(year).map((m) => cell(c, m))}<td class="n">${c.done}</td><td class="n">${c.total}</td><td class="n">${c.overdue}</td></tr>`)}
</tbody></table>
<h2>Per person</h2><p>Alla i enheten, också de utan uppgifter i år. Klara och inte aktuella räknas var för sig.</p>
<table class="list"><thead><tr><th scope="col">Namn</th><th scope="col">Roll</th><th scope="col" class="n">Öppna</th><th scope="col" class="n">Försenade</th><th scope="col" class="n">Klara</th><th scope="col" class="n">Inte aktuella</th></tr></thead><tbody>
${people.map((p) => html`<tr><td><a href="/oversikt/uppgifter?ansvarig=${encodeURIComponent(p.assignee)}&year=${year}&visa=open">${p.name}</a></td><td>${roleNames[p.role as keyof typeof roleNames] ?? p.role}</td><td class="n">${p.open}</td><td class="n${p.overdue ? ' overdue' : ''}">${p.overdue}</td><td class="n">${p.done}</td><td class="n">${p.notApplicable}</td></tr>`)}
</tbody></table>`,
      }));
    },
  });

  routes.add({
    method: 'GET', url: '/oversikt.csv', access: [...heads],
    schema: { querystring: yearQuery },
    handler: async (request, reply) => {
      const year = yearOf(request.query);
      const controls = await yearCompletion(db, request.user!.unitId, year);
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
      const date = today();
      const { tasks, total } = await searchTasks(db, {
        unitId: user.unitId, year, ruleId: q.regel || undefined, period: q.manad || undefined, assignee: q.ansvarig || undefined,
        caseId: q.arende?.trim() || undefined, show: q.visa ?? 'all', sort: q.sortera ?? 'due', today: date, limit,
      });
      const names = await staffNames(db, user.unitId);
      const controls = await controlTitles(db, user.unitId, year);
      const people = [...names].sort((a, b) => a[1].localeCompare(b[1], 'sv'));
      // One control in one month: its round, which a head may close (no more reminders or escalations).
      const round = q.regel && q.manad ? (await roundsOfYear(db, user.unitId, year)).find((r) => r.ruleId === q.regel && r.period === q.manad) : undefined;
      const option = (value: string, label: string, chosen: string | undefined) => html`<option value="${value}"${value === (chosen ?? '') ? ' selected' : ''}>${label}</option>`;
      return reply.type('text/html').send(page({
        title: `Uppgifter ${year}`, user, notice: q.klart === 'stangd' ? { kind: 'ok', text: 'Kontrollomgången är stängd: inga fler påminnelser eller eskaleringar.' } : undefined,
        body: html`<p class="noprint"><a href="/oversikt?year=${year}">← Årshjulet ${year}</a></p>
<form method="get" action="/oversikt/uppgifter" class="filters noprint"><input type="hidden" name="year" value="${year}">
<label>Kontroll <select name="regel">${option('', 'Alla kontroller', q.regel)}${controls.map((c) => option(c.ruleId, c.title, q.regel))}</select></label>
<label>Månad <input type="month" name="manad" value="${q.manad ?? ''}" min="${year}-01" max="${year}-12"></label>
<label>Ansvarig <select name="ansvarig">${option('', 'Alla', q.ansvarig)}${people.map(([id, name]) => option(id, name, q.ansvarig))}</select></label>
<label>Visa <select name="visa">${shows.map((v) => option(v, showNames[v], q.visa ?? 'all'))}</select></label>
<label>Ärende <input type="search" name="arende" value="${q.arende ?? ''}" maxlength="100" placeholder="ärendenummer"></label>
<label>Sortera efter <select name="sortera">${sorts.map((v) => option(v, sortNames[v], q.sortera ?? 'due'))}</select></label>
<button>Visa</button> <a href="/oversikt/uppgifter?year=${year}">Rensa</a></form>
<p>${total === 1 ? '1 uppgift' : `${count(total)} uppgifter`}${total > tasks.length ? ` (de ${limit} första visas: smalna av med filtren)` : ''}.</p>
${round ? html`<p>Kontrollomgången ${controls.find((c) => c.ruleId === round.ruleId)?.title ?? ''} ${monthName(round.period)} ${year}: ${round.closed ? 'stängd, inga fler påminnelser.' : `${round.open} öppna av ${round.total}.`}</p>
${!round.closed && round.open > 0 ? html`<form method="post" action="/oversikt/omgang/stang" class="noprint">${csrfField(user)}<input type="hidden" name="regel" value="${round.ruleId}"><input type="hidden" name="manad" value="${round.period}">
<button>Stäng omgången</button> (inga fler påminnelser eller eskaleringar; uppgifterna förblir öppna)</form>` : ''}` : ''}
${tasks.length ? html`<table class="list"><thead><tr><th scope="col">Kontroll</th><th scope="col">Ärende</th><th scope="col">Månad</th><th scope="col">Klar senast</th><th scope="col">Ansvarig</th><th scope="col">Status</th></tr></thead><tbody>
${tasks.map((t) => html`<tr><td>${t.title}</td><td><a href="${taskUrl(t)}">${subjectOf(t, names)}</a></td><td>${monthName(t.period)}</td>
<td class="${t.due_on < date && isOpen(t.state) ? 'overdue' : ''}">${t.due_on}${t.due_on < date && isOpen(t.state) ? ' (försenad)' : ''}</td><td>${personName(names, t.assignee)}</td><td>${stateNames[t.state]}</td></tr>`)}
</tbody></table>` : html`<p>Inga uppgifter stämmer med filtren.</p>`}`,
      }));
    },
  });

  routes.add({
    method: 'POST', url: '/oversikt/omgang/stang', access: [...heads],
    schema: { body: Type.Object({ regel: Type.String({ maxLength: 100 }), manad: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }) }) },
    handler: async (request, reply) => {
      const user = request.user!;
      const { regel, manad } = request.body;
      const handle = deps.client.workflow.getHandle<typeof controlRound>(workflowIds.controlRound({ unitId: user.unitId, ruleId: regel, period: manad }));
      try {
        await handle.executeUpdate(closeRoundUpdate, { args: [{ by: user.staffId }] });
      } catch (error) {
        // A round whose tasks are all done has ended by itself: nothing is left to close.
        if (error instanceof WorkflowNotFoundError) throw new BadRequest('Omgången är redan avslutad: alla dess uppgifter är klara.');
        const message = refusalMessage(error);
        if (message !== undefined) throw new BadRequest(message);
        throw error;
      }
      return reply.redirect(`/oversikt/uppgifter?regel=${encodeURIComponent(regel)}&manad=${manad}&klart=stangd`);
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
