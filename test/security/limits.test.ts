// Finding 4 and the timeouts of finding 6, replayed over real HTTP against the real app and store:
// one POST of 20,000 task references stalled the installation (/readyz took 5.9 s), and slow
// connections stayed open for minutes.
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rulesDir } from '../../src/platform/paths.js';
import type { Queryable } from '../../src/store/db.js';
import { ruleVersion } from '../../src/store/rulePacks.js';
import { findTask } from '../../src/store/tasks.js';
import { webTimeouts } from '../../src/web/app.js';
import { maxBatch } from '../../src/web/inbox.js';
import { webApp } from '../../src/web/index.js';
import { webFixture, type WebFixture } from '../helpers/web.js';

describe('limits on what one request may cost (finding 4)', () => {
  let web: WebFixture;
  let base: string;
  let caseworker: string;
  let as: { cookie: string; csrf: string };
  beforeAll(async () => {
    web = await webFixture('security-limits', (tasks) => {
      // A caseworker with several tasks of one control, for a batch.
      const counts = new Map<string, number>();
      for (const t of tasks) if (t.caseId !== null && t.assigneeRole === 'socialsekreterare') counts.set(`${t.assignee}|${t.ruleId}`, (counts.get(`${t.assignee}|${t.ruleId}`) ?? 0) + 1);
      caseworker = [...counts].sort((a, b) => b[1] - a[1])[0]![0].split('|')[0]!;
      return [caseworker];
    });
    as = await web.session(caseworker);
    await web.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(web.app.server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await web?.close();
  });

  const form = (fields: [string, string][]) => ({
    method: 'POST',
    headers: { cookie: `arshjul_session=${as.cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([...fields, ['_csrf', as.csrf]]).toString(),
    redirect: 'manual' as const,
  });
  const timed = async <T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> => {
    const start = performance.now();
    const value = await work();
    return { ms: performance.now() - start, value };
  };

  it('refuses a batch over the limit at once, and /readyz answers under 100 ms meanwhile', async () => {
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const refs = Array.from({ length: 20_000 }, () => randomUUID());
    for (const url of ['/inkorg/bekrafta', '/inkorg/klarmarkera']) {
      let done = false;
      const bulk = timed(async () => {
        const response = await fetch(`${base}${url}`, form([...refs.map((r): [string, string] => ['uppgift', r]), ['utfall', 'ok']]));
        done = true;
        return { status: response.status, body: await response.text() };
      });
      const probes: number[] = [];
      while (!done || probes.length < 5) {
        const probe = await timed(() => fetch(`${base}/readyz`).then((r) => r.status));
        expect(probe.value).toBe(200);
        probes.push(probe.ms);
      }
      const answer = await bulk;
      // Refused by its length before it is read (413), or by the count of references (400): in words that say the limit.
      expect([400, 413], url).toContain(answer.value.status);
      expect(answer.value.body).toContain(`högst ${maxBatch} uppgifter åt gången`);
      expect(answer.ms, url).toBeLessThan(2000);
      expect(Math.max(...probes), url).toBeLessThan(100);
    }
  });

  it('refuses one reference over the limit by the count, in words that say it', async () => {
    const refs = Array.from({ length: maxBatch + 1 }, () => randomUUID());
    const response = await fetch(`${base}/inkorg/bekrafta`, form([...refs.map((r): [string, string] => ['uppgift', r]), ['utfall', 'ok']]));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(`högst ${maxBatch} åt gången`);
  });

  it('says the limit on the inbox page, and reads a batch\'s tasks in one query', async () => {
    const inbox = await (await fetch(`${base}/inkorg`, { headers: { cookie: `arshjul_session=${as.cookie}` } })).text();
    expect(inbox).toContain(`(högst ${maxBatch} åt gången)`);
    const mine = await Promise.all(web.tasks.filter((t) => t.assignee === caseworker).map(async (t) => (await findTask(web.db, t.taskId))!));
    const rule = mine.find((t) => mine.filter((o) => o.rule_id === t.rule_id).length >= 2)!.rule_id;
    const refs = mine.filter((t) => t.rule_id === rule).map((t) => t.ref);
    // Every statement the batch sends to the store, counted on the way (the store answers them as ever).
    const db: Queryable = web.db;
    const query = db.query.bind(db);
    const statements: string[] = [];
    db.query = (sql, params) => {
      statements.push(sql);
      return query(sql, params);
    };
    try {
      const { completion } = await ruleVersion(web.db, mine.find((t) => t.rule_id === rule)!.rule_version);
      statements.length = 0;
      const response = await fetch(`${base}/inkorg/bekrafta`, form([...refs.map((r): [string, string] => ['uppgift', r]), ['utfall', completion.outcomes[0]!.id]]));
      expect(response.status).toBe(200);
      expect(statements.filter((sql) => /FROM tasks\b/.test(sql))).toHaveLength(1);
    } finally {
      db.query = query;
    }
  });
});

describe('timeouts on slow clients (finding 6)', () => {
  let web: WebFixture;
  let slow: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    web = await webFixture('security-timeouts', []);
    // The same app with shorter limits, so the test need not wait the installation's.
    ({ app: slow } = await webApp({ db: web.db, client: web.env.client, taskQueue: 'security-timeouts', rulesDir, baseUrl: 'http://localhost', timeouts: { headersMs: 1000, requestMs: 2000, idleMs: 4000 } }));
    await slow.listen({ host: '127.0.0.1', port: 0 });
    port = (slow.server.address() as AddressInfo).port;
  }, 120_000);
  afterAll(async () => {
    await slow?.close();
    await web?.close();
  });

  it('sets request, header and idle timeouts on the installation\'s server', () => {
    expect(web.app.server.headersTimeout).toBe(webTimeouts.headersMs);
    expect(web.app.server.requestTimeout).toBe(webTimeouts.requestMs);
    expect(web.app.server.timeout).toBe(webTimeouts.idleMs);
    expect(webTimeouts.headersMs).toBeLessThanOrEqual(15_000);
    expect(webTimeouts.requestMs).toBeLessThanOrEqual(60_000);
  });

  /** A client that sends a little every 200 ms and never finishes: how long until the server drops it, and what it said. */
  const trickle = (start: string, more: () => string) => new Promise<{ ms: number; answer: string }>((resolve, reject) => {
    const began = performance.now();
    let answer = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(start));
    const timer = setInterval(() => socket.writable && socket.write(more()), 200);
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ ms: performance.now() - began, answer });
    });
    socket.on('error', () => undefined);
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error('the server kept a slow client for 10 s'));
    }, 10_000).unref();
  });

  it('drops a client that sends its headers a line at a time', async () => {
    let n = 0;
    const { ms, answer } = await trickle('GET /livez HTTP/1.1\r\nHost: x\r\n', () => `X-Slow-${n++}: 1\r\n`);
    expect(ms).toBeLessThan(3500);
    expect(answer).not.toContain('200 OK');
  });

  it('drops a client that sends its body a byte at a time', async () => {
    const { ms, answer } = await trickle('POST /logga-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n', () => 'a');
    expect(ms).toBeLessThan(4500);
    expect(answer).not.toContain('302');
  });
});
