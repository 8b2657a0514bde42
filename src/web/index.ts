// The web app with all its views, listening where the configuration says.
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { ConfigError, type Config } from '../platform/config.js';
import { rulesDir } from '../platform/paths.js';
import type { Db } from '../store/db.js';
import { buildWebApp, type RouteSpec, type WebDeps } from './app.js';
import { accessibilityView } from './accessibilityView.js';
import { calendarView } from './calendarView.js';
import { dashboardView } from './dashboard.js';
import { healthView } from './health.js';
import { correctiveView } from './correctiveView.js';
import { inboxView } from './inbox.js';
import { figuresView } from './figuresView.js';
import { internkontrollView } from './internkontrollView.js';
import { logView } from './logView.js';
import { reportsView } from './reportsView.js';
import { rulesView } from './rulesView.js';
import { signInView } from './signIn.js';
import { singleSignOnView } from './singleSignOn.js';
import { tasksApi } from './tasksApi.js';
import { taskView } from './taskView.js';

export function webApp(deps: WebDeps): Promise<{ app: FastifyInstance; routes: RouteSpec[] }> {
  return buildWebApp(deps, [healthView, signInView, singleSignOnView, inboxView, taskView, correctiveView, tasksApi, dashboardView, internkontrollView, figuresView, reportsView, rulesView, calendarView, logView, accessibilityView]);
}

/** The web app of an installation (`npm start`'s or `arshjul web`'s), on the configured address; a taken port is the user's to mend. */
export async function startWeb(config: Config, db: Db, client: Client): Promise<FastifyInstance> {
  const { app } = await webApp({ db, client, taskQueue: config.taskQueue, rulesDir, baseUrl: config.baseUrl, oidc: config.oidc, trustedProxies: config.trustedProxies });
  await app.listen({ host: config.webHost, port: config.webPort }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') throw new ConfigError(`Port ${config.webPort} är upptagen: sätt ARSHJUL_WEB_PORT till en ledig port.`);
    throw error;
  });
  return app;
}
