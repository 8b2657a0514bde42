// Single sign-on by OpenID Connect against a real provider (oidc-provider, a certified
// implementation, started here on another site than the web app), in Chromium: authorization code
// with PKCE, state and nonce; the provider's user whose id is on the unit's staff gets in, one who
// is not (or who is disabled) gets a clear page, and a callback the browser did not start is refused.
import { generateKeyPairSync } from 'node:crypto';
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableAccount } from '../../src/web/accounts.js';
import { freePort } from '../helpers/ports.js';
import { unit, webFixture, type WebFixture } from '../helpers/web.js';

describe('single sign-on by OpenID Connect, in Chromium (issue 14, acceptance 5)', () => {
  let web: WebFixture;
  let server: Server;
  let browser: Browser;
  let base: string;
  const toProvider: URL[] = [];

  beforeAll(async () => {
    const webPort = await freePort();
    // Two sites: the provider on localhost, the web app on 127.0.0.1, so the way back is cross-site as in production.
    base = `http://127.0.0.1:${webPort}`;
    const issuer = `http://localhost:${await freePort()}`;
    const provider = new Provider(issuer, {
      clients: [{ client_id: 'arshjul', client_secret: 'provets-hemlighet', redirect_uris: [`${base}/logga-in/sso/svar`], response_types: ['code'], grant_types: ['authorization_code'] }],
      // The dev interactions sign anyone in by the name they type: that name is the subject.
      findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
      features: { devInteractions: { enabled: true } },
      pkce: { required: () => true, methods: ['S256'] },
      cookies: { keys: ['provets-kaknyckel'] },
      jwks: { keys: [generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })] },
      ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600 },
    });
    server = provider.listen(Number(new URL(issuer).port));
    web = await webFixture('security-sso', [], {
      baseUrl: base,
      oidc: { issuer: new URL(issuer), clientId: 'arshjul', clientSecret: 'provets-hemlighet', staffClaim: 'sub', scope: 'openid' },
    });
    await web.app.listen({ host: '127.0.0.1', port: webPort });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  }, 150_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    server?.close();
  });

  /** Through our sign-in page, the provider's sign-in and consent, and back. */
  async function signInAs(login: string): Promise<Page> {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('request', (request) => {
      if (request.url().startsWith('http://localhost') && new URL(request.url()).pathname === '/auth') toProvider.push(new URL(request.url()));
    });
    await page.goto(`${base}/logga-in?nasta=%2Fkalender`);
    await page.getByRole('button', { name: 'Logga in med kommunens konto' }).click();
    await page.locator('input[name=login]').fill(login);
    await page.locator('input[name=password]').fill('vad-som-helst');
    await page.locator('button[type=submit]').click();
    await page.locator('button[type=submit]').click(); // consent
    await page.waitForURL((url) => url.origin === base);
    return page;
  }

  it('signs a person on the unit\'s staff in, by code with PKCE, and takes them where they were going', async () => {
    const page = await signInAs('ss-01');
    await page.waitForURL(`${base}/kalender`);
    // Signed in as the staff member the claim names: the header says who, by name, and the unit.
    await expect(page.locator('header').textContent()).resolves.toContain(`${unit.staff.find((p) => p.id === 'ss-01')!.name}, ${unit.unit.name}`);
    const authorize = toProvider.at(-1)!;
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    for (const param of ['code_challenge', 'state', 'nonce']) expect(authorize.searchParams.get(param)?.length).toBeGreaterThan(20);
    // The session is a real one: a page that needs it opens.
    expect((await page.goto(`${base}/inkorg`))!.status()).toBe(200);
    await page.context().close();
  });

  it('refuses the provider\'s user who is not on the unit\'s staff, with a clear page', async () => {
    const page = await signInAs('okand-person');
    await expect(page.locator('h1').textContent()).resolves.toBe('Inget konto i Årshjul');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('hör inte till någon i personallistan');
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain('arshjul_session');
    expect((await page.goto(`${base}/inkorg`))!.url()).toContain('/logga-in');
    await page.context().close();
  });

  it('refuses a disabled person, and a callback this browser did not start', async () => {
    await disableAccount(web.db, { unitId: unit.unit.id, staffId: 'ss-02', disabled: true });
    const page = await signInAs('ss-02');
    await expect(page.locator('h1').textContent()).resolves.toBe('Inget konto i Årshjul');
    await page.context().close();

    const forged = await web.app.inject({ method: 'GET', url: '/logga-in/sso/svar?code=angriparens-kod&state=angriparens-state' });
    expect(forged.statusCode).toBe(400);
    expect(forged.cookies.map((c) => c.name)).not.toContain('arshjul_session');
  });

  it('starts only from the sign-in form (login CSRF)', async () => {
    const response = await web.app.inject({ method: 'POST', url: '/logga-in/sso', payload: { enhet: unit.unit.id } });
    expect(response.statusCode).toBe(403);
    expect(response.headers.location).toBeUndefined();
  });
});
