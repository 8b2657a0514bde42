// The figures a unit types in where the store has no source (complaints about treatment,
// non-executed decisions, work plans made after the second meeting, sick leave): the unit head
// enters a month's value; the heads see each month's standing value with who entered it and when.
// The tertial reports read them as of their moment.
import { Type } from 'typebox';
import { today } from '../calendar/businessDays.js';
import { isMonth, monthRange } from '../calendar/months.js';
import { count, percent } from '../reports/format.js';
import { isTypedMeasure, typedMeasures, type TypedMeasure } from '../reports/typedFigures.js';
import { staffOf } from '../store/staff.js';
import { enterFigure, figuresAsOf } from '../store/unitFigures.js';
import type { FastifyReply } from 'fastify';
import type { Routes, SignedIn, WebDeps } from './app.js';
import { html } from './html.js';
import { csrfField, page, scrollBox, type Notice } from './layout.js';
import { personName, stockholmClock, swedishOrder } from './names.js';
import { heads } from './taskAccess.js';

const measures = Object.keys(typedMeasures) as TypedMeasure[];
const shown = (measure: TypedMeasure, value: number) => (typedMeasures[measure].rate ? percent(value) : count(value));

export function figuresView(routes: Routes, deps: WebDeps): void {
  const { db } = deps;

  /** `saved`: the figure just saved, said back from the store as it now stands (never from the address). */
  async function show(reply: FastifyReply, user: SignedIn, year: number, error?: string, saved?: { measure: TypedMeasure; month: string }) {
    const months = monthRange(`${year}-01`, `${year}-12`);
    const rows = await figuresAsOf(db, { unitId: user.unitId, from: months[0]!, to: months.at(-1)!, asOf: new Date().toISOString() });
    const names = new Map((await staffOf(db, user.unitId)).map((s) => [s.id, s.name]));
    const standing = (measure: TypedMeasure, month: string) => rows.find((r) => r.measure === measure && r.month === month);
    // Who entered a figure and when, in the cell itself.
    const cell = (measure: TypedMeasure, month: string) => {
      const row = standing(measure, month);
      return row ? html`<td class="n">${shown(measure, row.value)}<br><small>${personName(names, row.entered_by)}, ${stockholmClock(row.entered_at)}</small></td>` : html`<td class="n">–</td>`;
    };
    const isUnitHead = user.access.includes('head');
    const savedRow = saved && standing(saved.measure, saved.month);
    const notice: Notice | undefined = error ? { kind: 'error', text: error }
      : saved && savedRow ? { kind: 'ok', text: `Sparat: ${typedMeasures[saved.measure].label}, ${saved.month}: ${shown(saved.measure, savedRow.value)} (${personName(names, savedRow.entered_by)}, ${stockholmClock(savedRow.entered_at)}).` }
        : undefined;
    return reply.code(error ? 400 : 200).type('text/html').send(page({
      title: `Nyckeltal ${year}`, user, notice,
      body: html`<p>Siffror som enheten för in själv, där Årshjul inte har någon källa. Tertialrapporterna läser dem som de stod när rapporten gjordes. <a href="/nyckeltal?year=${year - 1}">${year - 1}</a> · <a href="/nyckeltal?year=${year + 1}">${year + 1}</a></p>
${scrollBox(`Nyckeltal ${year} per månad`, html`<table id="nyckeltal"><thead><tr><th scope="col">Månad</th>${measures.map((m) => html`<th scope="col" class="n">${typedMeasures[m].label}</th>`)}</tr></thead><tbody>
${months.map((month) => html`<tr><th scope="row" class="nowrap">${month}</th>${measures.map((m) => cell(m, month))}</tr>`)}
</tbody></table>`)}
${isUnitHead ? html`<h2>För in en siffra</h2>
<form method="post" action="/nyckeltal">${csrfField(user)}
<label>Månad <input type="month" name="manad" required min="${year - 1}-01" max="${today().slice(0, 7)}"></label>
<label>Nyckeltal <select name="matt">${[...measures].sort((a, b) => swedishOrder(typedMeasures[a].label, typedMeasures[b].label)).map((m) => html`<option value="${m}">${typedMeasures[m].label} (${typedMeasures[m].unit})</option>`)}</select></label>
<label>Värde <input name="varde" required inputmode="decimal" pattern="\\d+([,.]\\d+)?"></label>
<button>Spara</button></form>
<p>En ny siffra för samma månad ersätter den gamla; båda sparas med vem och när. Befolkningen (invånare, vuxna invånare, barn) förs in en gång om året, för januari: rapporterna ger andelen av den bredvid antalet.</p>` : html`<p>Enhetschefen för in siffrorna.</p>`}`,
    }));
  }

  routes.add({
    method: 'GET', url: '/nyckeltal', access: [...heads],
    schema: { querystring: Type.Object({ year: Type.Optional(Type.String({ pattern: '^\\d{4}$' })), sparat: Type.Optional(Type.String()), manad: Type.Optional(Type.String()) }) },
    handler: async (request, reply) => {
      const { year, sparat, manad } = request.query;
      const saved = sparat !== undefined && isTypedMeasure(sparat) && manad !== undefined && isMonth(manad) ? { measure: sparat, month: manad } : undefined;
      return show(reply, request.user!, Number(year ?? today().slice(0, 4)), undefined, saved);
    },
  });

  routes.add({
    method: 'POST', url: '/nyckeltal', access: ['head'],
    schema: { body: Type.Object({ manad: Type.String(), matt: Type.String(), varde: Type.String() }, { additionalProperties: true }) },
    handler: async (request, reply) => {
      const user = request.user!;
      const { manad, matt, varde } = request.body;
      const year = isMonth(manad) ? Number(manad.slice(0, 4)) : Number(today().slice(0, 4));
      if (!isMonth(manad)) return show(reply, user, year, 'Välj en månad (ÅÅÅÅ-MM).');
      if (manad > today().slice(0, 7)) return show(reply, user, year, 'Siffror förs in för månader som har varit.');
      if (!isTypedMeasure(matt)) return show(reply, user, year, 'Välj ett av nyckeltalen i listan.');
      const number = /^\d+([,.]\d+)?$/.test(varde.trim()) ? Number(varde.trim().replace(',', '.')) : NaN;
      const rate = typedMeasures[matt].rate;
      if (!Number.isFinite(number) || (rate && number > 100) || (!rate && !Number.isInteger(number))) {
        return show(reply, user, year, rate ? 'Skriv sjukfrånvaron i procent, 0–100, t.ex. 5,4.' : 'Skriv ett antal: ett heltal, 0 eller mer.');
      }
      await enterFigure(db, { unitId: user.unitId, measure: matt, month: manad, value: rate ? Number((number / 100).toFixed(6)) : number, by: user.staffId, at: new Date().toISOString() });
      return reply.redirect(`/nyckeltal?year=${year}&sparat=${matt}&manad=${manad}`);
    },
  });
}
