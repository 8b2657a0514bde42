// The caseworker's inbox: my open tasks by due date and control, with the rule's instructions;
// one task's page with its history and actions; many identical controls completed at once after
// an explicit confirmation; the corrective actions internal control gave me. The JSON API for
// tasks sits beside it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { today } from '../calendar/businessDays.js';
import { closeCorrective } from '../internkontroll/reviews.js';
import { correctiveOwner, openCorrectiveOf } from '../store/internalControl.js';
import { staffOf } from '../store/staff.js';
import { isOpen, listTasks, openTasksOf, taskBecause, taskHistory, type TaskRow } from '../store/tasks.js';
import { stateNames, TaskActionError } from '../tasks/lifecycle.js';
import type { Routes, SignedIn, WebDeps } from './app.js';
import { BadRequest, Forbidden } from './app.js';
import { html } from './html.js';
import { csrfField, page } from './layout.js';
import { applyAction, isHead, ruleOf, visibleTask } from './taskAccess.js';

const people = ['caseworker', 'deputy', 'head'] as const;
const heads = ['deputy', 'head'] as const;
const taskUrl = (id: string) => `/uppgifter/${encodeURIComponent(id)}`;

function notice(request: FastifyRequest) {
  const { klart, fel } = request.query as { klart?: string; fel?: string };
  return klart ? { kind: 'ok' as const, text: klart } : fel ? { kind: 'error' as const, text: fel } : undefined;
}

export function inboxView(routes: Routes, deps: WebDeps): void {
  const { db } = deps;

  routes.add({
    method: 'GET', url: '/inkorg', access: [...people],
    handler: async (request, reply) => {
      const user = request.user!;
      const tasks = await openTasksOf(db, user.unitId, user.staffId);
      const date = today();
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
${group.map((t) => html`<tr><td><input type="checkbox" name="uppgift" value="${t.task_id}" id="c-${t.task_id}" aria-label="Välj ${t.case_id ?? 'enhetsuppgift'}"></td>
<td><a href="${taskUrl(t.task_id)}">${t.case_id ?? 'Enhetsuppgift'}</a></td><td>${t.period}</td><td>${stateNames[t.state]}</td></tr>`)}
</tbody></table>
${rule.completion.secondSignOff ? '' : html`<p><label>Utfall för de valda <select name="utfall">${rule.completion.outcomes.map((o) => html`<option value="${o.id}">${o.label}</option>`)}</select></label>
${rule.completion.noteRequired ? html` <label>Anteckning <input name="anteckning" required></label>` : ''}
<button>Markera valda som klara …</button></p>`}
</form></section>`);
      }
      const corrective = await openCorrectiveOf(db, user.unitId, user.staffId);
      return reply.type('text/html').send(page({
        title: 'Min inkorg', user, notice: notice(request),
        body: html`<p>${tasks.length} öppna uppgifter${corrective.length ? `, ${corrective.length} rättelser från internkontrollen` : ''}.</p>
${corrective.length ? html`<section aria-labelledby="rattelser"><h2 id="rattelser">Rättelser från internkontrollen</h2>
<table><thead><tr><th>Ärende</th><th>Avvikelse</th><th>Klar senast</th><th>Stäng</th></tr></thead><tbody>
${corrective.map((c, i) => html`<tr><td>${c.case_id}</td><td>${c.deviation}</td><td class="${c.due_on < date ? 'overdue' : ''}">${c.due_on}</td>
<td><form method="post" action="/rattelser/stang">${csrfField(user)}<input type="hidden" name="id" value="${c.id}">
<label for="r-${i}">Vad som rättats</label> <input id="r-${i}" name="anteckning" required> <button>Rättat</button></form></td></tr>`)}
</tbody></table></section>` : ''}
${sections.length ? sections : html`<p>Inga öppna uppgifter. Bra jobbat!</p>`}`,
      }));
    },
  });

  // A corrective action is closed by the person it was given to, with what was put right.
  routes.add({
    method: 'POST', url: '/rattelser/stang', access: ['caseworker'],
    handler: async (request, reply) => {
      const user = request.user!;
      const body = request.body as { id?: string; anteckning?: string };
      if (!body.id) throw new BadRequest('Ange vilken rättelse.');
      const owner = await correctiveOwner(db, body.id);
      if (!owner || owner.unit_id !== user.unitId || owner.assignee !== user.staffId) throw new Forbidden('Rättelsen är inte din.');
      if (!body.anteckning?.trim()) throw new BadRequest('Skriv vad som rättats.');
      try {
        await closeCorrective(db, { id: body.id, by: user.staffId, at: new Date().toISOString(), note: body.anteckning.trim() });
      } catch (error) {
        if (error instanceof TaskActionError) throw new BadRequest(error.message);
        throw error;
      }
      return reply.redirect(`/inkorg?klart=${encodeURIComponent('Rättelsen är stängd.')}`);
    },
  });

  /** Step one of completing many: what will happen, and a button that does it. */
  routes.add({
    method: 'POST', url: '/inkorg/bekrafta', access: [...people],
    handler: async (request, reply) => {
      const user = request.user!;
      const body = request.body as { uppgift?: string | string[]; utfall?: string; anteckning?: string };
      const ids = [body.uppgift ?? []].flat();
      if (ids.length === 0) return reply.redirect(`/inkorg?fel=${encodeURIComponent('Välj minst en uppgift.')}`);
      const visible = await Promise.all(ids.map((id) => visibleTask(db, user, id)));
      const versions = new Set(visible.map((v) => v.task.rule_version));
      if (versions.size > 1) throw new BadRequest('Bara likadana kontroller kan markeras klara tillsammans.');
      const rule = visible[0]!.rule;
      const outcome = rule.completion.outcomes.find((o) => o.id === body.utfall);
      if (!outcome) throw new BadRequest('Välj ett utfall.');
      return reply.type('text/html').send(page({
        title: 'Bekräfta', user,
        body: html`<p>Du markerar <strong>${ids.length}</strong> uppgifter av kontrollen <strong>${rule.title}</strong> som klara med utfallet <strong>${outcome.label}</strong>${body.anteckning ? html` och anteckningen ”${body.anteckning}”` : ''}.</p>
<form method="post" action="/inkorg/klarmarkera">${csrfField(user)}
${ids.map((id) => html`<input type="hidden" name="uppgift" value="${id}">`)}
<input type="hidden" name="utfall" value="${outcome.id}"><input type="hidden" name="anteckning" value="${body.anteckning ?? ''}">
<button autofocus>Ja, markera ${ids.length} som klara</button> <a href="/inkorg">Avbryt</a></form>`,
      }));
    },
  });

  routes.add({
    method: 'POST', url: '/inkorg/klarmarkera', access: [...people],
    handler: async (request, reply) => {
      const user = request.user!;
      const body = request.body as { uppgift?: string | string[]; utfall?: string; anteckning?: string };
      const ids = [body.uppgift ?? []].flat();
      for (const id of ids) await visibleTask(db, user, id);
      for (const id of ids) {
        await applyAction(deps, { kind: 'complete', taskId: id, outcome: body.utfall ?? '', note: body.anteckning || undefined, actor: user.staffId, at: new Date().toISOString() });
      }
      return reply.redirect(`/inkorg?klart=${encodeURIComponent(`${ids.length} uppgifter markerade som klara.`)}`);
    },
  });

  routes.add({
    method: 'GET', url: '/uppgifter/:id', access: [...people],
    handler: async (request, reply) => {
      const user = request.user!;
      const { task, rule } = await visibleTask(db, user, (request.params as { id: string }).id);
      const events = await taskHistory(db, task.task_id);
      const because = await taskBecause(db, task.task_id);
      const open = isOpen(task.state);
      const staff = isHead(user) ? await staffOf(db, user.unitId, [task.assignee_role]) : [];
      const action = (path: string) => `${taskUrl(task.task_id)}/${path}`;
      return reply.type('text/html').send(page({
        title: rule.title, user, notice: notice(request),
        body: html`<p><a href="/inkorg">← Min inkorg</a></p>
<table><tbody>
<tr><th scope="row">Ärende</th><td>${task.case_id ?? 'Enhetsuppgift'}</td></tr>
<tr><th scope="row">Månad</th><td>${task.period}</td></tr>
<tr><th scope="row">Klar senast</th><td>${task.due_on}</td></tr>
<tr><th scope="row">Ansvarig</th><td>${task.assignee ?? '–'}</td></tr>
<tr><th scope="row">Status</th><td>${stateNames[task.state]}</td></tr>
<tr><th scope="row">Varför</th><td>${because.join('; ')}</td></tr>
</tbody></table>
<h2>Instruktion</h2><p>${rule.instructions}</p>
${open ? html`<form method="post" action="${action('klar')}">${csrfField(user)}<fieldset><legend>Markera som klar</legend>
<p><label for="utfall">Utfall</label> <select id="utfall" name="utfall">${rule.completion.outcomes.map((o) => html`<option value="${o.id}">${o.label}</option>`)}</select></p>
<p><label for="anteckning">Anteckning${rule.completion.noteRequired ? ' (krävs)' : ''}${rule.report ? ': rapportens analystext' : ''}</label><br>
<textarea id="anteckning" name="anteckning" rows="${rule.report ? 12 : 3}"${rule.completion.noteRequired ? ' required' : ''}></textarea></p>
<button>Klar</button></fieldset></form>
<form method="post" action="${action('ej-aktuell')}">${csrfField(user)}<fieldset><legend>Inte aktuell</legend>
<p><label for="skal">Skäl (krävs)</label> <input id="skal" name="skal" required> <button>Inte aktuell</button></p></fieldset></form>` : ''}
${open && isHead(user) ? html`<form method="post" action="${action('omfordela')}">${csrfField(user)}<fieldset><legend>Omfördela</legend>
<label for="till">Till</label> <select id="till" name="till">${staff.map((s) => html`<option value="${s.id}"${s.id === task.assignee ? ' selected' : ''}>${s.name} (${s.id})</option>`)}</select> <button>Omfördela</button></fieldset></form>` : ''}
<h2>Historik</h2><table><thead><tr><th>När</th><th>Händelse</th><th>Av</th><th>Utfall / anteckning</th></tr></thead><tbody>
${events.map((e) => html`<tr><td>${new Date(e.at).toISOString().slice(0, 16).replace('T', ' ')}</td><td>${e.kind}</td><td>${e.actor ?? ''}</td><td>${[e.outcome, e.note, e.reason].filter(Boolean).join(' – ')}</td></tr>`)}
</tbody></table>`,
      }));
    },
  });

  const act = (path: string, build: (user: SignedIn, taskId: string, body: Record<string, string | undefined>) => Parameters<typeof applyAction>[1]) =>
    routes.add({
      method: 'POST', url: `/uppgifter/:id/${path}`, access: path === 'omfordela' ? [...heads] : [...people],
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const user = request.user!;
        const { task } = await visibleTask(db, user, (request.params as { id: string }).id);
        try {
          const message = await applyAction(deps, build(user, task.task_id, request.body as Record<string, string | undefined>));
          return reply.redirect(`${taskUrl(task.task_id)}?klart=${encodeURIComponent(`Uppgiften är ${message}.`)}`);
        } catch (error) {
          if (error instanceof BadRequest) return reply.redirect(`${taskUrl(task.task_id)}?fel=${encodeURIComponent(error.message)}`);
          throw error;
        }
      },
    });
  const at = () => new Date().toISOString();
  act('klar', (user, taskId, body) => ({ kind: 'complete', taskId, outcome: body.utfall ?? '', note: body.anteckning || undefined, actor: user.staffId, at: at() }));
  act('ej-aktuell', (user, taskId, body) => ({ kind: 'not-applicable', taskId, reason: body.skal ?? '', actor: user.staffId, at: at() }));
  act('omfordela', (user, taskId, body) => ({ kind: 'reassign', taskId, to: body.till ?? '', actor: user.staffId, at: at() }));

  // The JSON API over the same rules.
  const taskJson = (t: TaskRow) => ({ taskId: t.task_id, ruleId: t.rule_id, caseId: t.case_id, period: t.period, dueOn: t.due_on, assignee: t.assignee, state: t.state, outcome: t.outcome });
  const taskSchema = { type: 'object', properties: { taskId: { type: 'string' }, ruleId: { type: 'string' }, caseId: { type: ['string', 'null'] }, period: { type: 'string' }, dueOn: { type: 'string' }, assignee: { type: ['string', 'null'] }, state: { type: 'string' }, outcome: { type: ['string', 'null'] } } };
  routes.add({
    method: 'GET', url: '/api/tasks', access: [...people],
    schema: { summary: 'Uppgifter: mina, eller enhetens för chefer', querystring: { type: 'object', properties: { period: { type: 'string' }, rule: { type: 'string' }, assignee: { type: 'string' }, state: { type: 'string' } } }, response: { 200: { type: 'array', items: taskSchema } } },
    handler: async (request) => {
      const user = request.user!;
      const q = request.query as { period?: string; rule?: string; assignee?: string; state?: TaskRow['state'] };
      const assignee = isHead(user) ? q.assignee : user.staffId;
      return (await listTasks(db, { unitId: user.unitId, assignee, period: q.period, ruleId: q.rule, state: q.state })).map(taskJson);
    },
  });
  routes.add({
    method: 'GET', url: '/api/tasks/:id', access: [...people],
    schema: { summary: 'En uppgift (egen, eller enhetens för chefer)', response: { 200: taskSchema } },
    handler: async (request) => taskJson((await visibleTask(db, request.user!, (request.params as { id: string }).id)).task),
  });
  const apiAct = (path: string, access: readonly ('caseworker' | 'deputy' | 'head')[], summary: string, build: (user: SignedIn, taskId: string, body: Record<string, string | undefined>) => Parameters<typeof applyAction>[1]) =>
    routes.add({
      method: 'POST', url: `/api/tasks/:id/${path}`, access: [...access],
      schema: { summary, body: { type: 'object' } },
      handler: async (request) => {
        const user = request.user!;
        const { task } = await visibleTask(db, user, (request.params as { id: string }).id);
        return { message: await applyAction(deps, build(user, task.task_id, (request.body ?? {}) as Record<string, string | undefined>)) };
      },
    });
  apiAct('complete', people, 'Markera klar: { outcome, note }', (user, taskId, b) => ({ kind: 'complete', taskId, outcome: b.outcome ?? '', note: b.note, actor: user.staffId, at: at() }));
  apiAct('not-applicable', people, 'Inte aktuell: { reason }', (user, taskId, b) => ({ kind: 'not-applicable', taskId, reason: b.reason ?? '', actor: user.staffId, at: at() }));
  apiAct('reassign', heads, 'Omfördela: { to }', (user, taskId, b) => ({ kind: 'reassign', taskId, to: b.to ?? '', actor: user.staffId, at: at() }));
}
