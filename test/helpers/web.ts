// The web app over a real store and a real Temporal dev server (with a worker), for tests that
// sign in and act as a person would; a small synthetic unit with this month's tasks.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { today } from '../../src/calendar/businessDays.js';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { rulesDir } from '../../src/platform/paths.js';
import { ensureSearchAttributes } from '../../src/platform/searchAttributes.js';
import { plan, type PlannedTask } from '../../src/planner/plan.js';
import { readRulePack } from '../../src/rules/files.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { recordPack } from '../../src/store/rulePacks.js';
import { insertTasks } from '../../src/store/tasks.js';
import { setPassword } from '../../src/web/accounts.js';
import type { WebDeps } from '../../src/web/app.js';
import { webApp } from '../../src/web/index.js';
import { runCycleWorker } from './cycle.js';
import { freshStore } from './store.js';
import { postSignIn } from './signIn.js';
import { localEnvironment } from './temporal.js';

export const unit = syntheticUnit({ households: 40, seed: 3 });
export const password = 'rätt-lösenord-123';

export { postSignIn };

export interface WebFixture {
  env: TestWorkflowEnvironment;
  db: Db;
  app: FastifyInstance;
  tasks: PlannedTask[];
  signIn(staffId: string, options?: { password?: string; nasta?: string }): Promise<LightMyRequestResponse>;
  /** A signed-in person's cookie and CSRF token. */
  session(staffId: string): Promise<{ cookie: string; csrf: string }>;
  close(): Promise<void>;
}

/** `staff`: who gets the password; a list, or chosen from the month's tasks. */
export async function webFixture(
  taskQueue: string,
  staff: string[] | ((tasks: PlannedTask[]) => string[]),
  options: Pick<WebDeps, 'now' | 'oidc' | 'trustedProxies'> & { baseUrl?: string } = {},
): Promise<WebFixture> {
  const [env, db] = await Promise.all([localEnvironment(), freshStore('embedded')]);
  await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: today() });
  const pack = await readRulePack(rulesDir);
  const tasks = plan({ caseFile: unit, pack, from: today().slice(0, 7), to: today().slice(0, 7) });
  await db.transaction(async (tx) => {
    await recordPack(tx, pack);
    await insertTasks(tx, tasks);
  });
  for (const staffId of typeof staff === 'function' ? staff(tasks) : staff) await setPassword(db, { unitId: unit.unit.id, staffId, password });
  await ensureSearchAttributes(env.connection, 'default');
  const stopWorker = await runCycleWorker(env, db, taskQueue);
  const { app } = await webApp({ db, client: env.client, taskQueue, rulesDir, baseUrl: options.baseUrl ?? 'http://localhost', now: options.now, oidc: options.oidc, trustedProxies: options.trustedProxies });
  const signIn: WebFixture['signIn'] = (staffId, options = {}) =>
    postSignIn(app, { enhet: unit.unit.id, anvandare: staffId, losenord: options.password ?? password, ...(options.nasta === undefined ? {} : { nasta: options.nasta }) });
  return {
    env, db, app, tasks, signIn,
    async session(staffId) {
      const cookie = (await signIn(staffId)).cookies.find((c) => c.name === 'arshjul_session')!.value;
      const page = await app.inject({ method: 'GET', url: '/kalender', cookies: { arshjul_session: cookie } });
      return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! };
    },
    async close() {
      await app.close();
      await stopWorker();
      await db.close();
      await env.teardown();
    },
  };
}
