// The deputy head's dashboard: the årshjul as a wheel, a matrix of controls × months (done, open,
// overdue), each caseworker's load, drill-down to the tasks, and CSV. The numbers come from the
// tasks as they stand now, counted as `arshjul tasks list` shows them (src/reports/completion.ts).
import { Type, type Static } from 'typebox';
import { today } from '../calendar/businessDays.js';
import { wheelSvg } from '../reports/charts.js';
import { completionNow, type ControlCompletion } from '../reports/completion.js';
import { count, csv, csvFile, monthName } from '../reports/format.js';
import { stateNames } from '../tasks/lifecycle.js';
import type { Queryable } from '../store/db.js';
import { roundsOfYear } from '../store/controlRounds.js';
import { isOpen, listTasks, loadPerAssignee } from '../store/tasks.js';
import type { Routes, WebDeps } from './app.js';
import { BadRequest } from './app.js';
import { html, raw } from './html.js';
import { page } from './layout.js';
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
        return html`<td class="n"><a href="/oversikt/uppgifter?regel=${encodeURIComponent(c.ruleId)}&manad=${month}" title="${c.title}, ${monthName(month)}: ${m.done} klara, ${m.open} öppna, ${m.overdue} försenade">${m.done}/${m.total}</a>${m.overdue ? html`<br><span class="overdue">${m.overdue} förs.</span>` : ''}</td>`;
      };
      return reply.type('text/html').send(page({
        title: `Årshjulet ${year}`, user,
        body: html`<p><a href="/oversikt?year=${year - 1}">← ${year - 1}</a> · <a href="/oversikt?year=${year + 1}">${year + 1} →</a> · <a href="/oversikt.csv?year=${year}">Ladda ner CSV</a></p>
<figure>${raw(wheelSvg({ year, controls, title: `Årshjulet ${year}: andel klara per kontroll och månad` }))}<figcaption>Varje månad delas mellan kontrollerna den månaden; färgen visar andelen klara (rött inget, grönt allt).</figcaption></figure>
<h2>Kontroller per månad</h2><p>Klara/totalt; försenade i rött. Välj en siffra för uppgifterna.</p>
<table id="matris"><thead><tr><th scope="col">Kontroll</th>${months(year).map((m) => html`<th scope="col" class="n">${monthName(m)}</th>`)}<th scope="col" class="n">Klara</th><th scope="col" class="n">Totalt</th><th scope="col" class="n">Försenade</th></tr></thead><tbody>
${controls.map((c) => html`<tr data-rule="${c.ruleId}"><th scope="row">${c.title}</th>${months(year).map((m) => cell(c, m))}<td class="n">${c.done}</td><td class="n">${c.total}</td><td class="n">${c.overdue}</td></tr>`)}
</tbody></table>
<h2>Per handläggare</h2><table><thead><tr><th>Handläggare</th><th class="n">Öppna</th><th class="n">Försenade</th><th class="n">Klara</th></tr></thead><tbody>
${people.map((p) => html`<tr><td><a href="/oversikt/uppgifter?ansvarig=${encodeURIComponent(p.assignee)}&year=${year}">${p.name} (${p.assignee})</a></td><td class="n">${p.open}</td><td class="n${p.overdue ? ' overdue' : ''}">${p.overdue}</td><td class="n">${p.done}</td></tr>`)}
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

  routes.add({
    method: 'GET', url: '/oversikt/uppgifter', access: [...heads],
    schema: { querystring: Type.Object({ regel: Type.Optional(Type.String()), manad: Type.Optional(Type.String()), ansvarig: Type.Optional(Type.String()), year: Type.Optional(Type.String()) }) },
    handler: async (request, reply) => {
      const user = request.user!;
      const q = request.query;
      const tasks = (await listTasks(db, { unitId: user.unitId, ruleId: q.regel, period: q.manad, assignee: q.ansvarig }))
        .filter((t) => t.state !== 'cancelled' && (!q.year || t.period.startsWith(q.year)));
      const date = today();
      return reply.type('text/html').send(page({
        title: 'Uppgifter', user,
        body: html`<p><a href="/oversikt">← Årshjulet</a> · ${tasks.length} uppgifter</p>
<table><thead><tr><th>Kontroll</th><th>Ärende</th><th>Månad</th><th>Klar senast</th><th>Ansvarig</th><th>Status</th></tr></thead><tbody>
${tasks.map((t) => html`<tr><td>${t.rule_id}</td><td><a href="${taskUrl(t)}">${t.case_id ?? 'Enhetsuppgift'}</a></td><td>${t.period}</td>
<td class="${t.due_on < date && isOpen(t.state) ? 'overdue' : ''}">${t.due_on}</td><td>${t.assignee ?? ''}</td><td>${stateNames[t.state]}</td></tr>`)}
</tbody></table>`,
      }));
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
