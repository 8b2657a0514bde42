// Acceptance: every route refuses a user without the right role. The test walks every registered
// route as each role (and signed out) against the real app over a real store and Temporal; also
// CSRF on changes and the lockout after repeated wrong passwords.
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../../src/calendar/businessDays.js';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { rulesDir } from '../../src/platform/paths.js';
import { plan } from '../../src/planner/plan.js';
import { readRuleFiles, readRulePack } from '../../src/rules/files.js';
import { loadRulePack } from '../../src/rules/load.js';
import { planFor, planYears } from '../../src/internkontroll/plan.js';
import { takeSample } from '../../src/internkontroll/samples.js';
import { storeReport as storeIkReport } from '../../src/internkontroll/year.js';
import { parseReportPeriod } from '../../src/reports/period.js';
import { storeReportVersion } from '../../src/reports/tertialReport.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { setLogReviewer } from '../../src/store/accounts.js';
import { recordPack } from '../../src/store/rulePacks.js';
import { insertTasks } from '../../src/store/tasks.js';
import { setPassword, type Access } from '../../src/web/accounts.js';
import type { RouteSpec } from '../../src/web/app.js';
import { webApp } from '../../src/web/index.js';
import { ensureSearchAttributes } from '../../src/platform/searchAttributes.js';
import { runCycleWorker } from '../helpers/cycle.js';
import { freshStore } from '../helpers/store.js';
import { postSignIn } from '../helpers/web.js';
import { localEnvironment } from '../helpers/temporal.js';

const unit = syntheticUnit({ households: 40, seed: 3 });
unit.staff.push({ id: 'fut-01', name: 'FUT-utredare Ett', role: 'fut-utredare', email: 'fut-01@example.se' });
const password = 'rätt-lösenord-123';
const people: Record<Access, string> = { caseworker: 'ss-01', deputy: 'bec-01', head: 'ec-01', admin: 'adm-01', fut: 'fut-01', logreviewer: '' };
/**
 * What each of them may: the admin here is the administrativ assistent, who has an inbox for the tasks the rules give that role;
 * the FUT-utredare has an inbox and reviews internal control's FUT samples; the log reviewer is a bidragshandläggare with the flag.
 */
const accessOfPerson: Record<Access, Access[]> = { caseworker: ['caseworker'], deputy: ['deputy'], head: ['head'], admin: ['admin', 'caseworker'], fut: ['caseworker', 'fut'], logreviewer: ['caseworker', 'logreviewer'] };

describe('the web app\'s routes and roles', () => {
  let env: TestWorkflowEnvironment;
  let db: Db;
  let stopWorker: () => Promise<void>;
  let app: FastifyInstance;
  let routes: RouteSpec[];
  let ownTask: string;
  /** The task's and the review's opaque references: what their page addresses take. */
  let ownRef: string;
  let reviewRef: string;
  let review: string;
  let ikReport: string;
  const sessions = new Map<Access, { cookie: string; csrf: string }>();
  /** Every workflow the web app's client starts or signals, as `start sweep`, `signal analysisWritten`. */
  const workflowCalls: string[] = [];
  const recorder: WorkflowClientInterceptor = {
    start: (input, next) => (workflowCalls.push(`start ${input.workflowType}`), next(input)),
    signalWithStart: (input, next) => (workflowCalls.push(`start ${input.workflowType}`), next(input)),
    signal: (input, next) => (workflowCalls.push(`signal ${input.signalName}`), next(input)),
    startUpdate: (input, next) => (workflowCalls.push(`update ${input.updateName}`), next(input)),
  };

  async function signIn(staffId: string, secret = password, remoteAddress?: string) {
    return postSignIn(app, { enhet: unit.unit.id, anvandare: staffId, losenord: secret }, { remoteAddress });
  }
  /** The log reviewer comes from an address of its own: the walk's sign-ins stay within the rate limit of 20 posts a minute per address. */
  const addressOf = (role: Access) => (role === 'logreviewer' ? '10.0.0.26' : undefined);
  async function session(role: Access) {
    const response = await signIn(people[role], password, addressOf(role));
    const cookie = response.cookies.find((c) => c.name === 'arshjul_session')!.value;
    const start = await app.inject({ method: 'GET', url: role === 'admin' ? '/regler' : '/kalender', cookies: { arshjul_session: cookie } });
    sessions.set(role, { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(start.body)![1]! });
  }

  beforeAll(async () => {
    [env, db] = await Promise.all([localEnvironment(), freshStore('embedded')]);
    await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: today() });
    const pack = await readRulePack(rulesDir);
    const tasks = plan({ caseFile: unit, pack, from: today().slice(0, 7), to: today().slice(0, 7) });
    await db.transaction(async (tx) => {
      await recordPack(tx, pack);
      await insertTasks(tx, tasks);
    });
    // The caseworker is whoever has a task this month.
    const own = tasks.find((t) => t.assigneeRole === 'socialsekreterare' || t.assigneeRole === 'bidragshandlaggare')!;
    people.caseworker = own.assignee!;
    people.logreviewer = unit.staff.find((p) => p.role === 'bidragshandlaggare' && p.id !== own.assignee)!.id;
    ownTask = own.taskId;
    // A sample of the month, so the deputy head has reviews (the reviewer is the first deputy head).
    // The unit's own plan: the demo unit's 2026 plan is not this unit's.
    const ikPlan = planFor(pack.plans, planYears(pack.plans, unit.unit.id)[0]!, unit.unit.id)!;
    const { sample } = await takeSample(db, { unitId: unit.unit.id, plan: ikPlan, controlId: 'payout-sample', period: `${ikPlan.year}-01`, takenOn: today() });
    [{ id: review, ref: reviewRef }] = (await db.query<{ id: string; ref: string }>('SELECT id, ref FROM ik_reviews WHERE sample_id = $1 AND reviewer = $2 LIMIT 1', [sample.id, people.deputy])) as [{ id: string; ref: string }];
    ownRef = (await db.query<{ ref: string }>('SELECT ref FROM tasks WHERE task_id = $1', [ownTask]))[0]!.ref;
    await storeIkReport(db, { unitId: unit.unit.id, plan: ikPlan, report: 'follow-up', date: today(), at: new Date().toISOString() });
    ikReport = `${unit.unit.id}:${ikPlan.year}:follow-up`;
    for (const staffId of Object.values(people)) await setPassword(db, { unitId: unit.unit.id, staffId, password, admin: staffId === people.admin });
    await setLogReviewer(db, unit.unit.id, people.logreviewer, true);
    await ensureSearchAttributes(env.connection, 'default');
    stopWorker = await runCycleWorker(env, db, 'web');
    const client = new Client({ connection: env.connection, namespace: 'default', interceptors: { workflow: [recorder] } });
    ({ app, routes } = await webApp({ db, client, taskQueue: 'web', rulesDir, baseUrl: 'http://localhost' }));
    for (const role of Object.keys(people) as Access[]) await session(role);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await stopWorker?.();
    await db?.close();
    await env?.teardown();
  });

  const urlOf = (route: RouteSpec) =>
    route.url
      .replace(':id', encodeURIComponent(route.url.startsWith('/internkontroll/rapporter') ? ikReport : route.url.startsWith('/internkontroll/') ? reviewRef : ownRef))
      .replace(':unit', unit.unit.id)
      .replace(':period', '2027-T1')
      .replace(':file', 'v1.csv')
      .replace(':token', 'okand.ics');

  it('has routes for every part of the app, each with its roles', () => {
    const urls = routes.map((r) => `${r.method} ${r.url}`);
    for (const expected of ['GET /logg', 'GET /logg.csv', 'GET /inkorg', 'GET /oversikt', 'GET /internkontroll', 'GET /rapporter', 'GET /regler', 'GET /kalender', 'GET /api/tasks', 'POST /api/tasks/:id/complete', 'GET /api/dashboard', 'GET /api/rules', 'GET /api/reports', 'GET /api/rounds']) {
      expect(urls).toContain(expected);
    }
  });

  it('refuses every route to a user without the right role, and lets the right ones through', async () => {
    const refused: string[] = [];
    const wronglyRefused: string[] = [];
    for (const route of routes) {
      for (const role of Object.keys(people) as Access[]) {
        const { cookie, csrf } = sessions.get(role)!;
        const response = await app.inject({ method: route.method, url: urlOf(route), remoteAddress: addressOf(role), cookies: { arshjul_session: cookie }, headers: { 'x-csrf-token': csrf }, payload: route.method === 'POST' ? {} : undefined });
        const allowed = route.access === 'public' || accessOfPerson[role].some((a) => (route.access as readonly string[]).includes(a));
        expect(response.statusCode, `${route.method} ${route.url} som ${role}: ${response.body.slice(0, 300)}`).toBeLessThan(500);
        if (!allowed && response.statusCode !== 403) refused.push(`${route.method} ${route.url} som ${role}: ${response.statusCode}`);
        // A review is its reviewer's: the unit head, the FUT-utredare and the log reviewer may open the page kind, not another's review.
        const notTheirs = route.url.startsWith('/internkontroll/granskning') && (role === 'head' || role === 'fut' || role === 'logreviewer') && response.statusCode === 403;
        // Signing in needs the sign-in form's own token, which a bare post lacks (test/security/sessions.test.ts).
        const signInForm = route.url === '/logga-in' && route.method === 'POST' && response.statusCode === 403;
        // The task in the address is the caseworker's: the administrativ assistent, the FUT-utredare and the log reviewer may open the page kind, not another's task.
        const othersTask = (role === 'admin' || role === 'fut' || role === 'logreviewer') && /^\/(api\/tasks|uppgifter)\/:id/.test(route.url) && response.statusCode === 403;
        if (allowed && !notTheirs && !signInForm && !othersTask && (response.statusCode === 401 || response.statusCode === 403)) wronglyRefused.push(`${route.method} ${route.url} som ${role}: ${response.statusCode}`);
        if (route.url === '/logga-ut' && allowed) await session(role);
      }
      // Signed out: the API answers 401, a page sends to the sign-in.
      if (route.access !== 'public') {
        const response = await app.inject({ method: route.method, url: urlOf(route), payload: route.method === 'POST' ? {} : undefined });
        if (route.url.startsWith('/api/')) expect(response.statusCode, route.url).toBe(401);
        else expect([response.statusCode, response.headers.location], route.url).toEqual([302, expect.stringMatching(/^\/logga-in/)]);
      }
    }
    expect(refused).toEqual([]);
    expect(wronglyRefused).toEqual([]);
  }, 120_000);

  it('refuses a change without the session\'s CSRF token', async () => {
    const { cookie } = sessions.get('caseworker')!;
    const response = await app.inject({ method: 'POST', url: `/api/tasks/${ownRef}/complete`, cookies: { arshjul_session: cookie }, payload: { outcome: 'ok' } });
    expect(response.statusCode).toBe(403);
    const [task] = await db.query<{ state: string }>('SELECT state FROM tasks WHERE task_id = $1', [ownTask]);
    expect(task!.state).toBe('open');
  });

  it('validates bodies and queries by the schema of the route, and says in Swedish what is wrong', async () => {
    const { cookie, csrf } = sessions.get('caseworker')!;
    const missing = await app.inject({ method: 'POST', url: `/api/tasks/${ownRef}/complete`, cookies: { arshjul_session: cookie }, headers: { 'x-csrf-token': csrf }, payload: { note: 'utan utfall' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ error: string }>().error).toMatch(/^Något saknas eller är fel i .*\(outcome\)/);
    const badState = await app.inject({ method: 'GET', url: '/api/tasks?state=klar', cookies: { arshjul_session: cookie } });
    expect(badState.statusCode).toBe(400);
    expect(badState.json<{ error: string }>().error).toContain('state');
    const [task] = await db.query<{ state: string }>('SELECT state FROM tasks WHERE task_id = $1', [ownTask]);
    expect(task!.state).toBe('open');
  });

  it('completes a task through the API with the token, written to the task events', async () => {
    const { cookie, csrf } = sessions.get('caseworker')!;
    const calls = workflowCalls.length;
    const outcome = (await readRulePack(rulesDir)).rules.find((r) => r.rule.id === ownTask.split(':')[1])!.rule.completion.outcomes[0]!.id;
    const response = await app.inject({ method: 'POST', url: `/api/tasks/${ownRef}/complete`, cookies: { arshjul_session: cookie }, headers: { 'x-csrf-token': csrf }, payload: { outcome, note: 'via API' } });
    expect(response.statusCode).toBe(200);
    expect(await db.query('SELECT kind, actor, note FROM task_events WHERE task_id = $1 AND kind = $2', [ownTask, 'completed'])).toEqual([{ kind: 'completed', actor: people.caseworker, note: 'via API' }]);
    // Done in the web process's own store transaction: no workflow was started or signalled for it.
    expect(workflowCalls.slice(calls)).toEqual([]);
  });

  it('gives the deputy head a working view: filters, search by case, control names, every person, and a history in Swedish', async () => {
    const { cookie, csrf } = sessions.get('deputy')!;
    const get = (url: string) => app.inject({ method: 'GET', url, cookies: { arshjul_session: cookie } });
    const year = today().slice(0, 4);
    const [task] = (await db.query<{ task_id: string; ref: string; case_id: string; rule_id: string; assignee: string; assignee_role: string }>(
      `SELECT task_id, ref, case_id, rule_id, assignee, assignee_role FROM tasks WHERE case_id IS NOT NULL AND state = 'open' AND task_id <> $1 ORDER BY task_id LIMIT 1`, [ownTask])) as [{ task_id: string; ref: string; case_id: string; rule_id: string; assignee: string; assignee_role: string }];
    const title = (await readRulePack(rulesDir)).rules.find((r) => r.rule.id === task.rule_id)!.rule.title;

    // Search by part of a case id: that case's tasks only, under the control's name, not its id.
    const found = await get(`/oversikt/uppgifter?year=${year}&arende=${encodeURIComponent(task.case_id.slice(-4))}`);
    expect(found.statusCode).toBe(200);
    const rows = [...found.body.matchAll(/<tr><td>([^<]*)<\/td><td><a href="\/uppgifter\/[^"]+">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(rows.length).toBeGreaterThan(0);
    for (const [, caseId] of rows) expect(caseId).toContain(task.case_id.slice(-4));
    expect(rows).toContainEqual([title, task.case_id]);
    expect(found.body).not.toContain(`<td>${task.rule_id}</td>`);
    // Done shows what is done: nothing of an unfinished month is there.
    expect((await get(`/oversikt/uppgifter?year=${year}&visa=done&arende=${encodeURIComponent(task.case_id)}`)).body).toContain('Inga uppgifter stämmer med filtren.');
    // A month that does not exist is refused by the form's own rule.
    expect((await get(`/oversikt/uppgifter?manad=${year}-13`)).statusCode).toBe(400);

    // Every person of the unit, by name, also those without tasks this year.
    const overview = (await get(`/oversikt?year=${year}`)).body;
    for (const person of unit.staff) expect(overview).toContain(`>${person.name}</a>`);

    // Reassigning to the person who has it already is refused and leaves no event; to another, history says from whom to whom.
    const post = (url: string, payload: object) => app.inject({ method: 'POST', url, cookies: { arshjul_session: cookie }, headers: { 'x-csrf-token': csrf }, payload });
    expect((await post(`/uppgifter/${task.ref}/omfordela`, { till: task.assignee })).statusCode).toBe(400);
    expect(await db.query(`SELECT 1 FROM task_events WHERE task_id = $1 AND kind = 'reassigned'`, [task.task_id])).toEqual([]);
    const other = unit.staff.find((p) => p.role === task.assignee_role && p.id !== task.assignee)!;
    expect((await post(`/uppgifter/${task.ref}/omfordela`, { till: other.id })).statusCode).toBe(302);
    const history = (await get(`/uppgifter/${task.ref}`)).body.split('<h2>Historik</h2>')[1]!;
    const from = unit.staff.find((p) => p.id === task.assignee)!.name;
    expect(history).toContain(`<td>Omfördelad</td><td>Biträdande enhetschef 1</td><td>från ${from} → till ${other.name}</td>`);
    expect(history).toContain('<td>Skapad</td><td>Årshjul</td>');
    // Stockholm's wall clock, not UTC's: the event's minute as it reads in Sweden.
    const [{ at }] = (await db.query<{ at: string }>(`SELECT at FROM task_events WHERE task_id = $1 AND kind = 'reassigned'`, [task.task_id])) as [{ at: string }];
    expect(history).toContain(new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }).format(new Date(at)));
    expect(history).not.toMatch(/reassigned|created|system/);
  });

  it('lets a deputy head close a round from the web as a store fact, with no workflow, and refuses a round that does not exist', async () => {
    const { cookie, csrf } = sessions.get('deputy')!;
    const [round] = (await db.query<{ ruleId: string; period: string }>(
      `SELECT rule_id AS "ruleId", period FROM tasks WHERE state = 'open' GROUP BY rule_id, period ORDER BY rule_id LIMIT 1`)) as [{ ruleId: string; period: string }];
    const close = (regel: string) => app.inject({ method: 'POST', url: '/oversikt/omgang/stang', cookies: { arshjul_session: cookie }, headers: { 'x-csrf-token': csrf }, payload: { regel, manad: round.period } });
    const none = await close('ingen-sadan-regel');
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Det finns ingen sådan kontrollomgång');
    const calls = workflowCalls.length;
    const closed = await close(round.ruleId);
    expect(closed.statusCode).toBe(302);
    expect(workflowCalls.slice(calls)).toEqual([]);
    expect(await db.query('SELECT closed_by FROM closed_rounds WHERE unit_id = $1 AND rule_id = $2 AND period = $3', [unit.unit.id, round.ruleId, round.period])).toEqual([{ closed_by: people.deputy }]);
    const view = await app.inject({ method: 'GET', url: closed.headers.location!, cookies: { arshjul_session: cookie } });
    expect(view.body).toContain('Kontrollomgången är stängd');
    expect(view.body).toContain(', stängd av Biträdande enhetschef 1 ');
    expect(view.body).toContain('<button>Öppna omgången igen</button>');

    // Taken back: the close is gone from the store, and the next sweep takes the round's steps again.
    const reopened = await app.inject({ method: 'POST', url: '/oversikt/omgang/oppna', cookies: { arshjul_session: cookie }, headers: { 'x-csrf-token': csrf }, payload: { regel: round.ruleId, manad: round.period } });
    expect(reopened.statusCode).toBe(302);
    expect(await db.query('SELECT 1 FROM closed_rounds WHERE unit_id = $1 AND rule_id = $2 AND period = $3', [unit.unit.id, round.ruleId, round.period])).toEqual([]);
    const again = await app.inject({ method: 'GET', url: reopened.headers.location!, cookies: { arshjul_session: cookie } });
    expect(again.body).toContain('Kontrollomgången är öppen igen');
    expect(again.body).toContain('<button>Stäng omgången …</button>');
    expect(workflowCalls.slice(calls)).toEqual([]);
    // Opening a round that is not closed is refused in words.
    const twice = await app.inject({ method: 'POST', url: '/oversikt/omgang/oppna', cookies: { arshjul_session: cookie }, headers: { 'x-csrf-token': csrf }, payload: { regel: round.ruleId, manad: round.period } });
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('omgången är inte stängd');
  });

  it('asks before a round is closed, saying what it means and that it can be taken back', async () => {
    const { cookie } = sessions.get('deputy')!;
    const [round] = (await db.query<{ ruleId: string; period: string }>(`SELECT rule_id AS "ruleId", period FROM tasks WHERE state = 'open' ORDER BY rule_id LIMIT 1`)) as [{ ruleId: string; period: string }];
    const asked = await app.inject({ method: 'GET', url: `/oversikt/omgang/stang?regel=${round.ruleId}&manad=${round.period}`, cookies: { arshjul_session: cookie } });
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('<button>Ja, stäng omgången</button>');
    expect(asked.body).toContain('Du kan öppna omgången igen.');
    // Asking changes nothing.
    expect(await db.query('SELECT 1 FROM closed_rounds WHERE rule_id = $1 AND period = $2', [round.ruleId, round.period])).toEqual([]);
  });

  it('opens the overview with what is overdue, by control and by person, as the tasks count it', async () => {
    const { cookie } = sessions.get('deputy')!;
    // Some open tasks made late: their due day moved to last month.
    const late = await db.query<{ task_id: string }>(`SELECT task_id FROM tasks WHERE state = 'open' ORDER BY task_id LIMIT 7`);
    await db.query(`UPDATE tasks SET due_on = due_on - 40 WHERE task_id = ANY($1::text[])`, [late.map((t) => t.task_id)]);
    const body = (await app.inject({ method: 'GET', url: `/oversikt`, cookies: { arshjul_session: cookie } })).body;
    // The recount: every open task past due, straight from the rows, by rule and by assignee.
    const rows = await db.query<{ rule_id: string; assignee: string | null }>(`SELECT rule_id, assignee FROM tasks WHERE state IN ('open', 'awaiting-sign-off') AND due_on < $1::date`, [today()]);
    expect(rows.length).toBeGreaterThanOrEqual(7);
    expect(body.indexOf('id="forsenat"')).toBeLessThan(body.indexOf('<figure>'));
    expect(body).toContain(`data-total="${rows.length}"`);
    const tally = (key: (r: typeof rows[number]) => string) => rows.reduce((m, r) => m.set(key(r), (m.get(key(r)) ?? 0) + 1), new Map<string, number>());
    const shown = (table: string) => new Map([...body.split(`id="${table}"`)[1]!.split('</tbody>')[0]!.matchAll(/<tr data-key="([^"]*)">.*?<td class="n">(\d+)<\/td><\/tr>/g)].map((m) => [m[1]!, Number(m[2])]));
    expect(shown('forsenat-kontroller')).toEqual(tally((r) => r.rule_id));
    expect(shown('forsenat-personer')).toEqual(tally((r) => r.assignee ?? ''));
    // Most first.
    const byControl = [...shown('forsenat-kontroller').values()];
    expect(byControl).toEqual([...byControl].sort((a, b) => b - a));
    // Each line links to the list, and the list agrees.
    const [ruleId, n] = [...shown('forsenat-kontroller')][0]!;
    const list = (await app.inject({ method: 'GET', url: `/oversikt/uppgifter?visa=overdue&regel=${ruleId}`, cookies: { arshjul_session: cookie } })).body;
    expect(list).toContain(n === 1 ? '<p>1 uppgift.</p>' : `<p>${n} uppgifter.</p>`);
  });

  it('makes an address that guessed wrong wait, even with the right password, and lets the person in from elsewhere', async () => {
    const noAccount = unit.staff.find((s) => !Object.values(people).includes(s.id))!.id;
    expect((await signIn(noAccount, password)).headers.location).toMatch(/fel=1/); // no account: refused like a wrong password
    for (let i = 0; i < 5; i++) expect((await signIn(people.head, 'fel-lösenord', '10.0.0.5')).headers.location).toMatch(/fel=1/);
    expect((await signIn(people.head, password, '10.0.0.5')).headers.location).toMatch(/fel=1/);
    expect((await signIn(people.head, password, '10.0.0.6')).headers.location).toBe('/');
    expect((await signIn(people.deputy, password)).headers.location).toBe('/');
  });

  it('limits sign-in attempts per address', async () => {
    const attempt = () => postSignIn(app, { enhet: unit.unit.id, anvandare: 'ingen', losenord: 'x' }, { remoteAddress: '10.0.0.7' });
    for (let i = 0; i < 20; i++) expect((await attempt()).statusCode).toBe(302);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('För många inloggningsförsök');
  });

  it('gives each person a revocable calendar feed of their open tasks, without case ids', async () => {
    const { cookie, csrf } = sessions.get('caseworker')!;
    const as = { cookies: { arshjul_session: cookie }, headers: { 'x-csrf-token': csrf } };
    const created = await app.inject({ method: 'POST', url: '/kalender/ny', ...as, payload: {} });
    // The new secret is shown once, in the answer to the POST: never in an address.
    expect(created.statusCode).toBe(200);
    expect(created.headers.location).toBeUndefined();
    const token = /\/kalender\/([\w-]+)\.ics/.exec(created.body)![1]!;
    const feed = await app.inject({ method: 'GET', url: `/kalender/${token}.ics` });
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    const open = await db.query('SELECT 1 FROM tasks WHERE assignee = $1 AND state = $2', [people.caseworker, 'open']);
    expect(feed.body.match(/BEGIN:VEVENT/g)?.length ?? 0).toBe(open.length);
    expect(feed.body).not.toMatch(new RegExp(unit.cases.map((c) => c.caseId).join('|')));
    await app.inject({ method: 'POST', url: '/kalender/aterkalla', ...as, payload: {} });
    expect((await app.inject({ method: 'GET', url: `/kalender/${token}.ics` })).statusCode).toBe(404);
  });

  it('lets the unit head type in the figures the store has no source for, kept with who and when, and read by the tertial report as of its moment', async () => {
    const post = (role: Access, payload: Record<string, string>) => {
      const { cookie, csrf } = sessions.get(role)!;
      return app.inject({ method: 'POST', url: '/nyckeltal', cookies: { arshjul_session: cookie }, payload: { _csrf: csrf, ...payload } });
    };
    const month = today().slice(0, 7);
    expect((await post('deputy', { manad: month, matt: 'complaintsAboutTreatment', varde: '2' })).statusCode).toBe(403);
    expect((await post('head', { manad: month, matt: 'complaintsAboutTreatment', varde: '2,5' })).body).toContain('Skriv ett antal');
    expect((await post('head', { manad: month, matt: 'sickLeaveRate', varde: '140' })).body).toContain('0–100');
    expect((await post('head', { manad: month, matt: 'okänt', varde: '1' })).body).toContain('Välj ett av nyckeltalen');
    expect((await post('head', { manad: '2999-01', matt: 'complaintsAboutTreatment', varde: '1' })).body).toContain('månader som har varit');
    expect(await db.query('SELECT 1 FROM unit_figures')).toEqual([]);

    expect((await post('head', { manad: month, matt: 'complaintsAboutTreatment', varde: '2' })).headers.location).toBe(`/nyckeltal?year=${month.slice(0, 4)}&sparat=complaintsAboutTreatment&manad=${month}`);
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await post('head', { manad: month, matt: 'complaintsAboutTreatment', varde: '3' })).statusCode).toBe(302);
    expect((await post('head', { manad: month, matt: 'sickLeaveRate', varde: '5,4' })).statusCode).toBe(302);
    // Both rows kept, with who entered them; the later one stands.
    expect(await db.query('SELECT measure, value::text, entered_by FROM unit_figures ORDER BY id')).toEqual([
      { measure: 'complaintsAboutTreatment', value: '2', entered_by: people.head },
      { measure: 'complaintsAboutTreatment', value: '3', entered_by: people.head },
      { measure: 'sickLeaveRate', value: '0.054', entered_by: people.head },
    ]);
    const { cookie } = sessions.get('deputy')!;
    const view = await app.inject({ method: 'GET', url: '/nyckeltal', cookies: { arshjul_session: cookie } });
    expect(view.body).toContain('5,4 %');
    expect(view.body).toContain('Enhetschefen för in siffrorna.');
    const { typedMeasure } = await import('../../src/reports/typedFigures.js');
    const range = { unitId: unit.unit.id, from: `${month}-01`, to: `${month}-28` };
    expect((await typedMeasure(db, { ...range, measure: 'complaintsAboutTreatment', asOf: new Date().toISOString() })).value).toBe(3);
    expect((await typedMeasure(db, { ...range, measure: 'complaintsAboutTreatment', asOf: before })).value).toBe(2);
  });

  it('shows each unit its own internal-control plans: another unit\'s plan for a year is not offered', async () => {
    const { plans } = await readRulePack(rulesDir);
    const neighbour = syntheticUnit({ households: 5, seed: 4, unitId: 'granne-eb' });
    await importCaseFile(db, neighbour, { fileName: 'y', fileHash: 'y', importedBy: 'test', full: false, exportDate: today() });
    await setPassword(db, { unitId: 'granne-eb', staffId: 'bec-01', password, admin: false });
    const response = await postSignIn(app, { enhet: 'granne-eb', anvandare: 'bec-01', losenord: password });
    const cookie = response.cookies.find((c) => c.name === 'arshjul_session')!.value;
    // The demo unit's own plans name it; the neighbour sees none of them.
    const demoOnly = plans.filter((p) => p.plan.units?.includes(unit.unit.id));
    expect(demoOnly.length).toBeGreaterThan(0);
    for (const { plan: other } of demoOnly) {
      const seen = await app.inject({ method: 'GET', url: `/internkontroll?year=${other.year}`, cookies: { arshjul_session: cookie } });
      expect(seen.statusCode).toBe(200);
      expect(seen.body).not.toContain(other.title);
      if (!planFor(plans, other.year, 'granne-eb')) expect(seen.body).toContain(`Det finns ingen internkontrollplan för ${other.year}`);
    }
    const yearsListed = async (c: string) => {
      const body = (await app.inject({ method: 'GET', url: '/internkontroll', cookies: { arshjul_session: c } })).body;
      const line = /<p class="noprint">Planer: (.*?)<\/p>/s.exec(body)![1]!;
      return [...line.matchAll(/>(\d{4})</g)].map((m) => Number(m[1]));
    };
    expect(await yearsListed(cookie)).toEqual(planYears(plans, 'granne-eb'));
    expect(await yearsListed(sessions.get('deputy')!.cookie)).toEqual(planYears(plans, unit.unit.id));
    expect(planYears(plans, 'granne-eb')).not.toEqual(planYears(plans, unit.unit.id));
  });

  it('lists my reviews as one line per control and day, a link for each review', async () => {
    const mine = await db.query<{ ref: string; control_id: string; due_on: string }>(
      `SELECT ref, control_id, due_on::text AS due_on FROM ik_reviews WHERE unit_id = $1 AND reviewer = $2 AND state = 'open'`, [unit.unit.id, people.deputy]);
    expect(mine.length).toBeGreaterThan(1);
    const body = (await app.inject({ method: 'GET', url: '/internkontroll', cookies: { arshjul_session: sessions.get('deputy')!.cookie } })).body;
    const section = body.split('<h2>Mina granskningar</h2>')[1]!.split('</ul>')[0]!;
    expect(section.match(/<li>/g)!.length).toBe(new Set(mine.map((r) => `${r.control_id}|${r.due_on}`)).size);
    for (const r of mine) expect(section.split(`/internkontroll/granskning/${r.ref}"`).length - 1).toBe(1);
  });

  it('lets the deputy head answer a review; a deviation gives a corrective action', async () => {
    const { cookie, csrf } = sessions.get('deputy')!;
    const { plans } = await readRulePack(rulesDir);
    const checklist = planFor(plans, planYears(plans, unit.unit.id)[0]!, unit.unit.id)!.risks.flatMap((r) => r.controls).find((c) => c.id === 'payout-sample')!.checklist;
    const answers = Object.fromEntries(checklist.flatMap((_, i) => (i === 0 ? [[`svar${i}`, 'deviation'], [`anteckning${i}`, 'beslut av fel delegat']] : [[`svar${i}`, 'ok']])));
    const response = await app.inject({ method: 'POST', url: `/internkontroll/granskning/${reviewRef}`, cookies: { arshjul_session: cookie }, payload: { _csrf: csrf, ...answers } });
    expect(response.headers.location).toBe('/internkontroll');
    expect(await db.query('SELECT state, reviewed_by FROM ik_reviews WHERE id = $1', [review])).toEqual([{ state: 'reviewed', reviewed_by: people.deputy }]);
    const corrective = await db.query<{ deviation: string }>('SELECT deviation FROM ik_corrective WHERE review_id = $1', [review]);
    expect(corrective).toHaveLength(1);
    expect(corrective[0]!.deviation).toContain('beslut av fel delegat');

    // The case's socialsekreterare meets it in the inbox and closes it; nobody else may.
    const [action] = await db.query<{ id: string; assignee: string }>('SELECT id, assignee FROM ik_corrective WHERE review_id = $1', [review]);
    const other = unit.staff.find((p) => p.role === 'socialsekreterare' && p.id !== action!.assignee)!.id;
    for (const staffId of [action!.assignee, other]) await setPassword(db, { unitId: unit.unit.id, staffId, password });
    const as = async (staffId: string) => {
      const cookie = (await postSignIn(app, { enhet: unit.unit.id, anvandare: staffId, losenord: password }, { remoteAddress: '10.0.0.8' })).cookies.find((c) => c.name === 'arshjul_session')!.value;
      const inbox = await app.inject({ method: 'GET', url: '/inkorg', cookies: { arshjul_session: cookie } });
      return { cookie, inbox: inbox.body, csrf: /name="_csrf" value="([^"]+)"/.exec(inbox.body)![1]! };
    };
    const intruder = await as(other);
    expect((await app.inject({ method: 'POST', url: '/rattelser/stang', cookies: { arshjul_session: intruder.cookie }, payload: { _csrf: intruder.csrf, id: action!.id, anteckning: 'nej' } })).statusCode).toBe(403);
    const owner = await as(action!.assignee);
    expect(owner.inbox).toContain('beslut av fel delegat');
    const closed = await app.inject({ method: 'POST', url: '/rattelser/stang', cookies: { arshjul_session: owner.cookie }, payload: { _csrf: owner.csrf, id: action!.id, anteckning: 'Nytt beslut av rätt delegat' } });
    expect(closed.headers.location).toMatch(/^\/inkorg\?klart=/);
    expect(await db.query('SELECT state, closed_by, note FROM ik_corrective WHERE id = $1', [action!.id])).toEqual([{ state: 'closed', closed_by: action!.assignee, note: 'Nytt beslut av rätt delegat' }]);
  });

  it('serves a stored report version as HTML, CSV and PDF to the unit head', async () => {
    await storeReportVersion(db, { unitId: unit.unit.id, period: parseReportPeriod('2027-T1'), version: 1, asOf: new Date().toISOString(), at: new Date().toISOString() });
    const { cookie } = sessions.get('head')!;
    const get = (file: string) => app.inject({ method: 'GET', url: `/rapporter/${unit.unit.id}/2027-T1/${file}`, cookies: { arshjul_session: cookie } });
    expect((await get('v1.html')).body).toContain('Tertialrapport 1 2027');
    const csvDownload = await get('v1.csv');
    // A download for Swedish Excel: a byte order mark, then the semicolon header.
    expect(csvDownload.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csvDownload.rawPayload.subarray(3).toString('utf8')).toMatch(/^avsnitt;id;namn/);
    const pdf = await get('v1.pdf');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await app.inject({ method: 'GET', url: '/rapporter', cookies: { arshjul_session: cookie } })).body).toContain('v1.pdf');
  });

  it('exports every CSV for Swedish Excel: a byte order mark, semicolons, Swedish decimals, and å, ä, ö that parse back', async () => {
    const { cookie } = sessions.get('head')!;
    const exports = [`/oversikt.csv?year=${today().slice(0, 4)}`, `/rapporter/${unit.unit.id}/2027-T1/v1.csv`, `/internkontroll/rapporter/${encodeURIComponent(ikReport)}?csv`];
    for (const url of exports) {
      const response = await app.inject({ method: 'GET', url, cookies: { arshjul_session: cookie } });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type'], url).toBe('text/csv; charset=utf-8');
      expect(response.rawPayload.subarray(0, 3), url).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const rows: string[][] = parseCsv(response.rawPayload, { bom: true, delimiter: ';' });
      // A table: every row as wide as the header, and Swedish words whole after the round trip.
      expect(rows.length, url).toBeGreaterThan(1);
      expect(rows.every((row) => row.length === rows[0]!.length), url).toBe(true);
      expect(rows.flat().some((cell) => /[åäö]/.test(cell)), url).toBe(true);
      expect(rows.flat().join(' '), url).not.toMatch(/Ã|�/);
      // No decimal point: Swedish decimals ("95,0").
      expect(rows.flat().filter((cell) => /^-?\d+\.\d+( %)?$/.test(cell)), url).toEqual([]);
    }
    expect((await app.inject({ method: 'GET', url: exports[1]!, cookies: { arshjul_session: cookie } })).body).toMatch(/;mål \(minst\);\d+,\d;%/);
  });

  it('lets a signed-in person sign in as someone else without a token, and refuses a change from the old session after sign-out', async () => {
    const { cookie, csrf } = sessions.get('admin')!;
    const again = await postSignIn(app, { enhet: unit.unit.id, anvandare: people.admin, losenord: password }, { remoteAddress: '10.0.0.9', cookies: { arshjul_session: cookie } });
    expect(again.headers.location).toBe('/');
    await app.inject({ method: 'POST', url: '/logga-ut', cookies: { arshjul_session: cookie }, headers: { 'x-csrf-token': csrf } });
    expect((await app.inject({ method: 'GET', url: '/api/rules', cookies: { arshjul_session: cookie } })).statusCode).toBe(401);
  });

  it('shows the admin what changed since the pack before, by control name, and says so when there is none', async () => {
    await session('admin'); // the test before signed the admin out
    const { cookie } = sessions.get('admin')!;
    const rules = (url = '/regler') => app.inject({ method: 'GET', url, cookies: { arshjul_session: cookie } });
    expect((await rules()).body).toContain('Ingen tidigare version av regelpaketet finns sparad');
    // An earlier pack without the passport check: against it, the check is new.
    const files = (await readRuleFiles(rulesDir)).filter((f) => !f.path.endsWith('passport-check.json'));
    const { pack: earlier } = loadRulePack(files);
    await recordPack(db, earlier);
    const page = (await rules()).body;
    expect(page).toContain(`Jämfört med version ${earlier.hash}: nya Passkontroll; borttagna inga; ändrade inga.`);
    // A malformed month is refused with its own title, not "Ingen behörighet"; the form asks for the same shape.
    const refused = await rules('/regler?manad=2027-13');
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('<title>Kontrollera uppgifterna – Årshjul</title>');
    expect(page).toContain('pattern="\\d{4}-(0[1-9]|1[0-2])"');
  });

  it('shows who entered a key figure and when in the table, and confirms a saved figure with what now stands', async () => {
    const { cookie, csrf } = sessions.get('head')!;
    const month = today().slice(0, 7);
    const saved = await app.inject({ method: 'POST', url: '/nyckeltal', cookies: { arshjul_session: cookie }, payload: { _csrf: csrf, manad: month, matt: 'nonExecutedDecisions', varde: '4' } });
    const view = (await app.inject({ method: 'GET', url: saved.headers.location!, cookies: { arshjul_session: cookie } })).body;
    const [{ entered_at: at }] = (await db.query<{ entered_at: string }>(`SELECT entered_at FROM unit_figures WHERE measure = 'nonExecutedDecisions' ORDER BY id DESC LIMIT 1`)) as [{ entered_at: string }];
    const when = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' }).format(new Date(at));
    const head = unit.staff.find((p) => p.id === people.head)!.name;
    expect(view).toContain(`<p class="ok" role="status">Sparat: Ej verkställda beslut, ${month}: 4 (${head}, ${when}).</p>`);
    // In the cell itself, not in a tooltip.
    expect(view).toContain(`<td class="n">4<br><small>${head}, ${when}</small></td>`);
    expect(view).not.toMatch(/<td[^>]* title=/);
    // A figure that is not there is not confirmed, whatever the address says.
    const bare = (await app.inject({ method: 'GET', url: `/nyckeltal?year=${month.slice(0, 4)}&sparat=childResidents&manad=${month}`, cookies: { arshjul_session: cookie } })).body;
    expect(bare).not.toContain('Sparat:');
  });

  it('links a stored report back to the reports and to the report\'s versions', async () => {
    const { cookie } = sessions.get('head')!;
    const report = (await app.inject({ method: 'GET', url: `/rapporter/${unit.unit.id}/2027-T1/v1.html`, cookies: { arshjul_session: cookie } })).body;
    expect(report).toContain('<nav class="tillbaka" aria-label="Tillbaka"><a href="/rapporter">← Rapporter</a> · <a href="/rapporter#rapport-2027-T1">Alla versioner av Tertialrapport 1 2027</a></nav>');
    expect(report).toContain('<meta name="viewport"');
    const reports = (await app.inject({ method: 'GET', url: '/rapporter', cookies: { arshjul_session: cookie } })).body;
    expect(reports).toContain('<tr id="rapport-2027-T1">');
    // The way back is not printed: the document prints as it was stored.
    expect(report).toMatch(/@media print\{\.tillbaka\{display:none\}\}/);
  });

  it('says a late task is late, offers the next task after one is done, says for whom a follow-up is and when, and lists the tasks of a batch', async () => {
    const year = today().slice(0, 4);
    // May's tax-return checks of one bidragshandläggare: due the last business day of October, so late now.
    const may = plan({ caseFile: unit, pack: await readRulePack(rulesDir), from: `${year}-05`, to: `${year}-05` }).filter((t) => t.ruleId === 'tax-return-check');
    const caseworker = [...new Set(may.map((t) => t.assignee!))].sort((a, b) => may.filter((t) => t.assignee === b).length - may.filter((t) => t.assignee === a).length)[0]!;
    const mine = may.filter((t) => t.assignee === caseworker).slice(0, 3);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    await insertTasks(db, mine);
    await setPassword(db, { unitId: unit.unit.id, staffId: caseworker, password });
    const cookie = (await postSignIn(app, { enhet: unit.unit.id, anvandare: caseworker, losenord: password }, { remoteAddress: '10.0.0.11' })).cookies.find((c) => c.name === 'arshjul_session')!.value;
    const get = async (url: string) => (await app.inject({ method: 'GET', url, cookies: { arshjul_session: cookie } })).body;
    const inbox = await get('/inkorg');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(inbox)![1]!;
    const post = (url: string, payload: object) => app.inject({ method: 'POST', url, cookies: { arshjul_session: cookie }, payload: { _csrf: csrf, ...payload } });
    const rows = await db.query<{ task_id: string; ref: string; case_id: string; due_on: string }>('SELECT task_id, ref, case_id, due_on FROM tasks WHERE task_id = ANY($1::text[]) ORDER BY case_id', [mine.map((t) => t.taskId)]);
    const [first, second, third] = rows as [typeof rows[0], typeof rows[0], typeof rows[0]];
    expect(first.due_on < today()).toBe(true);

    // Late, not just "öppen": on the task's page and in the inbox.
    expect(await get(`/uppgifter/${first.ref}`)).toContain(`<tr><th scope="row">Status</th><td><span class="overdue">försenad</span> (öppen, skulle vara klar ${first.due_on})</td></tr>`);
    expect(inbox).toContain(`<a href="/uppgifter/${first.ref}">${first.case_id}</a></td><td>${year}-05</td><td><span class="overdue">försenad</span></td>`);
    // The menu marks where the person is, for the eye and for a screen reader.
    expect(inbox).toContain('<a href="/inkorg" aria-current="page">Min inkorg</a>');
    expect(inbox).toContain('<a href="/kalender">Kalender</a>');

    // The batch confirmation lists the cases, in Swedish numbers, and no personnummer.
    const one = await post('/inkorg/bekrafta', { uppgift: [second.ref], utfall: 'ok' });
    expect(one.body).toContain('Du markerar <strong>1</strong> uppgift av kontrollen <strong>Kontroll av deklaration</strong> som klar med utfallet <strong>Kontrollerad utan anmärkning</strong>:');
    expect(one.body).toContain(`<td><a href="/uppgifter/${second.ref}">${second.case_id}</a></td><td>${year}-05</td><td>${second.due_on}</td>`);
    expect(one.body).toContain('Ja, markera den som klar');
    const two = await post('/inkorg/bekrafta', { uppgift: [second.ref, third.ref], utfall: 'ok' });
    expect(two.body).toContain('Du markerar <strong>2</strong> uppgifter av kontrollen <strong>Kontroll av deklaration</strong> som klara');
    for (const task of [second, third]) expect(two.body).toContain(`>${task.case_id}</a>`);
    expect(two.body).toContain('Ja, markera 2 som klara');
    for (const body of [one.body, two.body]) {
      expect(body).not.toMatch(/\b1 uppgifter\b/);
      expect(body).not.toMatch(/\d{8}-\d{4}/);
    }

    // Done with a follow-up: for whom and when, as the store has the follow-up task; and the way on.
    const done = await post(`/uppgifter/${first.ref}/klar`, { utfall: 'needs-follow-up', anteckning: 'Kontoutdrag saknas.' });
    expect(done.headers.location).toBe(`/uppgifter/${first.ref}?klart=klar-uppfoljning`);
    const after = await get(done.headers.location!);
    const [followUp] = (await db.query<{ assignee: string; due_on: string }>(`SELECT assignee, due_on FROM tasks WHERE rule_id = 'tax-return-followup' AND case_id = $1`, [first.case_id])) as [{ assignee: string; due_on: string }];
    const whom = unit.staff.find((p) => p.id === followUp.assignee)!.name;
    expect(after).toContain(`Uppgiften är klar. Uppföljningen är skapad: ”Begär komplettering efter deklarationskontrollen” åt ${whom}, klar senast ${followUp.due_on}.`);
    // The next task is the one the inbox now puts first.
    const firstInInbox = /<td><a href="(\/uppgifter\/[^"]+)">/.exec(await get('/inkorg'))![1]!;
    expect(after).toMatch(new RegExp(`<a href="${firstInInbox}">Nästa uppgift: [^<]+</a> · <a href="/inkorg">Tillbaka till inkorgen</a>`));
    expect(firstInInbox).not.toBe(`/uppgifter/${first.ref}`);

    // The deputy head's working view says late, not "öppen", and a task opened from it leads back there.
    const deputy = sessions.get('deputy')!.cookie;
    const asDeputy = async (url: string) => (await app.inject({ method: 'GET', url, cookies: { arshjul_session: deputy } })).body;
    const listed = await asDeputy(`/oversikt/uppgifter?visa=overdue&arende=${encodeURIComponent(third.case_id)}`);
    expect(listed).toMatch(new RegExp(`>${third.case_id}</a>.*?<td><span class="overdue">försenad</span></td></tr>`, 's'));
    expect(listed).not.toMatch(/<td>öppen<\/td><\/tr>/);
    expect(await asDeputy(`/uppgifter/${third.ref}`)).toContain('<a href="/oversikt/uppgifter">← Årshjulets uppgifter</a>');

    // A batch of one is "1 uppgift markerad som klar".
    const bekraftelse = /name="bekraftelse" value="([^"]+)"/.exec(one.body)![1]!;
    const batch = await post('/inkorg/klarmarkera', { uppgift: [second.ref], utfall: 'ok', anteckning: '', bekraftelse });
    expect(batch.headers.location).toBe('/inkorg?klart=markerade&antal=1');
    expect(await get(batch.headers.location!)).toContain('1 uppgift markerad som klar.');
  });

  it('lists the people to reassign to in Swedish order, numbers as numbers', async () => {
    const { cookie } = sessions.get('deputy')!;
    const [task] = (await db.query<{ ref: string }>(`SELECT ref FROM tasks WHERE state = 'open' AND assignee_role = 'socialsekreterare' LIMIT 1`)) as [{ ref: string }];
    const body = (await app.inject({ method: 'GET', url: `/uppgifter/${task.ref}`, cookies: { arshjul_session: cookie } })).body;
    const options = [.../<select id="till" name="till">(.*?)<\/select>/s.exec(body)![1]!.matchAll(/>Socialsekreterare (\d+)</g)].map((m) => Number(m[1]));
    expect(options.length).toBeGreaterThan(10);
    expect(options).toEqual([...options].sort((a, b) => a - b));
  });

  it('documents the API (OpenAPI)', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/tasks', '/api/tasks/{id}/complete', '/api/dashboard', '/api/rules']));
  });
});
