// Signing in to the web app through Fastify's inject, as a browser does (no vitest in here, so the
// benchmarks use it too).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * Signs in as a browser does: the sign-in form first (its token and the cookie that goes with it),
 * then the form posted with them.
 */
export async function postSignIn(
  app: FastifyInstance,
  payload: Record<string, string>,
  options: { remoteAddress?: string; cookies?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  const form = await app.inject({ method: 'GET', url: '/logga-in', remoteAddress: options.remoteAddress, headers: options.headers });
  const token = /name="_login" value="([^"]+)"/.exec(form.body)![1]!;
  const cookie = form.cookies.find((c) => c.name === 'arshjul_login')!.value;
  return app.inject({ method: 'POST', url: '/logga-in', remoteAddress: options.remoteAddress, headers: options.headers, cookies: { ...options.cookies, arshjul_login: cookie }, payload: { ...payload, _login: token } });
}

/**
 * Signs in to a running web process over HTTP, as a browser does, and returns the session cookie's
 * value with the CSRF token its pages carry (for the JSON API's `x-csrf-token`).
 */
export async function signInOverHttp(base: string, unitId: string, staffId: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const form = await fetch(`${base}/logga-in`);
  const token = /name="_login" value="([^"]+)"/.exec(await form.text())![1]!;
  const login = /arshjul_login=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')![1]!;
  const answer = await fetch(`${base}/logga-in`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `arshjul_login=${login}` },
    body: new URLSearchParams({ enhet: unitId, anvandare: staffId, losenord: password, _login: token }).toString(),
  });
  const session = /arshjul_session=([^;]+)/.exec(answer.headers.get('set-cookie') ?? '');
  if (!session) throw new Error(`Inloggningen som ${staffId} gav ingen session (HTTP ${answer.status}).`);
  const page = await fetch(`${base}/kalender`, { headers: { cookie: `arshjul_session=${session[1]}` } });
  return { cookie: session[1]!, csrf: /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '' };
}
