// Log review as a control (issue 26): the reviewer of a sampled access-log record sees who, when,
// which view, which cases (with their caseworkers) or search and from which address, and marks it
// justified or a deviation; opening the record is itself on the access log. A deviation is the unit
// head's corrective action, in the unit head's inbox, closed there. A unit with a log reviewer has
// them review, never their own records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAccesses, searchAccess, type Access } from '../../src/accessLog/log.js';
import { planFor, planYears, type Plan } from '../../src/internkontroll/plan.js';
import { takeControlSample } from '../../src/internkontroll/samples.js';
import { rulesDir } from '../../src/platform/paths.js';
import { readRulePack } from '../../src/rules/files.js';
import { setLogReviewer } from '../../src/store/accounts.js';
import { unit, webFixture, type WebFixture } from '../helpers/web.js';

const caseworker = unit.cases[0]!.socialsekreterare;
const [first, second] = [unit.cases[0]!, unit.cases[1]!];
const flagged = unit.staff.find((p) => p.role === 'bidragshandlaggare')!.id;

describe('the review of a sampled access-log record', () => {
  let web: WebFixture;
  let plan: Plan;
  /** The records of the plan year's January and February: places by who made them. */
  let january: { seq: number; staffId: string | null }[];
  let february: { seq: number; staffId: string | null }[];

  beforeAll(async () => {
    web = await webFixture('log-review', ['bec-01', 'bec-02', 'ec-01', caseworker, flagged]);
    const { plans } = await readRulePack(rulesDir);
    plan = planFor(plans, planYears(plans, unit.unit.id)[0]!, unit.unit.id)!;
    const at = (month: string, day: number, hour: number) => new Date(`${plan.year}-${month}-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:15:00Z`);
    const task = (staffId: string, caseId: string, when: Date): Omit<Access, 'unitId'> => ({
      staffId, view: 'task', caseIds: [caseId], query: `kontroll=tax-return-check; månad=${plan.year}-01`, session: 'a1b2c3d4e5f6a7b8', address: '10.20.30.40', at: when,
    });
    january = (await recordAccesses(web.db, unit.unit.id, [
      task(caseworker, first.caseId, at('01', 11, 9)),
      { staffId: 'bec-01', view: 'working-view', caseIds: [first.caseId, second.caseId], query: `ärende=${second.caseId.slice(-5)}`, session: 'ffeeddccbbaa9988', address: '10.20.30.41', at: at('01', 12, 10) },
      { staffId: caseworker, view: 'sign-in', query: 'lösenord', at: at('01', 13, 7) },
    ])).map((r) => ({ seq: r.seq, staffId: r.staffId }));
    const sample = (month: string) => takeControlSample(web.db, { unitId: unit.unit.id, plan, controlId: 'access-log-review', period: `${plan.year}-${month}`, seed: 'webbtest', takenOn: `${plan.year}-${month}-28` });
    await sample('01');
    // A log reviewer from February: the records go to them, but not their own.
    await setLogReviewer(web.db, unit.unit.id, flagged, true);
    february = (await recordAccesses(web.db, unit.unit.id, [task(caseworker, second.caseId, at('02', 8, 9)), task(flagged, first.caseId, at('02', 9, 9))])).map((r) => ({ seq: r.seq, staffId: r.staffId }));
    await sample('02');
  }, 180_000);
  afterAll(async () => {
    await web?.close();
  });

  const reviews = () => web.db.query<{ id: string; ref: string; record_seq: number; reviewer: string; state: string }>(
    `SELECT id, ref, record_seq, reviewer, state FROM ik_reviews WHERE control_id = 'access-log-review' ORDER BY record_seq`,
  );

  it('samples the records that showed cases, each for a reviewer who did not make it: a log reviewer where the unit has one', async () => {
    expect((await reviews()).map((r) => [r.record_seq, r.reviewer])).toEqual([
      // January: the first deputy head, the other for the first deputy head's own record; the sign-in is not sampled.
      [january[0]!.seq, 'bec-01'], [january[1]!.seq, 'bec-02'],
      // February: the log reviewer, and for the log reviewer's own record the control's role.
      [february[0]!.seq, flagged], [february[1]!.seq, 'bec-02'],
    ]);
  });

  it('shows the deputy head the record, puts the page on the access log, and takes justified or a deviation with a note', async () => {
    const { cookie, csrf } = await web.session('bec-02');
    const get = (url: string) => web.app.inject({ method: 'GET', url, cookies: { arshjul_session: cookie } });
    const [, review] = await reviews();
    const list = await get('/internkontroll');
    // One line for the control and its day, a link for each record.
    expect(list.body).toMatch(new RegExp(`<li>Loggkontroll: granskning av åtkomst till personuppgifter, klar senast [0-9-]+: .*?<a href="/internkontroll/granskning/${review!.ref}">post nr ${review!.record_seq}</a>`));

    const before = (await searchAccess(web.db, { unitId: unit.unit.id, limit: 1 })).total;
    const page = await get(`/internkontroll/granskning/${review!.ref}`);
    expect(page.statusCode).toBe(200);
    const record = /<table id="posten"[\s\S]*?<\/table>/.exec(page.body)![0];
    const name = (id: string) => unit.staff.find((p) => p.id === id)!.name;
    for (const shown of [`Post nr ${review!.record_seq}`, `${name('bec-01')}, biträdande enhetschef`, 'Uppgifter (arbetsvyn)', `ärende=${second.caseId.slice(-5)}`, '<code>ffeeddcc</code>', '10.20.30.41']) {
      expect(record).toContain(shown);
    }
    const cases = /<table id="arenden"[\s\S]*?<\/table>/.exec(page.body)![0];
    expect(cases).toContain(`<td>${first.caseId}</td><td>${name(first.socialsekreterare)}</td><td>${name(first.bidragshandlaggare)}</td>`);
    expect(cases).toContain(`<td>${second.caseId}</td>`);
    expect(page.body).toContain('value="ok" required> Befogad');
    // Seeing the record is an access too: the reviewer, the record's cases, the control and the record's place.
    const { records, total } = await searchAccess(web.db, { unitId: unit.unit.id, limit: 1 });
    expect(total).toBe(before + 1);
    expect(records[0]).toMatchObject({
      staffId: 'bec-02', view: 'log-review', caseIds: [first.caseId, second.caseId].sort(), query: `kontroll=access-log-review; år=${plan.year}; post=nr ${review!.record_seq}`,
    });

    // A deviation needs its note; with it, the review is done and the unit head has a corrective action.
    const post = (payload: Record<string, string>) => web.app.inject({ method: 'POST', url: `/internkontroll/granskning/${review!.ref}`, cookies: { arshjul_session: cookie }, payload: { _csrf: csrf, ...payload } });
    const refused = await post({ svar0: 'deviation', anteckning0: ' ' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('en avvikelse kräver en anteckning');
    const answered = await post({ svar0: 'deviation', anteckning0: 'Sökningen gällde inget av hens ärenden.' });
    expect(answered.headers.location).toBe('/internkontroll');
    expect(await web.db.query('SELECT state, reviewed_by FROM ik_reviews WHERE id = $1', [review!.id])).toEqual([{ state: 'reviewed', reviewed_by: 'bec-02' }]);
    expect(await web.db.query('SELECT assignee, case_id, record_seq, state FROM ik_corrective WHERE review_id = $1', [review!.id])).toEqual([
      { assignee: 'ec-01', case_id: null, record_seq: review!.record_seq, state: 'open' },
    ]);
    expect((await get(`/internkontroll/granskning/${review!.ref}`)).body).toContain('Granskningen är gjord.');
  });

  it('lets the deputy head mark a record justified, with no corrective action, and keeps others\' reviews from them', async () => {
    const [review, , , own] = await reviews();
    const { cookie, csrf } = await web.session('bec-01');
    const answered = await web.app.inject({ method: 'POST', url: `/internkontroll/granskning/${review!.ref}`, cookies: { arshjul_session: cookie }, payload: { _csrf: csrf, svar0: 'ok' } });
    expect(answered.headers.location).toBe('/internkontroll');
    expect(await web.db.query('SELECT count(*)::int AS n FROM ik_corrective WHERE review_id = $1', [review!.id])).toEqual([{ n: 0 }]);
    // The log reviewer's review is theirs alone; and the log reviewer reaches it from the menu.
    const [mine] = await reviews().then((all) => all.filter((r) => r.reviewer === flagged));
    expect((await web.app.inject({ method: 'GET', url: `/internkontroll/granskning/${mine!.ref}`, cookies: { arshjul_session: cookie } })).statusCode).toBe(403);
    const reviewer = await web.session(flagged);
    const menu = await web.app.inject({ method: 'GET', url: '/internkontroll', cookies: { arshjul_session: reviewer.cookie } });
    expect(menu.body).toContain('href="/internkontroll"');
    expect(menu.body).toContain(`/internkontroll/granskning/${mine!.ref}`);
    expect(menu.body).not.toContain(own!.ref);
    const done = await web.app.inject({ method: 'POST', url: `/internkontroll/granskning/${mine!.ref}`, cookies: { arshjul_session: reviewer.cookie }, payload: { _csrf: reviewer.csrf, svar0: 'ok' } });
    expect(done.headers.location).toBe('/internkontroll');
  });

  it('puts the deviation in the unit head\'s inbox, who closes it with what was done', async () => {
    const { cookie, csrf } = await web.session('ec-01');
    const [corrective] = await web.db.query<{ id: string; record_seq: number }>('SELECT id, record_seq FROM ik_corrective');
    const inbox = await web.app.inject({ method: 'GET', url: '/inkorg', cookies: { arshjul_session: cookie } });
    expect(inbox.body).toContain(`Post nr ${corrective!.record_seq} i <a href="/logg">åtkomstloggen</a>`);
    expect(inbox.body).toContain('Sökningen gällde inget av hens ärenden.');
    const closed = await web.app.inject({ method: 'POST', url: '/rattelser/stang', cookies: { arshjul_session: cookie }, payload: { _csrf: csrf, id: corrective!.id, anteckning: 'Samtal med medarbetaren; rutinen gicks igenom.' } });
    expect(closed.headers.location).toMatch(/^\/inkorg\?klart=/);
    expect(await web.db.query('SELECT state, closed_by FROM ik_corrective')).toEqual([{ state: 'closed', closed_by: 'ec-01' }]);
  });
});
