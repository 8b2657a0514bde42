// Security findings 7 and 8 of the review, replayed: another site cannot sign a person in (login
// CSRF); a session does not outlive a new password, a new sign-in in the same browser, or half an
// hour unused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableAccount, setPassword } from '../../src/web/accounts.js';
import { password, unit, webFixture, type WebFixture } from '../helpers/web.js';

describe('signing in and sessions', () => {
  let web: WebFixture;
  let clock = new Date('2027-03-10T08:00:00Z');
  const people = ['ss-01', 'ss-02'];
  beforeAll(async () => {
    web = await webFixture('security-sessions', people, { now: () => clock });
  }, 120_000);
  afterAll(async () => {
    await web?.close();
  });
  const signedIn = async (cookie: string) => (await web.app.inject({ method: 'GET', url: '/api/tasks', cookies: { arshjul_session: cookie } })).statusCode === 200;

  it('refuses a sign-in posted without the sign-in form\'s own token (another site\'s form), and opens no session (finding 7)', async () => {
    const forged = await web.app.inject({ method: 'POST', url: '/logga-in', payload: { enhet: unit.unit.id, anvandare: 'ss-01', losenord: password } });
    expect(forged.statusCode).toBe(403);
    expect(forged.cookies.find((c) => c.name === 'arshjul_session')).toBeUndefined();
    // A token from one form, with another browser's cookie, does not do either.
    const form = await web.app.inject({ method: 'GET', url: '/logga-in' });
    const token = /name="_login" value="([^"]+)"/.exec(form.body)![1]!;
    const mismatched = await web.app.inject({ method: 'POST', url: '/logga-in', cookies: { arshjul_login: 'en-annan-webblasares' }, payload: { enhet: unit.unit.id, anvandare: 'ss-01', losenord: password, _login: token } });
    expect(mismatched.statusCode).toBe(403);
    expect((await web.signIn('ss-01')).headers.location).toBe('/');
  });

  it('ends every session of a person whose password changes (finding 8)', async () => {
    const { cookie } = await web.session('ss-01');
    expect(await signedIn(cookie)).toBe(true);
    await setPassword(web.db, { unitId: unit.unit.id, staffId: 'ss-01', password });
    expect(await signedIn(cookie)).toBe(false);
  });

  it('ends every session and the calendar feed of a person an admin disables, and lets them in again when enabled', async () => {
    const { cookie, csrf } = await web.session('ss-02');
    const made = await web.app.inject({ method: 'POST', url: '/kalender/ny', cookies: { arshjul_session: cookie }, payload: { _csrf: csrf } });
    const feed = new URL(/id="kalenderadress">([^<]+)</.exec(made.body)![1]!).pathname;
    expect((await web.app.inject({ method: 'GET', url: feed })).statusCode).toBe(200);
    await disableAccount(web.db, { unitId: unit.unit.id, staffId: 'ss-02', disabled: true });
    expect(await signedIn(cookie)).toBe(false);
    expect((await web.app.inject({ method: 'GET', url: feed })).statusCode).toBe(404);
    expect((await web.signIn('ss-02')).headers.location).toMatch(/fel=1/);
    await disableAccount(web.db, { unitId: unit.unit.id, staffId: 'ss-02', disabled: false });
    expect((await web.signIn('ss-02')).headers.location).toBe('/');
  });

  it('ends the browser\'s earlier session when someone signs in in it (finding 8)', async () => {
    const { cookie } = await web.session('ss-01');
    const again = await web.signIn('ss-02');
    expect(again.cookies.find((c) => c.name === 'arshjul_session')!.value).not.toBe(cookie);
    // The post above carried no cookie; a browser's does, and its old session ends.
    const form = await web.app.inject({ method: 'GET', url: '/logga-in' });
    const token = /name="_login" value="([^"]+)"/.exec(form.body)![1]!;
    await web.app.inject({
      method: 'POST', url: '/logga-in', cookies: { arshjul_session: cookie, arshjul_login: form.cookies.find((c) => c.name === 'arshjul_login')!.value },
      payload: { enhet: unit.unit.id, anvandare: 'ss-02', losenord: password, _login: token },
    });
    expect(await signedIn(cookie)).toBe(false);
  });

  it('ends a session unused for half an hour, and keeps a used one (finding 8)', async () => {
    const { cookie } = await web.session('ss-01');
    clock = new Date(clock.getTime() + 25 * 60_000);
    expect(await signedIn(cookie)).toBe(true);
    clock = new Date(clock.getTime() + 25 * 60_000);
    expect(await signedIn(cookie)).toBe(true);
    clock = new Date(clock.getTime() + 31 * 60_000);
    expect(await signedIn(cookie)).toBe(false);
  });
});
