// Security finding 1 of the review, replayed: wrong passwords cannot lock a person out, and an
// answer tells nothing about whether the account exists or is throttled (the same work, the same
// answer). The response times themselves are measured by `npm run bench`, not here.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { alertAfterFailures, checkPassword, kdf } from '../../src/web/accounts.js';
import { password, postSignIn, unit, webFixture, type WebFixture } from '../helpers/web.js';

describe('signing in under attack (finding 1)', () => {
  let web: WebFixture;
  beforeAll(async () => {
    web = await webFixture('security-sign-in', ['ss-01', 'ss-02', 'ss-03']);
  }, 120_000);
  afterAll(async () => {
    await web?.close();
  });
  const attempt = (anvandare: string, losenord: string, remoteAddress: string) => postSignIn(web.app, { enhet: unit.unit.id, anvandare, losenord }, { remoteAddress });

  it('lets the person in from another address at once after a minute of wrong passwords at the rate limit', async () => {
    for (let i = 0; i < 20; i++) expect((await attempt('ss-01', `fel-${i}`, '127.0.0.1')).headers.location).toMatch(/fel=1/);
    expect((await attempt('ss-01', 'fel', '127.0.0.1')).statusCode).toBe(429);
    const right = await attempt('ss-01', password, '127.0.0.2');
    expect(right.headers.location).toBe('/');
    expect(right.cookies.find((c) => c.name === 'arshjul_session')).toBeDefined();
  });

  it('does the same work and gives the same answer for an unknown account, a wrong password and a waiting address', async () => {
    for (let i = 0; i < 6; i++) await attempt('ss-02', 'fel', '10.9.0.1');
    const calls: number[] = [];
    const derive = kdf.derive;
    kdf.derive = (...args) => {
      calls.push(args[3].N ?? 0);
      return derive(...args);
    };
    try {
      const answers = [];
      for (const [who, secret, from] of [['okand-77', password, '10.9.0.2'], ['ss-03', 'fel', '10.9.0.3'], ['ss-02', password, '10.9.0.1']] as const) {
        const before = calls.length;
        const response = await attempt(who, secret, from);
        answers.push({ status: response.statusCode, location: response.headers.location, cookies: response.cookies.map((c) => c.name).sort(), work: calls.slice(before) });
      }
      expect(answers).toEqual(Array(3).fill({ status: 302, location: '/logga-in?fel=1', cookies: [], work: [2 ** 15] }));
    } finally {
      kdf.derive = derive;
    }
  });

  it('raises an alert at a hundred failures on one account, and still locks nobody out', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const now = new Date();
      for (let i = 0; i < alertAfterFailures; i++) {
        await checkPassword(web.db, { unitId: unit.unit.id, staffId: 'ss-03', password: 'fel', address: `10.8.${Math.floor(i / 20)}.1`, now });
      }
      expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('misslyckade inloggningar'))).toEqual([
        `Varning: ${alertAfterFailures} misslyckade inloggningar på kontot ss-03 i ${unit.unit.id} det senaste dygnet.`,
      ]);
      expect(await checkPassword(web.db, { unitId: unit.unit.id, staffId: 'ss-03', password, address: '10.8.99.1', now })).toMatchObject({ staffId: 'ss-03' });
    } finally {
      warn.mockRestore();
    }
  }, 120_000);
});
