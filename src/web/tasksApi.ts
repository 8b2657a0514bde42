// The JSON API for tasks, over the same rules as the pages: mine (or the unit's, for a head), one
// task, and its actions. Documented at /api/openapi.json.
import { Type, type TSchema } from 'typebox';
import { listTasks, TASK_STATES, type TaskRow } from '../store/tasks.js';
import type { TaskAction } from '../tasks/lifecycle.js';
import { logAccess, queryText } from './accessLog.js';
import type { Routes, SignedIn, WebDeps } from './app.js';
import { applyAction, heads, isHead, people, taskParams, visibleTask } from './taskAccess.js';

export function tasksApi(routes: Routes, deps: WebDeps): void {
  const { db } = deps;
  const at = () => new Date().toISOString();
  // `ref` is what addresses take (`/api/tasks/{ref}`): the task id names a case.
  const taskJson = (t: TaskRow) => ({ ref: t.ref, taskId: t.task_id, ruleId: t.rule_id, caseId: t.case_id, period: t.period, dueOn: t.due_on, assignee: t.assignee, state: t.state, outcome: t.outcome });
  const nullable = (schema: TSchema) => Type.Union([schema, Type.Null()]);
  const taskSchema = Type.Object({
    ref: Type.String(), taskId: Type.String(), ruleId: Type.String(), caseId: nullable(Type.String()), period: Type.String(), dueOn: Type.String(),
    assignee: nullable(Type.String()), state: Type.String(), outcome: nullable(Type.String()),
  });
  const state = Type.Union(TASK_STATES.map((s) => Type.Literal(s)));
  routes.add({
    method: 'GET', url: '/api/tasks', access: [...people],
    schema: {
      summary: 'Uppgifter: mina, eller enhetens för chefer',
      querystring: Type.Object({ period: Type.Optional(Type.String()), rule: Type.Optional(Type.String()), assignee: Type.Optional(Type.String()), state: Type.Optional(state) }),
      response: { 200: Type.Array(taskSchema) },
    },
    handler: async (request) => {
      const user = request.user!;
      const q = request.query;
      const assignee = isHead(user) ? q.assignee : user.staffId;
      const tasks = await listTasks(db, { unitId: user.unitId, assignee, period: q.period, ruleId: q.rule, state: q.state });
      await logAccess(deps, request, { view: 'api-tasks', caseIds: tasks.map((t) => t.case_id), query: queryText([['period', q.period], ['rule', q.rule], ['assignee', assignee], ['state', q.state]]) });
      return tasks.map(taskJson);
    },
  });
  routes.add({
    method: 'GET', url: '/api/tasks/:id', access: [...people],
    schema: { summary: 'En uppgift (egen, eller enhetens för chefer)', params: taskParams, response: { 200: taskSchema } },
    handler: async (request) => {
      const { task } = await visibleTask(db, request.user!, request.params.id);
      await logAccess(deps, request, { view: 'api-task', caseIds: [task.case_id], query: queryText([['kontroll', task.rule_id], ['månad', task.period]]) });
      return taskJson(task);
    },
  });
  const action = async (user: SignedIn, taskId: string, build: (taskId: string) => TaskAction) => {
    const { task } = await visibleTask(db, user, taskId);
    return { message: (await applyAction(deps, build(task.task_id))).message };
  };
  routes.add({
    method: 'POST', url: '/api/tasks/:id/complete', access: [...people],
    schema: { summary: 'Markera klar', params: taskParams, body: Type.Object({ outcome: Type.String(), note: Type.Optional(Type.String()) }) },
    handler: async ({ user, params, body }) => action(user!, params.id, (taskId) => ({ kind: 'complete', taskId, outcome: body.outcome, note: body.note, actor: user!.staffId, at: at() })),
  });
  routes.add({
    method: 'POST', url: '/api/tasks/:id/not-applicable', access: [...people],
    schema: { summary: 'Inte aktuell', params: taskParams, body: Type.Object({ reason: Type.String() }) },
    handler: async ({ user, params, body }) => action(user!, params.id, (taskId) => ({ kind: 'not-applicable', taskId, reason: body.reason, actor: user!.staffId, at: at() })),
  });
  routes.add({
    method: 'POST', url: '/api/tasks/:id/send-back', access: [...people],
    schema: { summary: 'Skicka tillbaka en uppgift som väntar på attest', params: taskParams, body: Type.Object({ reason: Type.Optional(Type.String()) }) },
    handler: async ({ user, params, body }) => action(user!, params.id, (taskId) => ({ kind: 'send-back', taskId, reason: body.reason ?? '', actor: user!.staffId, at: at() })),
  });
  routes.add({
    method: 'POST', url: '/api/tasks/:id/reassign', access: [...heads],
    schema: { summary: 'Omfördela', params: taskParams, body: Type.Object({ to: Type.String() }) },
    handler: async ({ user, params, body }) => action(user!, params.id, (taskId) => ({ kind: 'reassign', taskId, to: body.to, actor: user!.staffId, at: at() })),
  });
}
