// My tasks as an iCalendar feed Outlook can subscribe to: a secret token in the URL (only its hash
// is stored), a new one revokes the old, and it can be revoked. Each event is the control's name
// and a link; no case id or name, since a calendar travels like e-mail.
import { Type } from 'typebox';
import { createHmac, randomBytes } from 'node:crypto';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { activeCalendarToken, calendarTokenOwner, insertCalendarToken, revokeCalendarTokens } from '../store/accounts.js';
import { serverSecret } from '../store/secrets.js';
import { openTasksOf } from '../store/tasks.js';
import type { FastifyReply } from 'fastify';
import { recordAccess } from '../accessLog/log.js';
import { clockOf, type Routes, type SignedIn, type WebDeps } from './app.js';
import { sha256 } from './accounts.js';
import { html } from './html.js';
import { csrfField, page } from './layout.js';
import { people, ruleOf } from './taskAccess.js';


export function calendarView(routes: Routes, deps: WebDeps): void {
  const { db } = deps;
  let key: string | undefined;
  const secret = async () => (key ??= await serverSecret(db, 'calendar-uid'));

  /** The page; a new secret address is shown once, in the answer to the POST that made it, never in an address bar. */
  async function show(reply: FastifyReply, user: SignedIn, fresh?: string) {
    const active = await activeCalendarToken(db, user.unitId, user.staffId);
    return reply.type('text/html').send(page({
      title: 'Min kalender', user,
      body: html`<p>Prenumerera på dina uppgifter i Outlook (Lägg till kalender → Från internet) med en hemlig adress. Den visar kontrollens namn och förfallodag, aldrig ärendet.</p>
${fresh ? html`<p class="ok" role="status">Din nya adress (visas bara nu, spara den):<br><code id="kalenderadress">${deps.baseUrl}/kalender/${fresh}.ics</code></p>` : ''}
<p>${active ? `En adress är aktiv sedan ${new Date(active.created_at).toISOString().slice(0, 10)}.` : 'Ingen adress är aktiv.'}</p>
<form method="post" action="/kalender/ny">${csrfField(user)}<button>${active ? 'Skapa ny adress (den gamla slutar fungera)' : 'Skapa adress'}</button></form>
${active ? html`<form method="post" action="/kalender/aterkalla">${csrfField(user)}<button>Återkalla adressen</button></form>` : ''}`,
    }));
  }

  routes.add({
    method: 'GET', url: '/kalender', access: [...people],
    handler: async (request, reply) => show(reply, request.user!),
  });

  routes.add({
    method: 'POST', url: '/kalender/ny', access: [...people],
    handler: async (request, reply) => {
      const user = request.user!;
      const token = randomBytes(24).toString('base64url');
      await db.transaction(async (tx) => {
        await revokeCalendarTokens(tx, user.unitId, user.staffId);
        await insertCalendarToken(tx, sha256(token), user.unitId, user.staffId);
      });
      return show(reply, user, token);
    },
  });

  routes.add({
    method: 'POST', url: '/kalender/aterkalla', access: [...people],
    handler: async (request, reply) => {
      await revokeCalendarTokens(db, request.user!.unitId, request.user!.staffId);
      return reply.redirect('/kalender');
    },
  });

  routes.add({
    method: 'GET', url: '/kalender/:token', access: 'public',
    schema: { params: Type.Object({ token: Type.String() }) },
    handler: async (request, reply) => {
      const token = request.params.token.replace(/\.ics$/, '');
      const owner = await calendarTokenOwner(db, sha256(token));
      if (!owner) return reply.code(404).type('text/plain; charset=utf-8').send('Kalenderadressen finns inte eller är återkallad.');
      const calendar = ical({ name: 'Årshjul: mina uppgifter', method: ICalCalendarMethod.PUBLISH, prodId: { company: 'Årshjul', product: 'arshjul', language: 'SV' } });
      const tasks = await openTasksOf(db, owner.unit_id, owner.staff_id);
      // A feed has no session: its owner, and the address that fetched it (Outlook's, as a rule).
      await recordAccess(db, { unitId: owner.unit_id, staffId: owner.staff_id, view: 'calendar-feed', query: `${tasks.length} ${tasks.length === 1 ? 'uppgift' : 'uppgifter'}`, address: request.ip, at: clockOf(deps)() });
      for (const task of tasks) {
        const rule = await ruleOf(db, task.rule_version);
        calendar.createEvent({
          // Keyed by a server secret: a feed's ids cannot be traced back to tasks (and so to cases).
          id: createHmac('sha256', await secret()).update(task.task_id).digest('hex').slice(0, 32),
          start: new Date(`${task.due_on}T00:00:00Z`),
          allDay: true,
          summary: `${rule.title} (klar senast)`,
          url: `${deps.baseUrl}/inkorg`,
        });
      }
      return reply.type('text/calendar; charset=utf-8').send(calendar.toString());
    },
  });
}
