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
