// The caseworker's inbox: my open tasks by due date and control, with the rule's instructions, and
// the corrective actions internal control gave me; many identical controls completed at once after
// an explicit confirmation.
import { createHmac } from 'node:crypto';
import { Type } from 'typebox';
import { today } from '../calendar/businessDays.js';
import type { Rule } from '../rules/rule.js';
import { openCorrectiveOf } from '../store/internalControl.js';
import type { Queryable } from '../store/db.js';
import { serverSecret } from '../store/secrets.js';
import { awaitingSignOff, findTasksByRefs, openTasksOf, type TaskRow } from '../store/tasks.js';
import { logAccess } from './accessLog.js';
import { sameToken } from './accounts.js';
import type { Routes, SignedIn, WebDeps } from './app.js';
import { BadRequest, Forbidden } from './app.js';
import { html } from './html.js';
import { csrfField, noticeOf, noticeQuery, page } from './layout.js';
import { staffNames, statusOf, subjectOf } from './names.js';
import { applyAction, people, ruleOf, taskUrl } from './taskAccess.js';

/** How many tasks one batch takes at most: each is listed on the confirmation page and goes through Temporal on its own. */
export const maxBatch = 200;
const tooMany = `För många på en gång: högst ${maxBatch} uppgifter åt gången. Gå tillbaka, välj färre och försök igen.`;
/** A batch's body at most: the references (45 bytes each in a form) and a note of 20,000 characters, percent-encoded; a larger one is refused by its length, unread. */
const batchBody = { bytes: maxBatch * 45 + 20_000 * 9 + 4096, message: tooMany };

/**
 * The chosen tasks (one checkbox or many, at most `maxBatch`: the schema refuses more before anything
 * is read), the outcome, the note, and the confirmation page's token.
 */
const bulkBody = Type.Object({
  uppgift: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: maxBatch })),
  utfall: Type.Optional(Type.String({ maxLength: 100 })),
  anteckning: Type.Optional(Type.String({ maxLength: 20_000 })),
  bekraftelse: Type.Optional(Type.String({ maxLength: 100 })),
});

/**
 * A batch's tasks, read in one query: the person's own open tasks of one control, nothing else
 * (a batch signs off nobody's work; signing off is done on each task's page, which shows it).
 */
async function batchOf(db: Queryable, user: SignedIn, refs: string[]): Promise<{ tasks: TaskRow[]; rule: Rule }> {
  const tasks = await findTasksByRefs(db, refs);
  if (tasks.length === 0 || tasks.length !== refs.length || tasks.some((t) => t.unit_id !== user.unitId || t.assignee !== user.staffId || t.state !== 'open')) {
    throw new Forbidden('Bara dina egna öppna uppgifter kan markeras klara tillsammans. Uppgifter att attestera attesteras en i taget, på uppgiftens sida.');
  }
  if (new Set(tasks.map((t) => t.rule_version)).size > 1) throw new BadRequest('Bara likadana kontroller kan markeras klara tillsammans.');
  // In the order they were chosen (the inbox's).
  const order = new Map(refs.map((ref, i) => [ref, i]));
  tasks.sort((a, b) => order.get(a.ref)! - order.get(b.ref)!);
  return { tasks, rule: await ruleOf(db, tasks[0]!.rule_version) };
}

export function inboxView(routes: Routes, deps: WebDeps): void {
  const { db } = deps;
  let key: string | undefined;
  /**
   * The confirmation page's token: binds this session, these tasks, the outcome and the note, so
   * the batch is done only as the page listed it (a post that did not come from it is refused).
   */
  const confirmation = async (user: SignedIn, refs: string[], outcome: string, note: string) =>
    createHmac('sha256', (key ??= await serverSecret(db, 'batch-confirmation')))
      .update(JSON.stringify([user.csrf, user.unitId, user.staffId, [...refs].sort(), outcome, note]))
      .digest('base64url');

  routes.add({
    method: 'GET', url: '/inkorg', access: [...people],
    schema: { querystring: noticeQuery },
    handler: async (request, reply) => {
      const user = request.user!;
      const tasks = await openTasksOf(db, user.unitId, user.staffId);
      const date = today();
      const names = await staffNames(db, user.unitId);
      const groups = new Map<string, TaskRow[]>();
      for (const task of tasks) {
        const key = `${task.due_on}|${task.rule_version}`;
        groups.set(key, [...(groups.get(key) ?? []), task]);
      }
      const sections = [];
      for (const [key, group] of groups) {
        const [due, version] = key.split('|') as [string, string];
        const rule = await ruleOf(db, version);
        sections.push(html`<section aria-labelledby="g-${sections.length}">
<h2 id="g-${sections.length}">${rule.title} <small>– klar senast ${due}${due < date ? html` <span class="overdue">försenad</span>` : ''}</small></h2>
<details><summary>Instruktion</summary><p>${rule.instructions}</p></details>
<form method="post" action="/inkorg/bekrafta">${csrfField(user)}
<table><thead><tr><th scope="col">Välj</th><th scope="col">Ärende</th><th scope="col">Månad</th><th scope="col">Status</th></tr></thead><tbody>
${group.map((t) => html`<tr><td><input type="checkbox" name="uppgift" value="${t.ref}" id="c-${t.ref}" aria-label="Välj ${subjectOf(t, names)}"></td>
<td><a href="${taskUrl(t)}">${subjectOf(t, names)}</a></td><td>${t.period}</td><td>${statusOf(t, date, false)}</td></tr>`)}
</tbody></table>
${rule.completion.secondSignOff ? '' : html`<p><label>Utfall för de valda <select name="utfall">${rule.completion.outcomes.map((o) => html`<option value="${o.id}">${o.label}</option>`)}</select></label>
${rule.completion.noteRequired ? html` <label>Anteckning <input name="anteckning" required></label>` : ''}
<button>Markera valda som klara …</button> (högst ${maxBatch} åt gången)</p>`}
</form></section>`);
      }
      const corrective = await openCorrectiveOf(db, user.unitId, user.staffId);
      // Others' tasks of my role that wait for a second person: I may sign them off.
      const toSignOff = (await awaitingSignOff(db, user.unitId, user.role)).filter((t) => t.assignee !== user.staffId);
      const signOffList = [];
      for (const t of toSignOff) signOffList.push(html`<li><a href="${taskUrl(t)}">${(await ruleOf(db, t.rule_version)).title}: ${subjectOf(t, names)}</a>, klar senast ${t.due_on}</li>`);
      await logAccess(deps, request, { view: 'inbox', caseIds: [...tasks, ...toSignOff].map((t) => t.case_id).concat(corrective.map((c) => c.case_id)) });
      return reply.type('text/html').send(page({
        title: 'Min inkorg', user, notice: noticeOf(request.query),
        body: html`<p>${tasks.length === 1 ? '1 öppen uppgift' : `${tasks.length} öppna uppgifter`}${corrective.length ? `, ${corrective.length === 1 ? '1 rättelse' : `${corrective.length} rättelser`} från internkontrollen` : ''}.</p>
${corrective.length ? html`<section aria-labelledby="rattelser"><h2 id="rattelser">Rättelser från internkontrollen</h2>
<table><thead><tr><th>Ärende</th><th>Avvikelse</th><th>Klar senast</th><th>Stäng</th></tr></thead><tbody>
${corrective.map((c, i) => html`<tr><td>${c.case_id ?? html`Post nr ${c.record_seq} i <a href="/logg">åtkomstloggen</a>`}</td><td>${c.deviation}</td><td class="${c.due_on < date ? 'overdue' : ''}">${c.due_on}</td>
<td><form method="post" action="/rattelser/stang">${csrfField(user)}<input type="hidden" name="id" value="${c.id}">
<label for="r-${i}">Vad som rättats</label> <input id="r-${i}" name="anteckning" required> <button>Rättat</button></form></td></tr>`)}
</tbody></table></section>` : ''}
${signOffList.length ? html`<section aria-labelledby="attest"><h2 id="attest">Att attestera</h2><ul>${signOffList}</ul></section>` : ''}
${sections.length ? sections : html`<p>Inga öppna uppgifter. Bra jobbat!</p>`}`,
      }));
    },
  });

  /** Step one of completing many: what will happen, each task listed, and a button that does it. */
  routes.add({
    method: 'POST', url: '/inkorg/bekrafta', access: [...people],
    schema: { body: bulkBody }, bodyLimit: batchBody,
    handler: async (request, reply) => {
      const user = request.user!;
      const { body } = request;
      const ids = [...new Set(body.uppgift ?? [])];
      if (ids.length === 0) return reply.redirect('/inkorg?fel=valj');
      const { tasks, rule } = await batchOf(db, user, ids);
      const outcome = rule.completion.outcomes.find((o) => o.id === body.utfall);
      if (!outcome) throw new BadRequest('Välj ett utfall.');
      const names = await staffNames(db, user.unitId);
      const one = ids.length === 1;
      const token = await confirmation(user, ids, outcome.id, body.anteckning ?? '');
      await logAccess(deps, request, { view: 'inbox-confirm', caseIds: tasks.map((t) => t.case_id), query: `${tasks.length} ${tasks.length === 1 ? 'uppgift' : 'uppgifter'}` });
      return reply.type('text/html').send(page({
        title: 'Bekräfta', user,
        body: html`<p>Du markerar <strong>${ids.length}</strong> ${one ? 'uppgift' : 'uppgifter'} av kontrollen <strong>${rule.title}</strong> som ${one ? 'klar' : 'klara'} med utfallet <strong>${outcome.label}</strong>${body.anteckning ? html` och anteckningen ”${body.anteckning}”` : ''}:</p>
<table id="valda" class="list"><caption>${one ? 'Uppgiften' : `De ${ids.length} uppgifterna`}</caption><thead><tr><th scope="col">Ärende</th><th scope="col">Månad</th><th scope="col">Klar senast</th></tr></thead><tbody>
${tasks.map((task) => html`<tr><td><a href="${taskUrl(task)}">${subjectOf(task, names)}</a></td><td>${task.period}</td><td>${task.due_on}</td></tr>`)}
</tbody></table>
<form method="post" action="/inkorg/klarmarkera">${csrfField(user)}
${ids.map((id) => html`<input type="hidden" name="uppgift" value="${id}">`)}
<input type="hidden" name="utfall" value="${outcome.id}"><input type="hidden" name="anteckning" value="${body.anteckning ?? ''}"><input type="hidden" name="bekraftelse" value="${token}">
<button autofocus>Ja, markera ${ids.length === 1 ? 'den som klar' : `${ids.length} som klara`}</button> <a href="/inkorg">Avbryt</a></form>
<p>Högst ${maxBatch} uppgifter åt gången.</p>`,
      }));
    },
  });

  /** Step two: only as the confirmation page listed it (its token), and only the person's own open tasks. */
  routes.add({
    method: 'POST', url: '/inkorg/klarmarkera', access: [...people],
    schema: { body: bulkBody }, bodyLimit: batchBody,
    handler: async (request, reply) => {
      const user = request.user!;
      const { body } = request;
      const refs = [...new Set(body.uppgift ?? [])];
      // Nothing chosen does nothing: no confirmation needed to say so.
      if (refs.length === 0) return reply.redirect('/inkorg?fel=valj');
      const expected = await confirmation(user, refs, body.utfall ?? '', body.anteckning ?? '');
      if (!sameToken(body.bekraftelse ?? '', expected)) {
        throw new Forbidden('Bekräfta först: välj uppgifterna i inkorgen och bekräfta dem på sidan som listar dem.');
      }
      const { tasks } = await batchOf(db, user, refs);
      for (const task of tasks) {
        await applyAction(deps, { kind: 'complete', taskId: task.task_id, outcome: body.utfall ?? '', note: body.anteckning || undefined, actor: user.staffId, at: new Date().toISOString() });
      }
      return reply.redirect(`/inkorg?klart=markerade&antal=${tasks.length}`);
    },
  });
}
