// Security finding 9 of the review, replayed: headers on pages with case data, a 404 that repeats
// nothing, messages chosen by code (never text from the address), secrets and refusals kept out of
// addresses.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTask } from '../../src/store/tasks.js';
import { unit, webFixture, type WebFixture } from '../helpers/web.js';

describe('pages with case data', () => {
  let web: WebFixture;
  let caseworker: string;
  let taskId: string;
  let ref: string;
  let as: { cookies: { arshjul_session: string }; headers: { 'x-csrf-token': string } };
  beforeAll(async () => {
    web = await webFixture('security-pages', (tasks) => {
      const own = tasks.find((t) => t.caseId !== null && t.assigneeRole === 'socialsekreterare')!;
      [caseworker, taskId] = [own.assignee!, own.taskId];
      return [caseworker];
    });
    const { cookie, csrf } = await web.session(caseworker);
    as = { cookies: { arshjul_session: cookie }, headers: { 'x-csrf-token': csrf } };
    ref = (await findTask(web.db, taskId))!.ref;
  }, 120_000);
  afterAll(async () => {
    await web?.close();
  });

  it('are sent with a policy against script and framing, nosniff, no referrer and no caching', async () => {
    const response = await web.app.inject({ method: 'GET', url: `/uppgifter/${ref}`, cookies: as.cookies });
    expect(response.statusCode).toBe(200);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('answer an unknown address with a Swedish 404 that repeats nothing of it', async () => {
    const caseId = unit.cases[0]!.caseId;
    for (const url of [`/uppgift/${caseId}`, `/api/okand/${caseId}`]) {
      const response = await web.app.inject({ method: 'GET', url, cookies: as.cookies });
      expect(response.statusCode, url).toBe(404);
      expect(response.body, url).toContain('Sidan finns inte');
      expect(response.body, url).not.toContain(caseId);
    }
  });

  it('carry opaque references, never task or case ids, in their addresses; a task id is not an address', async () => {
    const inbox = await web.app.inject({ method: 'GET', url: '/inkorg', cookies: as.cookies });
    const links = [...inbox.body.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    expect(links.filter((l) => l.startsWith('/uppgifter/')).length).toBeGreaterThan(0);
    const caseIds = unit.cases.map((c) => c.caseId);
    expect(links.filter((l) => caseIds.some((id) => l.includes(id)) || l.includes(encodeURIComponent(taskId)))).toEqual([]);
    expect((await web.app.inject({ method: 'GET', url: `/uppgifter/${encodeURIComponent(taskId)}`, cookies: as.cookies })).statusCode).toBe(403);
  });

  it('show only their own words in the message boxes, whatever a link says', async () => {
    const planted = await web.app.inject({ method: 'GET', url: `/inkorg?klart=${encodeURIComponent('Ring 08-123 45 67 och uppge ditt personnummer')}&fel=Kontot%20%C3%A4r%20sp%C3%A4rrat`, cookies: as.cookies });
    expect(planted.statusCode).toBe(200);
    expect(planted.body).not.toContain('Ring 08-123');
    expect(planted.body).not.toContain('Kontot är spärrat');
    const coded = await web.app.inject({ method: 'GET', url: '/inkorg?klart=markerade&antal=3', cookies: as.cookies });
    expect(coded.body).toContain('3 uppgifter markerade som klara.');
  });

  it('show a refusal on the page itself, not in an address', async () => {
    const refused = await web.app.inject({ method: 'POST', url: `/uppgifter/${ref}/ej-aktuell`, ...as, payload: { skal: ' ' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers.location).toBeUndefined();
    expect(refused.body).toContain('ange varför uppgiften inte är aktuell');
  });

  it('show a new calendar secret once, in the answer to the POST, never in an address', async () => {
    const created = await web.app.inject({ method: 'POST', url: '/kalender/ny', ...as, payload: {} });
    expect(created.statusCode).toBe(200);
    expect(created.headers.location).toBeUndefined();
    expect(created.body).toMatch(/\/kalender\/[\w-]{32}\.ics/);
    const later = await web.app.inject({ method: 'GET', url: '/kalender', cookies: as.cookies });
    expect(later.body).not.toMatch(/\/kalender\/[\w-]{32}\.ics/);
  });

  it('complete several tasks at once by their references, after a confirmation page', async () => {
    // Last: it completes the task the other tests use.
    const mine = web.tasks.filter((t) => t.assignee === caseworker && t.ruleId === web.tasks.find((x) => x.taskId === taskId)!.ruleId);
    const refs = await Promise.all(mine.map(async (t) => (await findTask(web.db, t.taskId))!.ref));
    const outcome = /<option value="([^"]+)"/.exec((await web.app.inject({ method: 'GET', url: '/inkorg', cookies: as.cookies })).body)![1]!;
    const payload = new URLSearchParams([...refs.map((r): [string, string] => ['uppgift', r]), ['utfall', outcome], ['_csrf', as.headers['x-csrf-token']]]).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const confirm = await web.app.inject({ method: 'POST', url: '/inkorg/bekrafta', cookies: as.cookies, headers, payload });
    expect(confirm.body).toContain(refs.length === 1 ? 'Ja, markera den som klar' : `Ja, markera ${refs.length} som klara`);
    // The confirmation page's own form, with its token, as the browser posts it.
    const token = /name="bekraftelse" value="([^"]+)"/.exec(confirm.body)![1]!;
    const done = await web.app.inject({ method: 'POST', url: '/inkorg/klarmarkera', cookies: as.cookies, headers, payload: `${payload}&bekraftelse=${encodeURIComponent(token)}` });
    expect(done.headers.location).toBe(`/inkorg?klart=markerade&antal=${refs.length}`);
    for (const t of mine) expect((await findTask(web.db, t.taskId))!.state).toBe('completed');
  });
});

describe('the calendar feed (finding 5)', () => {
  let web: WebFixture;
  let caseworker: string;
  beforeAll(async () => {
    web = await webFixture('security-calendar', (tasks) => [(caseworker = tasks.find((t) => t.caseId !== null && t.assigneeRole === 'socialsekreterare')!.assignee!)]);
  }, 120_000);
  afterAll(async () => {
    await web?.close();
  });

  it('gives events ids that cannot be traced back to tasks by hashing guessed task ids', async () => {
    const { cookie, csrf } = await web.session(caseworker);
    const created = await web.app.inject({ method: 'POST', url: '/kalender/ny', cookies: { arshjul_session: cookie }, headers: { 'x-csrf-token': csrf }, payload: {} });
    const url = /\/kalender\/[\w-]+\.ics/.exec(created.body)![0];
    const feed = (await web.app.inject({ method: 'GET', url })).body;
    const uids = [...feed.matchAll(/^UID:(.+)$/gm)].map((m) => m[1]!.trim());
    const mine = web.tasks.filter((t) => t.assignee === caseworker);
    expect(uids).toHaveLength(mine.length);
    const guessable = new Set(mine.map((t) => createHash('sha256').update(t.taskId).digest('hex').slice(0, 32)));
    expect(uids.filter((uid) => guessable.has(uid))).toEqual([]);
    // The same ids on the next fetch, so Outlook updates events rather than doubling them.
    expect([...(await web.app.inject({ method: 'GET', url })).body.matchAll(/^UID:(.+)$/gm)].map((m) => m[1]!.trim())).toEqual(uids);
  });
});
