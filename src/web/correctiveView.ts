// Corrective actions from internal control, closed by the person they were given to, with what
// was put right: a case's by its caseworker, an access-log record's by the unit head. They are
// listed in that person's inbox.
import { Type } from 'typebox';
import { closeCorrective } from '../internkontroll/reviews.js';
import { correctiveOwner } from '../store/internalControl.js';
import { TaskActionError } from '../tasks/lifecycle.js';
import type { Routes, WebDeps } from './app.js';
import { BadRequest, Forbidden } from './app.js';
import { people } from './taskAccess.js';

export function correctiveView(routes: Routes, deps: WebDeps): void {
  const { db } = deps;

  // A corrective action is closed by the person it was given to, with what was put right.
  routes.add({
    method: 'POST', url: '/rattelser/stang', access: [...people],
    schema: { body: Type.Object({ id: Type.Optional(Type.String()), anteckning: Type.Optional(Type.String()) }) },
    handler: async (request, reply) => {
      const user = request.user!;
      const { body } = request;
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
      return reply.redirect('/inkorg?klart=rattelse');
    },
  });
}
