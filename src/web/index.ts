// The web app with all its views, listening where the configuration says.
import type { FastifyInstance } from 'fastify';
import { buildWebApp, type RouteSpec, type WebDeps } from './app.js';
import { calendarView } from './calendarView.js';
import { dashboardView } from './dashboard.js';
import { healthView } from './health.js';
import { correctiveView } from './correctiveView.js';
import { inboxView } from './inbox.js';
import { internkontrollView } from './internkontrollView.js';
import { reportsView } from './reportsView.js';
import { rulesView } from './rulesView.js';
import { signInView } from './signIn.js';
import { singleSignOnView } from './singleSignOn.js';
import { tasksApi } from './tasksApi.js';
import { taskView } from './taskView.js';

export function webApp(deps: WebDeps): Promise<{ app: FastifyInstance; routes: RouteSpec[] }> {
  return buildWebApp(deps, [healthView, signInView, singleSignOnView, inboxView, taskView, correctiveView, tasksApi, dashboardView, internkontrollView, reportsView, rulesView, calendarView]);
}

export async function startWeb(deps: WebDeps, where: { host: string; port: number }): Promise<FastifyInstance> {
  const { app } = await webApp(deps);
  await app.listen({ host: where.host, port: where.port });
  return app;
}
