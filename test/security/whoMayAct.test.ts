// Who may act, replayed from the review (issue 26): a deputy head completed the unit head's own
// tasks, the tertial report's analysis included; bulk completion signed off others' two-person
// tasks without showing them; a password change left the calendar feed alive; the admin flag could
// never be taken away; a send-back read "Öppnad igen". Against the real app, store and worker.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../../src/calendar/businessDays.js';
import { loadConfig } from '../../src/platform/config.js';
import { rulesDir } from '../../src/platform/paths.js';
import { plan, type PlannedTask } from '../../src/planner/plan.js';
import { readRulePack } from '../../src/rules/files.js';
import { accountFor } from '../../src/store/accounts.js';
import { importCaseFile } from '../../src/store/cases.js';
import { openStore } from '../../src/store/open.js';
import { recordPack, ruleVersion } from '../../src/store/rulePacks.js';
import { findTask, insertTasks, taskHistory, type TaskEvent, type TaskRow } from '../../src/store/tasks.js';
import { applyTaskAction } from '../../src/tasks/lifecycle.js';
import { disableAccount, setAdminFlag, setPassword } from '../../src/web/accounts.js';
import { describeHistory } from '../../src/web/names.js';
import { cli, run } from '../helpers/arshjul.js';
import { packOf, testRule } from '../helpers/rules.js';
import { password, unit, webFixture, type WebFixture } from '../helpers/web.js';

type Session = { cookie: string; csrf: string };

describe('who may act', () => {
  let web: WebFixture;
  let analysis: TaskRow;
  let caseworkerTask: TaskRow;
  let twoPerson: PlannedTask[];
  let first: string;
  let peer: string;
  const sessions = new Map<string, Session>();
  const as = async (staffId: string) => sessions.get(staffId) ?? sessions.set(staffId, await web.session(staffId)).get(staffId)!;

  beforeAll(async () => {
    const year = today().slice(0, 4);
    const month = today().slice(0, 7);
    // The unit head's analysis for the first tertial report (April's task), and a two-person rule's tasks this month.
    const april = plan({ caseFile: unit, pack: await readRulePack(rulesDir), from: `${year}-04`, to: `${year}-04` }).filter((t) => t.ruleId === 'tertial-1-unit');
    const pack = packOf([testRule({ id: 'two-person', assignee: { role: 'bidragshandlaggare' }, completion: { outcomes: [{ id: 'ok', label: 'Utan anmärkning' }], secondSignOff: true } })]);
    twoPerson = plan({ caseFile: unit, pack, from: month, to: month });
    first = twoPerson[0]!.assignee!;
    peer = unit.staff.find((s) => s.role === 'bidragshandlaggare' && s.id !== first && twoPerson.filter((t) => t.assignee === s.id).length >= 2)!.id;
    web = await webFixture('security-who-may-act', (tasks) => {
      const ss = tasks.find((t) => t.caseId !== null && t.assigneeRole === 'socialsekreterare')!.assignee!;
      return ['ec-01', 'bec-01', 'adm-01', first, peer, ss, unit.staff.find((s) => s.role === 'socialsekreterare' && s.id !== ss)!.id];
    });
    await web.db.transaction(async (tx) => {
      await recordPack(tx, pack);
      await insertTasks(tx, [...april, ...twoPerson]);
    });
    analysis = (await findTask(web.db, april[0]!.taskId))!;
    const own = web.tasks.find((t) => t.caseId !== null && t.assigneeRole === 'socialsekreterare')!;
    caseworkerTask = (await findTask(web.db, own.taskId))!;
  }, 120_000);
  afterAll(async () => {
    await web?.close();
  });

  const post = async (staffId: string, url: string, payload: Record<string, string | string[]>) => {
    const { cookie, csrf } = await as(staffId);
    return web.app.inject({ method: 'POST', url, cookies: { arshjul_session: cookie }, payload: { _csrf: csrf, ...payload } });
  };
  const api = async (staffId: string, url: string, payload: object) => {
    const { cookie, csrf } = await as(staffId);
    return web.app.inject({ method: 'POST', url, cookies: { arshjul_session: cookie }, headers: { 'x-csrf-token': csrf }, payload });
  };
  const get = async (staffId: string, url: string) => (await web.app.inject({ method: 'GET', url, cookies: { arshjul_session: (await as(staffId)).cookie } })).body;
  const stateOf = async (task: TaskRow) => ({ state: (await findTask(web.db, task.task_id))!.state, events: (await taskHistory(web.db, task.task_id)).length });

  it('lets a deputy head neither complete nor set aside the unit head\'s own task, the tertial report\'s analysis included', async () => {
    expect(analysis.assignee).toBe('ec-01');
    const before = await stateOf(analysis);
    // The page offers the deputy head no form to do it, and says whose it is.
    const page = await get('bec-01', `/uppgifter/${analysis.ref}`);
    expect(page).not.toContain('Markera som klar');
    expect(page).toContain('Uppgiften görs av Enhetschef');
    for (const [url, payload] of [['klar', { utfall: 'done', anteckning: 'Analys av någon annan.' }], ['ej-aktuell', { skal: 'Inte aktuell.' }]] as const) {
      const refused = await post('bec-01', `/uppgifter/${analysis.ref}/${url}`, payload);
      expect(refused.statusCode, url).toBe(400);
      expect(refused.body).toContain('uppgiften är en annan persons');
    }
    expect((await api('bec-01', `/api/tasks/${analysis.ref}/complete`, { outcome: 'done', note: 'Analys av någon annan.' })).statusCode).toBe(400);
    expect(await stateOf(analysis)).toEqual(before);
    // The unit head writes it.
    const done = await post('ec-01', `/uppgifter/${analysis.ref}/klar`, { utfall: 'done', anteckning: 'Enhetens analys.' });
    expect(done.headers.location).toMatch(/\?klart=/);
    expect((await findTask(web.db, analysis.task_id))!.state).toBe('completed');
  });

  it('lets a head reassign a caseworker\'s task, not do it; the colleague it went to does it', async () => {
    const refused = await post('bec-01', `/uppgifter/${caseworkerTask.ref}/klar`, { utfall: 'ok' });
    expect(refused.statusCode).toBe(400);
    const to = unit.staff.find((s) => s.role === 'socialsekreterare' && s.id !== caseworkerTask.assignee)!.id;
    await setPassword(web.db, { unitId: unit.unit.id, staffId: to, password });
    expect((await post('bec-01', `/uppgifter/${caseworkerTask.ref}/omfordela`, { till: to })).headers.location).toMatch(/\?klart=omfordelad/);
    // The one it was taken from may no longer do it; the one who has it now may.
    expect((await post(caseworkerTask.assignee!, `/uppgifter/${caseworkerTask.ref}/klar`, { utfall: 'ok' })).statusCode).toBe(403);
    const { completion } = await ruleVersion(web.db, caseworkerTask.rule_version);
    const done = await post(to, `/uppgifter/${caseworkerTask.ref}/klar`, { utfall: completion.outcomes[0]!.id, anteckning: 'Gjord efter omfördelning.' });
    expect(done.headers.location).toMatch(/\?klart=/);
    expect((await findTask(web.db, caseworkerTask.task_id))!.state).not.toBe('open');
  });

  it('refuses a bulk sign-off that did not go through the confirmation page that lists each task', async () => {
    // The first person has done two of their two-person tasks; they wait for a second person.
    const waiting = twoPerson.filter((t) => t.assignee === first).slice(0, 2);
    for (const t of waiting) await applyTaskAction(web.db, { kind: 'complete', taskId: t.taskId, outcome: 'ok', actor: first, at: new Date().toISOString() });
    const refs = await Promise.all(waiting.map(async (t) => (await findTask(web.db, t.taskId))!));
    const before = await Promise.all(refs.map(stateOf));
    // Straight to the batch, without the page: refused.
    const straight = await post(peer, '/inkorg/klarmarkera', { uppgift: refs.map((t) => t.ref), utfall: 'ok' });
    expect(straight.statusCode).toBe(403);
    expect(straight.body).toContain('Bekräfta först');
    // Nor does the page take them: a batch is the person's own open tasks, nobody's work to sign.
    expect((await post(peer, '/inkorg/bekrafta', { uppgift: refs.map((t) => t.ref), utfall: 'ok' })).statusCode).toBe(403);
    // A token the page gave for the peer's own tasks does not cover others' tasks added to the post.
    const own = await Promise.all(twoPerson.filter((t) => t.assignee === peer).slice(0, 2).map(async (t) => (await findTask(web.db, t.taskId))!.ref));
    const confirm = await post(peer, '/inkorg/bekrafta', { uppgift: own, utfall: 'ok' });
    expect(confirm.statusCode).toBe(200);
    for (const ref of own) expect(confirm.body).toContain(`/uppgifter/${ref}`);
    const token = /name="bekraftelse" value="([^"]+)"/.exec(confirm.body)![1]!;
    expect((await post(peer, '/inkorg/klarmarkera', { uppgift: [...own, ...refs.map((t) => t.ref)], utfall: 'ok', bekraftelse: token })).statusCode).toBe(403);
    // Nor another outcome than the page showed.
    expect((await post(peer, '/inkorg/klarmarkera', { uppgift: own, utfall: 'annat', bekraftelse: token })).statusCode).toBe(403);
    expect(await Promise.all(refs.map(stateOf))).toEqual(before);
    // As the page listed them, it is done.
    const done = await post(peer, '/inkorg/klarmarkera', { uppgift: own, utfall: 'ok', bekraftelse: token });
    expect(done.headers.location).toBe(`/inkorg?klart=markerade&antal=${own.length}`);
  });

  it('says "Skickad tillbaka" when a second person sends a task back', async () => {
    const task = (await findTask(web.db, twoPerson.find((t) => t.assignee === first)!.taskId))!;
    expect(task.state).toBe('awaiting-sign-off');
    expect((await post(peer, `/uppgifter/${task.ref}/skicka-tillbaka`, { skal: 'Kontoutdraget saknas.' })).headers.location).toMatch(/\?klart=tillbaka/);
    const history = await get(first, `/uppgifter/${task.ref}`);
    expect(history).toMatch(/<td>Skickad tillbaka<\/td><td>[^<]+<\/td><td>Kontoutdraget saknas\.<\/td>/);
    expect(history).not.toContain('Öppnad igen');
    // A send-back stored before the mark existed reads the same, from what came before it.
    const event = (kind: TaskEvent['kind']): TaskEvent => ({ kind, at: '2027-03-01T09:00:00Z', actor: first, outcome: null, note: null, reason: null, data: {} });
    const rule = { completion: { outcomes: [{ id: 'ok', label: 'Utan anmärkning' }], secondSignOff: true } };
    expect(describeHistory([event('created'), event('completed'), event('reopened')], rule, new Map()).map((e) => e.what)).toEqual(['Skapad', 'Utförd', 'Skickad tillbaka']);
    expect(describeHistory([event('created'), event('completed'), event('signed-off'), event('reopened')], rule, new Map()).map((e) => e.what)).toEqual(['Skapad', 'Utförd', 'Attesterad', 'Öppnad igen']);
  });

  it('kills the calendar feed at a password change, and for good when a person is disabled', async () => {
    for (const [who, change] of [
      [first, () => setPassword(web.db, { unitId: unit.unit.id, staffId: first, password })],
      [peer, async () => {
        await disableAccount(web.db, { unitId: unit.unit.id, staffId: peer, disabled: true });
        await disableAccount(web.db, { unitId: unit.unit.id, staffId: peer, disabled: false });
      }],
    ] as const) {
      sessions.delete(who);
      const made = await post(who, '/kalender/ny', {});
      const feed = new URL(/id="kalenderadress">([^<]+)</.exec(made.body)![1]!).pathname;
      expect((await web.app.inject({ method: 'GET', url: feed })).statusCode).toBe(200);
      await change();
      expect((await web.app.inject({ method: 'GET', url: feed })).statusCode, who).toBe(404);
      sessions.delete(who);
    }
  });

  it('takes the admin flag away at once, in a session already open', async () => {
    await setPassword(web.db, { unitId: unit.unit.id, staffId: 'adm-01', password, admin: true });
    sessions.delete('adm-01');
    const { cookie } = await as('adm-01');
    const rules = () => web.app.inject({ method: 'GET', url: '/regler', cookies: { arshjul_session: cookie } });
    expect((await rules()).statusCode).toBe(200);
    await setAdminFlag(web.db, { unitId: unit.unit.id, staffId: 'adm-01', admin: false });
    expect((await rules()).statusCode).toBe(403);
    // A new password does not give it back.
    await setPassword(web.db, { unitId: unit.unit.id, staffId: 'adm-01', password });
    expect((await accountFor(web.db, unit.unit.id, 'adm-01'))!.admin).toBe(false);
  });
});

describe('arshjul users admin --off', () => {
  it('takes the flag away in the store, as the command line says', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-users-admin-'));
    const env = { ...process.env, ARSHJUL_DATA_DIR: dataDir, DATABASE_URL: '', TEMPORAL_ADDRESS: '' };
    try {
      const config = loadConfig(env);
      let db = await openStore(config);
      await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: today() });
      await setPassword(db, { unitId: unit.unit.id, staffId: 'adm-01', password, admin: true });
      await db.close();
      const { stdout } = await run(process.execPath, [cli, 'users', 'admin', '--unit', unit.unit.id, '--staff', 'adm-01', '--off'], { env });
      expect(stdout).toContain('adm-01 i demo-eb är inte längre admin');
      db = await openStore(config);
      expect((await accountFor(db, unit.unit.id, 'adm-01'))!.admin).toBe(false);
      await db.close();
      await expect(run(process.execPath, [cli, 'users', 'admin', '--unit', unit.unit.id, '--staff', 'okand-1'], { env })).rejects.toMatchObject({ stderr: expect.stringContaining('okand-1 finns inte i enheten') as unknown });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
