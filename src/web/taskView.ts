// One task's page: what it is, why it was made, the rule's instructions, its history, and the
// actions the person may take (complete, not applicable; a head may reassign).
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { today } from '../calendar/businessDays.js';
import { staffOf } from '../store/staff.js';
import { firstStep, followUpsOf, openTasksOf, taskBecause, taskHistory } from '../store/tasks.js';
import type { TaskAction } from '../tasks/lifecycle.js';
import { holdsTask } from '../tasks/transitions.js';
import { logAccess, queryText, type Seen } from './accessLog.js';
import type { Routes, WebDeps } from './app.js';
import { BadRequest } from './app.js';
import { html } from './html.js';
import { csrfField, noticeOf, noticeQuery, page, type Notice } from './layout.js';
import { describeHistory, personName, staffNames, statusOf, subjectOf, swedishOrder } from './names.js';
import { applyAction, heads, isHead, people, ruleOf, taskParams, taskUrl, visibleTask } from './taskAccess.js';

/** What a change did that moves the person on: the inbox's next task is offered. */
const movesOn = new Set(['klar', 'klar-uppfoljning', 'attest', 'ej-aktuell', 'ej-aktuell-attest']);

export function taskView(routes: Routes, deps: WebDeps): void {
  const { db } = deps;

  /** The task's page, with what a change said (a refusal is shown here, with its status, not put in an address). */
  async function show(reply: FastifyReply, request: Seen, ref: string, notice: Notice | undefined, status = 200, done?: string) {
    const user = request.user!;
    const { task, rule } = await visibleTask(db, user, ref);
    await logAccess(deps, request, { view: 'task', caseIds: [task.case_id], query: queryText([['kontroll', task.rule_id], ['månad', task.period]]) });
    const events = await taskHistory(db, task.task_id);
    const because = await taskBecause(db, task.task_id);
    // Awaiting the second person: what the first one did, and the second's choices.
    const first = task.state === 'awaiting-sign-off' ? await firstStep(db, task.task_id) : undefined;
    const outcomeLabel = rule.completion.outcomes.find((o) => o.id === task.outcome)?.label ?? task.outcome ?? '';
    const staff = isHead(user) ? await staffOf(db, user.unitId, [task.assignee_role]) : [];
    const names = await staffNames(db, user.unitId);
    const history = describeHistory(events, rule, names);
    const action = (path: string) => `${taskUrl(task)}/${path}`;
    // Only the person who has an open task does it (src/tasks/transitions.ts); a head reassigns it.
    const mayDo = task.state === 'open' && holdsTask(task, user);
    // After a completion: for whom the follow-up is and when it is due, from the store (never from the address).
    if (done === 'klar-uppfoljning') {
      const made = await Promise.all((await followUpsOf(db, task.task_id)).map(async (f) => `”${(await ruleOf(db, f.rule_version)).title}” åt ${personName(names, f.assignee)}, klar senast ${f.due_on}`));
      if (made.length) notice = { kind: 'ok', text: `Uppgiften är klar. Uppföljningen är skapad: ${made.join('; ')}.` };
    }
    // And the way on: the first task still open in the person's inbox, in the inbox's order.
    const next = done && movesOn.has(done) ? (await openTasksOf(db, user.unitId, user.staffId)).find((t) => t.task_id !== task.task_id) : undefined;
    const onward = done && movesOn.has(done)
      ? html`<nav class="noprint" aria-label="Vidare"><p>${next ? html`<a href="${taskUrl(next)}">Nästa uppgift: ${(await ruleOf(db, next.rule_version)).title}, ${subjectOf(next, names)}, klar senast ${next.due_on}</a> · ` : html`Inga fler öppna uppgifter. `}<a href="/inkorg">Tillbaka till inkorgen</a></p></nav>`
      : '';
    return reply.code(status).type('text/html').send(page({
      title: rule.title, user, notice,
      // A head looking at someone else's task came from the working view; the others from their inbox.
      body: html`${onward || (isHead(user) && task.assignee !== user.staffId ? html`<p class="noprint"><a href="/oversikt/uppgifter">← Årshjulets uppgifter</a></p>` : html`<p><a href="/inkorg">← Min inkorg</a></p>`)}
<table><tbody>
<tr><th scope="row">Ärende</th><td>${subjectOf(task, names)}</td></tr>
<tr><th scope="row">Månad</th><td>${task.period}</td></tr>
<tr><th scope="row">Klar senast</th><td>${task.due_on}</td></tr>
<tr><th scope="row">Ansvarig</th><td>${personName(names, task.assignee)}</td></tr>
<tr><th scope="row">Status</th><td>${statusOf(task, today())}</td></tr>
<tr><th scope="row">Varför</th><td>${because.join('; ')}</td></tr>
</tbody></table>
<h2>Instruktion</h2><p>${rule.instructions}</p>
${task.state === 'open' && !mayDo ? html`<p>Uppgiften görs av ${personName(names, task.assignee)}${isHead(user) ? ': omfördela den nedan om någon annan med samma roll ska göra den' : ''}.</p>` : ''}
${mayDo ? html`<form method="post" action="${action('klar')}">${csrfField(user)}<fieldset><legend>Markera som klar</legend>
<p><label for="utfall">Utfall</label> <select id="utfall" name="utfall">${rule.completion.outcomes.map((o) => html`<option value="${o.id}">${o.label}</option>`)}</select></p>
<p><label for="anteckning">Anteckning${rule.completion.noteRequired ? ' (krävs)' : ''}${rule.report ? ': rapportens analystext' : ''}</label><br>
<textarea id="anteckning" name="anteckning" rows="${rule.report ? 12 : 3}"${rule.completion.noteRequired ? ' required' : ''}></textarea></p>
<button>Klar</button>${rule.completion.secondSignOff ? ' (en andra person attesterar sedan)' : ''}</fieldset></form>
<form method="post" action="${action('ej-aktuell')}">${csrfField(user)}<fieldset><legend>Inte aktuell</legend>
<p><label for="skal">Skäl (krävs)</label> <input id="skal" name="skal" required> <button>Inte aktuell</button></p></fieldset></form>` : ''}
${first ? html`<p>${first.kind === 'completed' ? `Utförd av ${personName(names, first.actor)} med utfallet ”${outcomeLabel}”` : `Markerad som inte aktuell av ${personName(names, first.actor)}`}; en annan person attesterar eller skickar tillbaka (fyraögonprincipen).</p>
${first.kind === 'completed' ? html`<form method="post" action="${action('klar')}">${csrfField(user)}<input type="hidden" name="utfall" value="${task.outcome ?? ''}"><fieldset><legend>Attestera</legend>
<p><label for="anteckning">Anteckning</label><br><textarea id="anteckning" name="anteckning" rows="2"></textarea></p><button>Attestera</button></fieldset></form>`
  : html`<form method="post" action="${action('ej-aktuell')}">${csrfField(user)}<fieldset><legend>Attestera: inte aktuell</legend>
<p><label for="skal">Skäl (krävs)</label> <input id="skal" name="skal" required> <button>Attestera</button></p></fieldset></form>`}
<form method="post" action="${action('skicka-tillbaka')}">${csrfField(user)}<fieldset><legend>Skicka tillbaka</legend>
<p><label for="tillbaka">Varför</label> <input id="tillbaka" name="skal"> <button>Skicka tillbaka</button></p></fieldset></form>` : ''}
${task.state === 'open' && isHead(user) ? html`<form method="post" action="${action('omfordela')}">${csrfField(user)}<fieldset><legend>Omfördela</legend>
<label for="till">Till</label> <select id="till" name="till">${staff.filter((s) => s.id !== task.assignee).sort((a, b) => swedishOrder(a.name, b.name)).map((s) => html`<option value="${s.id}">${s.name}</option>`)}</select> <button>Omfördela</button></fieldset></form>` : ''}
${task.state !== 'open' && task.state !== 'awaiting-sign-off' && isHead(user) ? html`<form method="post" action="${action('oppna-igen')}">${csrfField(user)}<fieldset><legend>Öppna igen</legend>
<p><label for="varfor">Varför (krävs)</label> <input id="varfor" name="skal" required> <button>Öppna igen</button></p></fieldset></form>` : ''}
<h2>Historik</h2><table><thead><tr><th>När</th><th>Händelse</th><th>Av</th><th>Utfall / anteckning</th></tr></thead><tbody>
${history.map((e) => html`<tr><td>${e.when}</td><td>${e.what}</td><td>${e.who}</td><td>${e.said}</td></tr>`)}
</tbody></table>`,
    }));
  }

  routes.add({
    method: 'GET', url: '/uppgifter/:id', access: [...people],
    schema: { params: taskParams, querystring: noticeQuery },
    handler: async (request, reply) => show(reply, request, request.params.id, noticeOf(request.query), 200, request.query.klart),
  });

  /**
   * A change from the task's page, to a task the person may see: done (back to the page, saying so
   * by code), or refused with the rule's words on the page itself.
   */
  const act = async (request: Seen & { params: { id: string } }, reply: FastifyReply, build: (base: { taskId: string; actor: string; at: string }) => TaskAction) => {
    const user = request.user!;
    const { task } = await visibleTask(db, user, request.params.id);
    try {
      const { done } = await applyAction(deps, build({ taskId: task.task_id, actor: user.staffId, at: new Date().toISOString() }));
      return reply.redirect(`${taskUrl(task)}?klart=${done}`);
    } catch (error) {
      if (error instanceof BadRequest) return show(reply, request, task.ref, { kind: 'error', text: error.message }, 400);
      throw error;
    }
  };
  const text = Type.Optional(Type.String());

  routes.add({
    method: 'POST', url: '/uppgifter/:id/klar', access: [...people],
    schema: { params: taskParams, body: Type.Object({ utfall: text, anteckning: text }) },
    handler: async (request, reply) => act(request, reply, (base) => ({ kind: 'complete', ...base, outcome: request.body.utfall ?? '', note: request.body.anteckning || undefined })),
  });
  routes.add({
    method: 'POST', url: '/uppgifter/:id/ej-aktuell', access: [...people],
    schema: { params: taskParams, body: Type.Object({ skal: text }) },
    handler: async (request, reply) => act(request, reply, (base) => ({ kind: 'not-applicable', ...base, reason: request.body.skal ?? '' })),
  });
  routes.add({
    method: 'POST', url: '/uppgifter/:id/skicka-tillbaka', access: [...people],
    schema: { params: taskParams, body: Type.Object({ skal: text }) },
    handler: async (request, reply) => act(request, reply, (base) => ({ kind: 'send-back', ...base, reason: request.body.skal ?? '' })),
  });
  routes.add({
    method: 'POST', url: '/uppgifter/:id/oppna-igen', access: [...heads],
    schema: { params: taskParams, body: Type.Object({ skal: text }) },
    handler: async (request, reply) => act(request, reply, (base) => ({ kind: 'reopen', ...base, reason: request.body.skal ?? '' })),
  });
  routes.add({
    method: 'POST', url: '/uppgifter/:id/omfordela', access: [...heads],
    schema: { params: taskParams, body: Type.Object({ till: text }) },
    handler: async (request, reply) => act(request, reply, (base) => ({ kind: 'reassign', ...base, to: request.body.till ?? '' })),
  });
}
