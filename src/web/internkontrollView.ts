// Internal control for the deputy heads and the unit head: per control of the plan the samples
// planned and taken, reviews, deviation rate and open corrective actions; the risk matrix with
// the plan's risks placed on it; and my reviews, answered against the control's checklist: a
// sampled case, or a sampled record of the access log (loggkontroll), itself an access on record.
import { Type } from 'typebox';
import { actorOf, logTime } from '../accessLog/present.js';
import { viewName } from '../accessLog/log.js';
import { today } from '../calendar/businessDays.js';
import { controlsOf, planFor, planYears, riskValue, samplesRecords, type Control, type Plan } from '../internkontroll/plan.js';
import { roleNames } from '../rules/describe.js';
import { recordsAt } from '../store/accessLog.js';
import { caseStaffOf } from '../store/cases.js';
import { staffOf } from '../store/staff.js';
import { finishedRounds, writeAnalysis } from '../internkontroll/analyses.js';
import { answerReview, controlStatus, type Answer } from '../internkontroll/reviews.js';
import { yearSteps } from '../internkontroll/year.js';
import { csvFile, percent } from '../reports/format.js';
import { readRulePack } from '../rules/files.js';
import { approvalOf, findIkReport, findReviewByRef, openReviewsOf, type ReviewRow } from '../store/internalControl.js';
import { personName, staffNames, stockholmClock } from './names.js';
import { TaskActionError } from '../tasks/lifecycle.js';
import type { FastifyReply } from 'fastify';
import { logAccess, queryText, type Seen } from './accessLog.js';
import type { Routes, WebDeps } from './app.js';
import { BadRequest, Forbidden } from './app.js';
import { html } from './html.js';
import { csrfField, page, scrollBox } from './layout.js';
import { heads, isHead } from './taskAccess.js';

const idParams = Type.Object({ id: Type.String() });

/** Who reviews: the heads, the FUT-utredare (the FUT samples) and the unit's log reviewers (the access log's samples). */
const reviewers = [...heads, 'fut', 'logreviewer'] as const;

/** How many of a record's cases the review page lists with their caseworkers (a working view's record may name hundreds). */
const casesShown = 50;


/** A sample's reviews are one line (its control and day) with a link for each, not many lines that read the same. */
function reviewGroups<R extends { control_id: string; due_on: string }>(reviews: R[]): { controlId: string; dueOn: string; items: R[] }[] {
  const groups = new Map<string, { controlId: string; dueOn: string; items: R[] }>();
  for (const r of reviews) {
    const key = `${r.control_id}|${r.due_on}`;
    if (!groups.has(key)) groups.set(key, { controlId: r.control_id, dueOn: r.due_on, items: [] });
    groups.get(key)!.items.push(r);
  }
  return [...groups.values()];
}

export function internkontrollView(routes: Routes, deps: WebDeps): void {
  const { db } = deps;
  const plans = async () => (await readRulePack(deps.rulesDir)).plans;
  /** The management's controls by the name of their årshjul task, as everywhere in the web app: one read of the pack. */
  const managementTitles = async (plan: Plan): Promise<Map<string, string>> => {
    const { rules } = await readRulePack(deps.rulesDir);
    return new Map(controlsOf(plan).filter((c) => c.method === 'management').map((c) => [c.id, rules.find((r) => r.rule.id === c.ruleId)?.rule.title ?? 'en enhetsuppgift']));
  };
  /** The unit's plan for the year: its own where it has one, else the shared one. */
  const unitPlan = async (year: number, unitId: string): Promise<Plan | undefined> => planFor(await plans(), year, unitId);

  routes.add({
    method: 'GET', url: '/internkontroll', access: [...reviewers],
    schema: { querystring: Type.Object({ year: Type.Optional(Type.String({ pattern: '^\\d{4}$' })) }) },
    handler: async (request, reply) => {
      const user = request.user!;
      const year = Number(request.query.year ?? today().slice(0, 4));
      const all = planYears(await plans(), user.unitId);
      const plan = await unitPlan(year, user.unitId);
      const years = html`<p class="noprint">Planer: ${all.map((y, i) => html`${i ? ' · ' : ''}${y === year ? html`<strong>${y}</strong>` : html`<a href="/internkontroll?year=${y}">${y}</a>`}`)}</p>`;
      if (!plan) {
        return reply.type('text/html').send(page({
          title: `Internkontroll ${year}`, user,
          body: html`${years}<p class="info">Det finns ingen internkontrollplan för ${year}. Nämnden beslutar planen; en administratör lägger in den bland reglerna, och enhetschefen godkänner den i januari.${all.length ? html` Välj ett år med plan ovan.` : ''}</p>`,
        }));
      }
      const approval = await approvalOf(db, user.unitId, year);
      const nextSample = yearSteps(plan).find((s) => s.kind === 'sample' && s.date >= today());
      const status = await controlStatus(db, user.unitId, year, today());
      const titles = await managementTitles(plan);
      const planned = (id: string) => yearSteps(plan).filter((s) => s.kind === 'sample' && s.controlId === id).length;
      const reviews = await openReviewsOf(db, user.unitId, user.staffId);
      const cells = (likelihood: number, consequence: number) => plan.risks.filter((r) => r.likelihood === likelihood && r.consequence === consequence);
      const rounds = await finishedRounds(db, user.unitId, plan);
      const names = await staffNames(db, user.unitId);
      const writesAnalyses = isHead(user) || user.access.includes('fut');
      return reply.type('text/html').send(page({
        title: `Internkontroll ${year}`, user,
        body: html`${years}<p>${plan.title}</p>
<p class="info">${approval?.approved_at ? `Planen godkändes ${stockholmClock(approval.approved_at).slice(0, 10)} av ${personName(names, approval.approved_by)}.` : approval ? 'Planen väntar på enhetschefens godkännande; inga stickprov tas före det.' : `Planen skickas till enhetschefen för godkännande första bankdagen i januari ${year}.`}
${nextSample?.kind === 'sample' ? ` Nästa stickprov: ${controlsOf(plan).find((c) => c.id === nextSample.controlId)?.title ?? ''} den ${nextSample.date}.` : ' Årets stickprov är tagna.'}</p>
<h2>Mina granskningar</h2>
${reviews.length ? html`<ul>${reviewGroups(reviews).map(({ controlId, dueOn, items }) => html`<li>${controlsOf(plan).find((c) => c.id === controlId)?.title ?? controlId}, klar senast ${dueOn}: ${items.map((r, i) => html`${i ? ', ' : ''}<a href="/internkontroll/granskning/${r.ref}">${r.record_seq === null ? `granskning ${i + 1}` : `post nr ${r.record_seq}`}</a>`)}</li>`)}</ul>` : html`<p>Inga öppna granskningar.</p>`}
<h2>Analyser efter omgångarna</h2>
${rounds.length ? rounds.map((r) => r.analysis
  ? html`<h3>${r.title}, ${r.period}</h3><p>${r.analysis.text}</p><p class="meta">Skriven ${r.analysis.at.slice(0, 10)}.</p>`
  // The analysis is written by a head or the FUT-utredare; a log reviewer reads it.
  : !writesAnalyses ? html`<h3>${r.title}, ${r.period}</h3><p><em>Analysen är inte skriven.</em></p>`
  : html`<h3>${r.title}, ${r.period}</h3><form method="post" action="/internkontroll/analys">${csrfField(user)}<input type="hidden" name="omgang" value="${r.sampleId}">
<label>Analys: vad ${r.reviews} granskningar visade och vad enheten gör åt det<br><textarea name="analys" rows="4" cols="70" required></textarea></label><br><button>Spara analysen</button></form>`) : html`<p>Ingen omgång är färdiggranskad ännu.</p>`}
<h2>Kontrollerna</h2>
${scrollBox(`Kontrollerna ${year}`, html`<table><thead><tr><th>Kontroll</th><th>Risk</th><th class="n">Stickprov planerade</th><th class="n">tagna</th><th class="n">Granskade</th><th class="n">Avvikelsegrad</th><th class="n">Öppna rättelser</th><th class="n">Försenade</th></tr></thead><tbody>
${controlsOf(plan).map((c) => {
  const s = status.find((x) => x.controlId === c.id);
  if (c.method === 'management') return html`<tr><td>${c.title}</td><td>${c.risk.title} (${riskValue(c.risk)})</td><td colspan="6">Görs i årshjulet som enhetsuppgiften ”${titles.get(c.id)}”, utan stickprov.</td></tr>`;
  return html`<tr><td>${c.title}${samplesRecords(c) ? html`<br><small>poster i åtkomstloggen</small>` : ''}</td><td>${c.risk.title} (${riskValue(c.risk)})</td><td class="n">${planned(c.id)}</td><td class="n">${s?.samples ?? 0}</td><td class="n">${s?.reviewed ?? 0} av ${s?.sampled ?? 0}</td><td class="n">${s?.reviewed ? percent(s.deviationRate) : '–'}</td><td class="n">${s?.correctiveOpen ?? 0}</td><td class="n${s?.correctiveOverdue ? ' overdue' : ''}">${s?.correctiveOverdue ?? 0}</td></tr>`;
})}
</tbody></table>`)}
<h2>Riskmatris</h2><p>Sannolikhet (rader) × konsekvens (kolumner); riskvärdet är produkten.</p>
${scrollBox('Riskmatris', html`<table id="riskmatris"><thead><tr><th scope="col">Sannolikhet \\ konsekvens</th>${[1, 2, 3, 4, 5].map((c) => html`<th scope="col" class="n">${c}</th>`)}</tr></thead><tbody>
${[5, 4, 3, 2, 1].map((l) => html`<tr><th scope="row">${l}</th>${[1, 2, 3, 4, 5].map((c) => html`<td style="background:${l * c >= 15 ? '#f8c9c9' : l * c >= 8 ? '#fbe5b6' : '#dff0d8'};min-width:90px">${cells(l, c).map((r) => html`<div>${r.title}</div>`)}</td>`)}</tr>`)}
</tbody></table>`)}`,
      }));
    },
  });

  routes.add({
    method: 'POST', url: '/internkontroll/analys', access: [...heads, 'fut'],
    schema: { body: Type.Object({ omgang: Type.String(), analys: Type.String({ maxLength: 20_000 }) }, { additionalProperties: true }) },
    handler: async (request, reply) => {
      const user = request.user!;
      const year = Number(request.body.omgang.split(':').at(-1)!.slice(0, 4));
      const plan = await unitPlan(year, user.unitId);
      if (!plan) throw new BadRequest('Omgången hör inte till någon internkontrollplan.');
      try {
        await writeAnalysis(db, { unitId: user.unitId, plan, sampleId: request.body.omgang, text: request.body.analys, by: user.staffId, at: new Date().toISOString() });
      } catch (error) {
        if (error instanceof TaskActionError) throw new BadRequest(`Analysen sparades inte: ${error.message}.`);
        throw error;
      }
      return reply.redirect(`/internkontroll?year=${year}`);
    },
  });

  // The follow-up (June) and the compilation (October), as mailed: /internkontroll/rapporter/<unit>:<year>:<kind>.
  routes.add({
    method: 'GET', url: '/internkontroll/rapporter/:id', access: [...heads],
    schema: { params: idParams, querystring: Type.Object({ csv: Type.Optional(Type.String()) }) },
    handler: async (request, reply) => {
      const report = await findIkReport(db, request.params.id);
      if (!report || report.unit_id !== request.user!.unitId) throw new Forbidden('Rapporten finns inte i din enhet.');
      await logAccess(deps, request, { view: 'ik-report', query: queryText([['rapport', request.params.id], ['format', request.query.csv === undefined ? 'html' : 'csv']]) });
      if (request.query.csv !== undefined) return reply.type('text/csv; charset=utf-8').send(csvFile(report.csv));
      // The document as mailed, with a way back to the year's internal control (not printed).
      const year = request.params.id.split(':')[1] ?? '';
      const back = html`<nav class="tillbaka" aria-label="Tillbaka"><a href="/internkontroll?year=${year}">← Internkontroll ${year}</a></nav>`;
      const style = '<style>.tillbaka a{color:#004c8c}@media print{.tillbaka{display:none}}</style>';
      return reply.type('text/html').send(report.html.replace('</head>', () => `${style}</head>`).replace('<body>', () => `<body>${back.value}`));
    },
  });

  const reviewOf = async (ref: string, staffId: string, unitId: string) => {
    const review = await findReviewByRef(db, ref);
    if (!review || review.unit_id !== unitId || review.reviewer !== staffId) throw new Forbidden('Granskningen är inte din.');
    const control = controlsOf((await unitPlan(review.plan_year, review.unit_id)) ?? { year: review.plan_year, title: '', reference: [], risks: [] }).find((c) => c.id === review.control_id);
    if (!control) throw new BadRequest(`Kontrollen ${review.control_id} finns inte i internkontrollplanen för ${review.plan_year}.`);
    return { review, control };
  };

  /**
   * A sampled record of the access log to mark justified or a deviation: who, when, which view, which
   * cases (with their caseworkers) or search, from which session and address. The page is itself an
   * access to the log, recorded before it goes out.
   */
  async function showRecordReview(reply: FastifyReply, request: Seen, review: ReviewRow & { record_seq: number }, control: Control, error?: string) {
    const user = request.user!;
    const [record] = await recordsAt(db, review.unit_id, [review.record_seq]);
    await logAccess(deps, request, { view: 'log-review', caseIds: record?.caseIds, query: queryText([['kontroll', review.control_id], ['år', review.plan_year], ['post', `nr ${review.record_seq}`]]) });
    const staff = new Map((await staffOf(db, user.unitId)).map((p) => [p.id, p]));
    const names = new Map([...staff].map(([id, p]) => [id, p.name]));
    const nameOf = (id: string) => personName(names, id);
    const shown = record?.caseIds.slice(0, casesShown) ?? [];
    const caseworkers = await caseStaffOf(db, user.unitId, shown);
    const person = record?.staffId ? staff.get(record.staffId) : undefined;
    const described = record && html`<table id="posten" class="list"><caption>Post nr ${record.seq} i åtkomstloggen</caption><tbody>
<tr><th scope="row">Person</th><td>${person ? html`${person.name}, ${roleNames[person.role]}` : actorOf(record, names)}</td></tr>
<tr><th scope="row">Tid</th><td>${logTime(record.at)}</td></tr>
<tr><th scope="row">Vy</th><td>${viewName(record.view)}</td></tr>
<tr><th scope="row">Sökning eller urval</th><td>${record.query || '–'}</td></tr>
<tr><th scope="row">Session</th><td><code>${record.session?.slice(0, 8) ?? '–'}</code></td></tr>
<tr><th scope="row">Adress</th><td>${record.address ?? '–'}</td></tr>
</tbody></table>
${scrollBox('Ärenden som visades', html`<table id="arenden" class="list"><caption>Ärenden som visades (${record.caseIds.length})</caption><thead><tr><th scope="col">Ärende</th><th scope="col">Socialsekreterare</th><th scope="col">Bidragshandläggare</th></tr></thead><tbody>
${shown.map((caseId) => {
  const workers = caseworkers.get(caseId);
  return html`<tr><td>${caseId}</td><td>${workers ? nameOf(workers.socialsekreterare) : '–'}</td><td>${workers ? nameOf(workers.bidragshandlaggare) : '–'}</td></tr>`;
})}
</tbody></table>`)}${record.caseIds.length > shown.length ? html`<p>… och ${record.caseIds.length - shown.length} ärenden till; hela posten finns i <a href="/logg">åtkomstloggen</a>.</p>` : ''}`;
    return reply.code(error ? 400 : 200).type('text/html').send(page({
      title: `${control.title}: post nr ${review.record_seq}`, user, notice: error ? { kind: 'error', text: error } : undefined,
      body: html`${described ?? html`<p class="info">Posten finns inte längre i åtkomstloggen (gallrad).</p>`}
${review.state !== 'open' ? html`<p>Granskningen är gjord.</p>` : html`<p>Klar senast ${review.due_on}. Avgör om åtkomsten var befogad; en avvikelse kräver en anteckning och blir en rättelse för enhetschefen, som följer upp den med personen.</p>
<form method="post" action="/internkontroll/granskning/${review.ref}">${csrfField(user)}
${control.checklist.map((q, i) => html`<fieldset><legend>${i + 1}. ${q}</legend>
<label><input type="radio" name="svar${i}" value="ok" required> Befogad</label>
<label><input type="radio" name="svar${i}" value="deviation"> Avvikelse</label>
<br><label>Anteckning vid avvikelse <input name="anteckning${i}" maxlength="2000"></label></fieldset>`)}
<button>Spara granskningen</button></form>`}`,
    }));
  }

  /** A review's checklist to answer; a refusal is shown here, with its status, not put in an address. */
  async function showReview(reply: FastifyReply, request: Seen, ref: string, error?: string) {
    const user = request.user!;
    const { review, control } = await reviewOf(ref, user.staffId, user.unitId);
    if (review.record_seq !== null) return showRecordReview(reply, request, { ...review, record_seq: review.record_seq }, control, error);
    await logAccess(deps, request, { view: 'review', caseIds: [review.case_id], query: queryText([['kontroll', review.control_id], ['år', review.plan_year]]) });
    return reply.code(error ? 400 : 200).type('text/html').send(page({
      title: control.title, user, notice: error ? { kind: 'error', text: error } : undefined,
      body: review.state !== 'open' ? html`<p>Granskningen är gjord.</p>` : html`<p>Klar senast ${review.due_on}. Svara på varje fråga; en avvikelse kräver en anteckning och ger ärendets socialsekreterare en rättelse.</p>
<form method="post" action="/internkontroll/granskning/${review.ref}">${csrfField(user)}
${control.checklist.map((q, i) => html`<fieldset><legend>${i + 1}. ${q}</legend>
<label><input type="radio" name="svar${i}" value="ok" required> Ja / ok</label>
<label><input type="radio" name="svar${i}" value="deviation"> Avvikelse</label>
<label><input type="radio" name="svar${i}" value="not-applicable"> Ej aktuell</label>
<br><label>Anteckning vid avvikelse <input name="anteckning${i}"></label></fieldset>`)}
<button>Spara granskningen</button></form>`,
    }));
  }

  routes.add({
    method: 'GET', url: '/internkontroll/granskning/:id', access: [...reviewers],
    schema: { params: idParams },
    handler: async (request, reply) => showReview(reply, request, request.params.id),
  });

  routes.add({
    method: 'POST', url: '/internkontroll/granskning/:id', access: [...reviewers],
    // One answer (svar0, svar1, …) and one note (anteckning0, …) per question of the control's checklist.
    schema: { params: idParams, body: Type.Record(Type.String(), Type.String()) },
    handler: async (request, reply) => {
      const user = request.user!;
      const { review, control } = await reviewOf(request.params.id, user.staffId, user.unitId);
      const body: Partial<Record<string, string>> = request.body;
      const answers: Answer[] = control.checklist.map((_, i) => {
        const verdict = body[`svar${i}`];
        if (verdict === 'ok' || verdict === 'not-applicable') return { verdict };
        if (verdict === 'deviation') return { verdict, note: body[`anteckning${i}`] ?? '' };
        throw new BadRequest(`Svara på fråga ${i + 1}.`);
      });
      try {
        await answerReview(db, { reviewId: review.id, answers, by: user.staffId, at: new Date().toISOString(), checklist: control.checklist, correctiveDueBusinessDays: control.correctiveDueBusinessDays });
      } catch (error) {
        if (error instanceof TaskActionError) return showReview(reply, request, review.ref, error.message);
        throw error;
      }
      return reply.redirect('/internkontroll');
    },
  });
}
