// Findings 2 and 3 of the review, replayed: behind a proxy every person arrived with the proxy's
// address, so one attacker's wrong guesses locked out the unit head and then everyone; guesses sent
// together all passed the throttle, and the alert fired only at exactly 100. Against the real app
// and store (the embedded one over HTTP; the throttle's count on both engines).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { alertAfterFailures, checkPassword, kdf, setPassword } from '../../src/web/accounts.js';
import { engines, freshStore } from '../helpers/store.js';
import { password, postSignIn, unit, webFixture, type WebFixture } from '../helpers/web.js';

const proxy = '10.1.0.5';

describe('signing in behind a proxy and under concurrency (findings 2 and 3)', () => {
  let web: WebFixture;
  beforeAll(async () => {
    web = await webFixture('security-sign-in-proxy', ['ss-01', 'ss-02', 'ss-03', 'bh-01', 'ec-01'], { trustedProxies: ['10.1.0.0/16'] });
  }, 120_000);
  afterAll(async () => {
    await web?.close();
  });

  /** A post to the sign-in form as the proxy passes it on: its own address on the socket, the client's appended to X-Forwarded-For. */
  const viaProxy = (anvandare: string, losenord: string, client: string, forwarded?: string) =>
    postSignIn(web.app, { enhet: unit.unit.id, anvandare, losenord }, { remoteAddress: proxy, headers: { 'x-forwarded-for': forwarded ? `${forwarded}, ${client}` : client } });
  const direct = (anvandare: string, losenord: string, remoteAddress: string, headers?: Record<string, string>) =>
    postSignIn(web.app, { enhet: unit.unit.id, anvandare, losenord }, { remoteAddress, headers });
  const signedIn = (response: { headers: Record<string, unknown>; cookies: { name: string }[] }) =>
    response.headers.location === '/' && response.cookies.some((c) => c.name === 'arshjul_session');
  const failuresOf = (staffId: string) =>
    web.db.query<{ address: string; failures: number }>('SELECT address, failures FROM sign_in_failures WHERE staff_id = $1 ORDER BY address', [staffId]);

  it('locks nobody out when one attacker guesses at the unit head through the same proxy as everyone', async () => {
    const attacker = '203.0.113.66';
    // A minute of wrong guesses at ec-01, to the rate limit, each claiming to come from the head's own address.
    for (let i = 0; i < 20; i++) expect((await viaProxy('ec-01', `fel-${i}`, attacker, '198.51.100.10')).headers.location).toMatch(/fel=1/);
    expect((await viaProxy('ec-01', 'fel', attacker)).statusCode).toBe(429);
    // The throttle and the rate limit held the attacker's address, not the proxy's nor the one it made up.
    expect(await failuresOf('ec-01')).toEqual([{ address: attacker, failures: 20 }]);
    // The unit head, and everyone else, through the same proxy: in at once.
    expect(signedIn(await viaProxy('ec-01', password, '198.51.100.10'))).toBe(true);
    for (const [who, from] of [['ss-01', '198.51.100.11'], ['bh-01', '198.51.100.12'], ['ss-02', '198.51.100.13']] as const) {
      expect(signedIn(await viaProxy(who, password, from)), who).toBe(true);
    }
  });

  it('believes X-Forwarded-For only from a trusted proxy', async () => {
    // A client that talks to the app itself and writes someone else's address in the header is its own address.
    for (let i = 0; i < 5; i++) await direct('ss-03', 'fel', '203.0.113.77', { 'x-forwarded-for': '198.51.100.20' });
    expect(await failuresOf('ss-03')).toEqual([{ address: '203.0.113.77', failures: 5 }]);
    // The person whose address it wrote is not slowed.
    expect(signedIn(await viaProxy('ss-03', password, '198.51.100.20'))).toBe(true);
  });

  it('counts 20 wrong guesses sent together, all of them', async () => {
    const from = '198.51.100.30';
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => viaProxy('ss-02', `fel-${i}`, from)));
    expect(answers.map((a) => a.headers.location)).toEqual(Array(20).fill('/logga-in?fel=1'));
    expect(await failuresOf('ss-02')).toEqual([{ address: from, failures: 20 }]);
    // The person from elsewhere is not slowed by them.
    expect(signedIn(await viaProxy('ss-02', password, '198.51.100.31'))).toBe(true);
  });

  it('throttles the right password sent together with wrong ones, as if they came one after the other', async () => {
    const from = '198.51.100.40';
    // Wrong guesses and the right one at once, the right one last (a burst that the review got through).
    const answers = await Promise.all([...Array.from({ length: 15 }, (_, i) => viaProxy('bh-01', `fel-${i}`, from)), viaProxy('bh-01', password, from)]);
    expect(answers.map((a) => a.headers.location)).toEqual(Array(16).fill('/logga-in?fel=1'));
    expect(answers.some((a) => a.cookies.some((c) => c.name === 'arshjul_session'))).toBe(false);
    expect(await failuresOf('bh-01')).toEqual([{ address: from, failures: 16 }]);
  });

  it('refuses sign-in fields beyond their length before any password work, repeating none of them', async () => {
    const calls: number[] = [];
    const derive = kdf.derive;
    kdf.derive = (...args) => {
      calls.push(1);
      return derive(...args);
    };
    try {
      for (const [field, value] of [['losenord', `${'x'.repeat(300)}<i>hemligt`], ['anvandare', `ss-${'9'.repeat(80)}`], ['enhet', `e${'n'.repeat(80)}`]] as const) {
        const response = await postSignIn(web.app, { enhet: unit.unit.id, anvandare: 'ss-01', losenord: 'fel', [field]: value }, { remoteAddress: '198.51.100.50' });
        expect(response.statusCode, field).toBe(400);
        expect(response.body, field).toContain(field);
        expect(response.body, field).not.toContain(value.slice(0, 40));
      }
      expect(calls).toEqual([]);
    } finally {
      kdf.derive = derive;
    }
  });
});

describe.each(engines)('the throttle\'s count, store on %s', (engine) => {
  const small = syntheticUnit({ households: 5, seed: 7 });
  const unitId = small.unit.id;
  let db: Db;
  beforeEach(async () => {
    db = await freshStore(engine);
    await importCaseFile(db, small, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-03-01' });
    await setPassword(db, { unitId, staffId: 'ss-01', password });
  });
  afterEach(async () => {
    await db.close();
  });
  const attempt = (secret: string, address: string, now: Date) => checkPassword(db, { unitId, staffId: 'ss-01', password: secret, address, now });

  it('counts concurrent guesses before checking them: the right one sent last in a burst waits', async () => {
    const now = new Date('2027-03-10T08:00:00Z');
    const results = await Promise.all([...Array.from({ length: 20 }, (_, i) => attempt(`fel-${i}`, '10.7.0.1', now)), attempt(password, '10.7.0.1', now)]);
    expect(results.filter(Boolean)).toEqual([]);
    expect(await db.query('SELECT address, failures FROM sign_in_failures')).toEqual([{ address: '10.7.0.1', failures: 21 }]);
    // From another address the person gets in, and the failures start over.
    expect(await attempt(password, '10.7.0.2', now)).toMatchObject({ staffId: 'ss-01' });
    expect(await db.query('SELECT address FROM sign_in_failures')).toEqual([]);
  }, 60_000);

  it('raises the alert at a hundred failures or more sent together, once a day per account', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const alerts = () => warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('misslyckade inloggningar'));
    try {
      const day = new Date('2027-03-10T08:00:00Z');
      await Promise.all(Array.from({ length: alertAfterFailures + 10 }, (_, i) => attempt('fel', `10.8.${i % 50}.1`, day)));
      expect(alerts()).toHaveLength(1);
      expect(alerts()[0]).toMatch(new RegExp(`^Varning: \\d+ misslyckade inloggningar på kontot ss-01 i ${unitId} det senaste dygnet\\.$`));
      expect(Number(/Varning: (\d+)/.exec(alerts()[0]!)![1])).toBeGreaterThanOrEqual(alertAfterFailures);
      // More the same day: no new alert.
      await Promise.all(Array.from({ length: 10 }, () => attempt('fel', '10.8.60.1', new Date(day.getTime() + 3_600_000))));
      expect(alerts()).toHaveLength(1);
      // A day later, a hundred more: a new one.
      const next = new Date(day.getTime() + 25 * 3_600_000);
      await Promise.all(Array.from({ length: alertAfterFailures }, (_, i) => attempt('fel', `10.9.${i % 50}.1`, next)));
      expect(alerts()).toHaveLength(2);
    } finally {
      warn.mockRestore();
    }
  }, 120_000);

  it('purges failure rows past the throttle\'s day', async () => {
    await attempt('fel', '10.6.0.1', new Date('2027-03-01T08:00:00Z'));
    await attempt('fel', '10.6.0.2', new Date('2027-03-01T20:00:00Z'));
    await attempt('fel', '10.6.0.3', new Date('2027-03-02T10:00:00Z'));
    // The first is more than a day and an hour old by then; the second is not.
    expect((await db.query<{ address: string }>('SELECT address FROM sign_in_failures ORDER BY address')).map((r) => r.address)).toEqual(['10.6.0.2', '10.6.0.3']);
  });
});
