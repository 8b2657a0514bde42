// Finding 6 of the review, replayed: a 500 carried the raw PostgreSQL or Node error and echoed the
// input (`/uppgifter/------…`), and a non-Latin-1 `nasta` gave a 500 after the session was made.
// An error page now says our words and an error id; the log has the id with the real error, and
// neither the page nor the log repeats the input or case data.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findTask } from '../../src/store/tasks.js';
import { loggable } from '../../src/web/app.js';
import { webFixture, type WebFixture } from '../helpers/web.js';

describe('error pages', () => {
  let web: WebFixture;
  let caseworker: string;
  let ref: string;
  let caseId: string;
  let as: { cookies: { arshjul_session: string }; headers: { 'x-csrf-token': string } };
  beforeAll(async () => {
    let taskId = '';
    web = await webFixture('security-errors', (tasks) => {
      const own = tasks.find((t) => t.caseId !== null && t.assigneeRole === 'socialsekreterare')!;
      [caseworker, taskId, caseId] = [own.assignee!, own.taskId, own.caseId!];
      return [caseworker];
    });
    const { cookie, csrf } = await web.session(caseworker);
    as = { cookies: { arshjul_session: cookie }, headers: { 'x-csrf-token': csrf } };
    ref = (await findTask(web.db, taskId))!.ref;
  }, 120_000);
  afterAll(async () => {
    await web?.close();
  });

  /** What the process logged while `work` ran. */
  async function logged<T>(work: () => Promise<T>): Promise<{ value: T; log: string }> {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const value = await work();
      return { value, log: error.mock.calls.map((c) => c.map(String).join(' ')).join('\n') };
    } finally {
      error.mockRestore();
    }
  }

  it('answers a failure inside with our words and an error id, and logs the real error by the id, without the address or case data', async () => {
    // The store fails under the request: the table the task page reads is gone for a moment.
    await web.db.query('ALTER TABLE tasks RENAME TO tasks_away');
    let response;
    let log;
    try {
      ({ value: response, log } = await logged(() => web.app.inject({ method: 'GET', url: `/uppgifter/${ref}?sok=${caseId}`, cookies: as.cookies })));
    } finally {
      await web.db.query('ALTER TABLE tasks_away RENAME TO tasks');
    }
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const id = /Felkod (F-[0-9a-f]{8})/.exec(response.body)?.[1];
    expect(id).toBeDefined();
    expect(response.body).toContain('Något gick fel i Årshjul.');
    for (const internal of ['relation', 'does not exist', '"tasks"', 'Error:', 'node:', 'at async', 'src/']) expect(response.body, internal).not.toContain(internal);
    for (const input of [ref, caseId]) {
      expect(response.body).not.toContain(input);
      expect(log).not.toContain(input);
    }
    // The log: the id, the route's pattern, and what went wrong.
    expect(log).toContain(`Fel ${id} (500) vid GET /uppgifter/:id:`);
    expect(log).toMatch(/does not exist/);
    // The API answers the same way, in JSON.
    await web.db.query('ALTER TABLE tasks RENAME TO tasks_away');
    try {
      const api = (await logged(() => web.app.inject({ method: 'GET', url: `/api/tasks/${ref}`, cookies: as.cookies }))).value;
      expect(api.statusCode).toBe(500);
      expect(Object.keys(api.json<object>())).toEqual(['error']);
      expect(api.json<{ error: string }>().error).toMatch(/^Något gick fel i Årshjul\. Försök igen om en stund\. Felkod F-[0-9a-f]{8}: /);
    } finally {
      await web.db.query('ALTER TABLE tasks_away RENAME TO tasks');
    }
  });

  it('repeats nothing of a request it cannot use', async () => {
    const planted = '19121212-1212';
    const requests = [
      // A reference that looks almost like one (the review's /uppgifter/------…): no cast, no 500.
      { method: 'GET' as const, url: `/uppgifter/${'-'.repeat(36)}`, status: 403, echo: '-'.repeat(20) },
      // An address that cannot be decoded.
      { method: 'GET' as const, url: `/uppgifter/${planted}%E0%A4%A`, status: 400, echo: planted },
      // JSON that is not JSON, and a body of a kind the app does not read.
      { method: 'POST' as const, url: `/api/tasks/${ref}/complete`, headers: { 'content-type': 'application/json' }, payload: `{"outcome": "${planted} <b>`, status: 400, echo: planted },
      { method: 'POST' as const, url: `/api/tasks/${ref}/complete`, headers: { 'content-type': `application/x-${planted}` }, payload: 'x', status: 415, echo: planted },
      // A form larger than any the app takes.
      { method: 'POST' as const, url: '/kalender/ny', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `a=${planted}${'x'.repeat(2_000_000)}`, status: 413, echo: planted },
      // A field the schema names, with a value it refuses (a list where one is asked for).
      { method: 'POST' as const, url: `/uppgifter/${ref}/ej-aktuell`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `skal=${planted}&skal=<b>`, status: 400, echo: planted },
    ];
    for (const { status, echo, ...request } of requests) {
      const { value: response, log } = await logged(() => web.app.inject({ ...request, cookies: as.cookies, headers: { ...as.headers, ...request.headers } }));
      expect(response.statusCode, request.url.slice(0, 60)).toBe(status);
      expect(response.body, request.url.slice(0, 60)).not.toContain(echo);
      expect(response.body).not.toMatch(/Unexpected|JSON|Unsupported|FST_|is not a valid/);
      expect(log).not.toContain(echo);
      if (status !== 403 && status !== 400) expect(response.body).toMatch(/Felkod F-[0-9a-f]{8}/);
    }
  });

  it('goes to the start page after sign-in when the next page is not plain ASCII, and never fails after making the session', async () => {
    for (const nasta of ['/uppgifter/ö', '/инбокс', '/\u{1F600}']) {
      const response = await web.signIn(caseworker, { nasta });
      expect([response.statusCode, response.headers.location], nasta).toEqual([302, '/']);
      // A wrong password keeps nothing of it either.
      expect((await web.signIn(caseworker, { nasta, password: 'fel-lösenord' })).headers.location, nasta).toBe('/logga-in?fel=1');
    }
  });

  it('keeps quoted values, long numbers and case ids out of what it logs of an error', () => {
    const error = new Error(`invalid input syntax for type date: "${'2027-13-45'}" in 19121212-1212 for demo-eb:fia-assessment:2027-07:D-00042 ('Anna')`);
    const line = loggable(error);
    expect(line).toMatch(/^Error: invalid input syntax for type date: "…" in … for … \("…"\)/);
    for (const secret of ['2027-13-45', '19121212', 'D-00042', 'Anna']) expect(line).not.toContain(secret);
    expect(line).toMatch(/\n\s+at /);
  });
});
