import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config.js';
import { ensureTemporalCli, ToolError } from '../../src/platform/tools.js';

describe('configuration from the environment', () => {
  it('has embedded defaults', () => {
    const config = loadConfig({});
    expect(config.temporalAddress).toBeUndefined();
    expect(config.namespace).toBe('default');
    expect(config.devServerPort).toBe(7233);
    expect(config.devServerUiPort).toBe(8233);
    expect(config.dataDir).toMatch(/\.data$/);
    expect(config.smtp).toBeUndefined();
    expect(config.logLevel).toBe('WARN');
    expect(config.oidc).toBeUndefined();
  });

  it('reads TLS to Temporal: a client certificate, the server\'s CA and name, each turning TLS on', () => {
    expect(loadConfig({}).tls).toBeUndefined();
    expect(loadConfig({ TEMPORAL_TLS_CERT: '/c.pem', TEMPORAL_TLS_KEY: '/c.key', TEMPORAL_TLS_CA: '/ca.pem', TEMPORAL_TLS_SERVER_NAME: 'localhost' }).tls).toEqual({
      clientCert: { certPath: '/c.pem', keyPath: '/c.key' }, caPath: '/ca.pem', serverName: 'localhost',
    });
    expect(loadConfig({ TEMPORAL_TLS_CA: '/ca.pem' }).tls).toEqual({ clientCert: undefined, caPath: '/ca.pem', serverName: undefined });
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ ARSHJUL_TEMPORAL_PORT: 'sjutusen' })).toThrow(ConfigError);
    expect(() => loadConfig({ ARSHJUL_TEMPORAL_PORT: 'sjutusen' })).toThrow(/ARSHJUL_TEMPORAL_PORT=sjutusen/);
    expect(() => loadConfig({ TEMPORAL_TLS_CERT: '/c.pem' })).toThrow(/TEMPORAL_TLS_KEY/);
    expect(() => loadConfig({ ARSHJUL_SMTP_HOST: 'mail', ARSHJUL_SMTP_SECURITY: 'ssl' })).toThrow(/ARSHJUL_SMTP_SECURITY=ssl/);
    expect(() => loadConfig({ ARSHJUL_LOG_LEVEL: 'loud' })).toThrow(/ARSHJUL_LOG_LEVEL/);
    expect(() => loadConfig({ ARSHJUL_TRUSTED_PROXIES: '10.0.0.0/8,proxy.kommun.se' })).toThrow(/ARSHJUL_TRUSTED_PROXIES: proxy.kommun.se/);
    expect(() => loadConfig({ ARSHJUL_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/ARSHJUL_TRUSTED_PROXIES/);
    expect(loadConfig({ ARSHJUL_TRUSTED_PROXIES: ' 10.0.0.0/8, 192.168.1.5,fd00::/8 ' }).trustedProxies).toEqual(['10.0.0.0/8', '192.168.1.5', 'fd00::/8']);
    expect(loadConfig({}).trustedProxies).toEqual([]);
  });

  it('takes single sign-on only whole and over https (plain http only on this machine)', () => {
    const sso = { ARSHJUL_OIDC_ISSUER: 'https://idp.kommun.se/', ARSHJUL_OIDC_CLIENT_ID: 'arshjul', ARSHJUL_OIDC_CLIENT_SECRET: 's' };
    expect(loadConfig(sso).oidc).toMatchObject({ clientId: 'arshjul', staffClaim: 'sub', scope: 'openid profile' });
    expect(loadConfig({ ...sso, ARSHJUL_OIDC_STAFF_CLAIM: 'employeeid' }).oidc?.staffClaim).toBe('employeeid');
    expect(() => loadConfig({ ...sso, ARSHJUL_OIDC_CLIENT_SECRET: '' })).toThrow(/ARSHJUL_OIDC_CLIENT_SECRET saknas/);
    expect(() => loadConfig({ ...sso, ARSHJUL_OIDC_ISSUER: 'http://idp.kommun.se/' })).toThrow(/https/);
    expect(() => loadConfig({ ...sso, ARSHJUL_OIDC_ISSUER: 'idp' })).toThrow(/ARSHJUL_OIDC_ISSUER är ingen adress/);
    expect(loadConfig({ ...sso, ARSHJUL_OIDC_ISSUER: 'http://127.0.0.1:4000' }).oidc?.issuer.port).toBe('4000');
  });

  it('derives the SMTP port from the security mode', () => {
    expect(loadConfig({ ARSHJUL_SMTP_HOST: 'mail', ARSHJUL_SMTP_SECURITY: 'tls' }).smtp?.port).toBe(465);
    expect(loadConfig({ ARSHJUL_SMTP_HOST: 'mail' }).smtp).toMatchObject({ port: 587, security: 'starttls' });
  });

  it('keeps the access log five years unless told whole years otherwise', () => {
    expect(loadConfig({}).accessLogRetentionYears).toBe(5);
    expect(loadConfig({ ARSHJUL_ACCESS_LOG_RETENTION_YEARS: '10' }).accessLogRetentionYears).toBe(10);
    for (const wrong of ['0', '2.5', 'fem', '101']) {
      expect(() => loadConfig({ ARSHJUL_ACCESS_LOG_RETENTION_YEARS: wrong }), wrong).toThrow(/ARSHJUL_ACCESS_LOG_RETENTION_YEARS=.* är inget antal år/);
    }
  });

  it('sizes the worker\'s activities by the store\'s pool, and refuses more activities than connections', () => {
    expect(loadConfig({})).toMatchObject({ dbPool: 10, workerActivities: 10 });
    expect(loadConfig({ ARSHJUL_DB_POOL: '20' })).toMatchObject({ dbPool: 20, workerActivities: 20 });
    expect(loadConfig({ ARSHJUL_DB_POOL: '20', ARSHJUL_WORKER_ACTIVITIES: '8' })).toMatchObject({ dbPool: 20, workerActivities: 8 });
    expect(() => loadConfig({ ARSHJUL_WORKER_ACTIVITIES: '50' })).toThrow(/ARSHJUL_WORKER_ACTIVITIES=50 är fler än ARSHJUL_DB_POOL=10/);
    for (const wrong of ['0', '2.5', 'tio', '201']) expect(() => loadConfig({ ARSHJUL_DB_POOL: wrong }), wrong).toThrow(/ARSHJUL_DB_POOL=.* är inget antal/);
  });
});

describe('the Temporal CLI setup step', () => {
  it('says exactly what to install when there is neither a pinned temporal nor Go', async () => {
    const emptyBin = await mkdtemp(path.join(os.tmpdir(), 'arshjul-bin-'));
    const attempt = ensureTemporalCli({ binDir: emptyBin, env: { PATH: emptyBin }, log: () => {} });
    await expect(attempt).rejects.toThrow(ToolError);
    await expect(attempt).rejects.toThrow(/Installera Go .*apt-get install golang-go/);
  });

  it('reuses the built binary: a second setup needs no Go at all', async () => {
    const first = await ensureTemporalCli({ log: () => {} });
    expect(await ensureTemporalCli({ env: { PATH: '/nonexistent' }, log: () => {} })).toBe(first);
  });
});
