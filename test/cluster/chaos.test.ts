// The production shape under chaos (issue 15): Temporal's own server on PostgreSQL, the store on
// PostgreSQL, two `arshjul worker` processes and one `arshjul web`, several units. The Temporal
// server killed (-9) in the middle of their sweeps, a worker killed in the middle of a sweep,
// PostgreSQL restarted while overdue rounds and the digests run. After each: every unit's tasks
// are the planner's, each with one `created` event, the round steps and the digests happened
// once, and the separate web process is ready again within 30 seconds. And the Temporal server down
// for a morning: people complete tasks and the dashboard answers; back up, the missed sweep and its
// steps run once (issue 27). Every process reaches
// Temporal by mutual TLS with the certificates `cluster up` made, and PostgreSQL with its password
// (scram-sha-256), as an installation does (issue 26).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, ScheduleOverlapPolicy, type Connection, type WorkflowHandle } from '@temporalio/client';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import type { CaseFile } from '../../src/cases/caseFile.js';
import { clusterConnection, clusterDown, clusterUp, serverPid, startServer, type Cluster, type ClusterPorts, type ClusterSettings } from '../../src/platform/cluster.js';
import { projectRoot } from '../../src/platform/paths.js';
import { dataConverterFor } from '../../src/platform/payloadCodec.js';
import type { LocalPostgres } from '../../src/platform/postgres.js';
import { ensureTemporalCli, ensureTemporalServer } from '../../src/platform/tools.js';
import { workflowIds } from '../../src/platform/workflowIds.js';
import { plan } from '../../src/planner/plan.js';
import { openPostgres, type Db } from '../../src/store/db.js';
import type { digests, sweep } from '../../workflows/index.js';
import { cli, run } from '../helpers/arshjul.js';
import { freeLowPort, freePort } from '../helpers/ports.js';
import { referencePack } from '../helpers/rules.js';
import { signInOverHttp } from '../helpers/signIn.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

// Each unit's staff with addresses of their own, so the mails show whose digest went out.
const units: CaseFile[] = ['enhet-a', 'enhet-b', 'enhet-c'].map((unitId, i) => {
  const unit = syntheticUnit({ unitId, households: 300 + 100 * i, seed: 40 + i, year: 2026 });
  return { ...unit, staff: unit.staff.map((person) => ({ ...person, email: `${person.id}@${unitId}.example.se` })) };
});
const readyWithinMs = 30_000;

describe('the production shape: Temporal server and store on PostgreSQL, two workers, a web process', () => {
  let settings: ClusterSettings;
  let dataDir: string;
  let cluster: Cluster & { postgres?: LocalPostgres };
  let env: NodeJS.ProcessEnv;
  let client: Client;
  let connection: Connection;
  let db: Db;
  let smtp: TestSmtp;
  let webPort: number;
  let workerMetricsPort: number;
  let workerHealthPort: number;
  const workers: ChildProcess[] = [];
  let web: ChildProcess;
  let output = '';

  const spawnArshjul = (command: string, extra: NodeJS.ProcessEnv = {}) => {
    const child = spawn(process.execPath, [cli, command], { env: { ...env, ...extra }, cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return child;
  };
  const killed = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));

  /** Milliseconds until the web process's /readyz says 200; every worker and the web process still running. */
  async function readyAfter(): Promise<number> {
    expect([...workers, web].map((child) => child.exitCode), output.slice(-3000)).toEqual([...workers, web].map(() => null));
    const started = Date.now();
    for (;;) {
      const status = await fetch(`http://127.0.0.1:${webPort}/readyz`).then((r) => r.status, () => 0);
      if (status === 200) return Date.now() - started;
      if (Date.now() - started > 120_000) throw new Error(`the web process never became ready:\n${output.slice(-3000)}`);
      await sleep(250);
    }
  }

  beforeAll(async () => {
    const ports = Object.fromEntries(await Promise.all(
      ['frontend', 'frontendHttp', 'history', 'matching', 'worker', 'frontendMembership', 'historyMembership', 'matchingMembership', 'workerMembership', 'metrics', 'ui'].map(async (name) => [name, name.endsWith('Membership') ? await freeLowPort() : await freePort()] as const),
    )) as unknown as ClusterPorts;
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-chaos-'));
    settings = { dir: path.join(dataDir, 'cluster'), postgresPort: await freePort(), ports, numHistoryShards: 4, retentionDays: 1, namespace: 'default', fast: true };
    cluster = await clusterUp(settings, () => undefined);
    smtp = await startSmtp();
    webPort = await freePort();
    env = {
      ...process.env, ...smtp.env, ...cluster.env, ARSHJUL_DATA_DIR: dataDir,
      ARSHJUL_TASK_QUEUE: 'chaos', ARSHJUL_WEB_PORT: String(webPort), ARSHJUL_DRAIN_SECONDS: '0',
    };
    // The payload key, made once before several processes would race to make it.
    const dataConverter = await dataConverterFor({ dataDir, payloadKeyFile: undefined });
    connection = await clusterConnection(cluster.temporalAddress, cluster.tls);
    client = new Client({ connection, namespace: 'default', dataConverter });
    for (const unit of units) {
      const file = path.join(dataDir, `${unit.unit.id}.json`);
      await writeFile(file, JSON.stringify(unit));
      const { stdout } = await run(process.execPath, [cli, 'import', 'cases', file, '--date', '2026-10-30'], { env, cwd: projectRoot });
      expect(stdout).toContain(`Ny enhet ${unit.unit.id}: svep, utskick, internkontroll och rapporter är schemalagda i Temporal.`);
    }
    db = openPostgres(cluster.databaseUrl);
    workerMetricsPort = await freePort();
    workerHealthPort = await freePort();
    workers.push(spawnArshjul('worker'), spawnArshjul('worker', { ARSHJUL_METRICS_PORT: String(workerMetricsPort), ARSHJUL_HEALTH_PORT: String(workerHealthPort) }));
    web = spawnArshjul('web');
    await readyAfter();
  }, 900_000);

  afterAll(async () => {
    if (process.env.ARSHJUL_CHAOS_LOG) await writeFile(process.env.ARSHJUL_CHAOS_LOG, output);
    for (const child of [...workers, web]) {
      child?.kill('SIGTERM');
      if (child) await killed(child);
    }
    await db?.close();
    await connection?.close();
    await smtp?.close();
    if (settings) await clusterDown(settings, { remove: true });
    // The case files and the payload key go too.
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 120_000);

  /** A person's password, set as an admin does (`arshjul users password`, from standard input). */
  async function setStaffPassword(unitId: string, staffId: string, password: string): Promise<void> {
    const setting = spawn(process.execPath, [cli, 'users', 'password', '--unit', unitId, '--staff', staffId], { env, cwd: projectRoot, stdio: ['pipe', 'ignore', 'inherit'] });
    setting.stdin.end(`${password}\n`);
    expect(await killed(setting)).toBe(0);
  }

  /** Every unit's tasks equal the planner's for the month up to the date, each created once. */
  async function expectPlanned(date: string, swept: CaseFile[] = units): Promise<void> {
    const pack = await referencePack();
    for (const unit of swept) {
      const expected = plan({ caseFile: unit, pack, from: date.slice(0, 7), to: date.slice(0, 7) }).filter((t) => t.createOn <= date).map((t) => t.taskId).sort();
      const stored = await db.query<{ task_id: string; created: number }>(
        `SELECT t.task_id, (SELECT count(*)::int FROM task_events e WHERE e.task_id = t.task_id AND e.kind = 'created') AS created
         FROM tasks t WHERE t.unit_id = $1 AND t.period = $2 ORDER BY t.task_id`,
        [unit.unit.id, date.slice(0, 7)],
      );
      expect(stored.map((t) => t.task_id), unit.unit.id).toEqual(expected);
      expect(stored.filter((t) => t.created !== 1), unit.unit.id).toEqual([]);
    }
  }

  function startSweeps(date: string): Promise<WorkflowHandle<typeof sweep>[]> {
    return Promise.all(units.map((unit) =>
      client.workflow.start<typeof sweep>('sweep', { taskQueue: 'chaos', workflowId: workflowIds.manualSweep(unit.unit.id, date), args: [{ unitId: unit.unit.id, date, chunkSize: 50 }] }),
    ));
  }

  /**
   * Until the sweeps begun at `since` have committed some chunks and not all: their tasks are in the
   * store and one of them still runs (the chunks are local activities, whose results reach the
   * history only with the workflow task).
   */
  async function midway(handles: WorkflowHandle[], since: Date): Promise<void> {
    await expect.poll(async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks WHERE created_at >= $1', [since]))[0]!.n, { timeout: 60_000, interval: 20 }).toBeGreaterThan(0);
    const running = await Promise.all(handles.map(async (h) => (await h.describe()).status.name === 'RUNNING'));
    expect(running.some(Boolean), 'every sweep ended before the fault').toBe(true);
  }

  it('makes each imported unit\'s schedules at import, without a restart (acceptance 4)', async () => {
    // The temporal CLI reads the same TEMPORAL_ADDRESS and TEMPORAL_TLS_* that cluster up hands out.
    const { stdout } = await run(await ensureTemporalCli(), ['schedule', 'list'], { env });
    for (const unit of units) {
      expect(stdout).toContain(workflowIds.sweepSchedule(unit.unit.id));
      expect(stdout).toContain(workflowIds.digestSchedule(unit.unit.id));
    }
  });

  it('loses and doubles nothing when the Temporal server is killed (-9) in the middle of several units\' sweeps', async () => {
    const date = '2027-05-03';
    const began = new Date(Date.now() - 1000);
    const handles = await startSweeps(date);
    await midway(handles, began);
    const pid = (await serverPid(settings.dir))!;
    process.kill(pid, 'SIGKILL');
    while (await serverPid(settings.dir)) await sleep(50);
    await sleep(1000);
    await startServer(settings.dir, (await ensureTemporalServer()).server);
    expect(await readyAfter()).toBeLessThan(readyWithinMs);
    await Promise.all(handles.map((h) => h.result()));
    await expectPlanned(date);
  }, 300_000);

  it('loses and doubles nothing when a worker is killed (-9) in the middle of a sweep', async () => {
    const date = '2027-06-01';
    const began = new Date(Date.now() - 1000);
    const handles = await startSweeps(date);
    await midway(handles, began);
    const victim = workers.shift()!;
    victim.kill('SIGKILL');
    await killed(victim);
    // The other worker takes over at the workflow task's timeout (10 s) and runs again the chunks
    // with no recorded result.
    await Promise.all(handles.map((h) => h.result()));
    await expectPlanned(date);
    workers.push(spawnArshjul('worker'));
    expect(await readyAfter()).toBeLessThan(readyWithinMs);
  }, 300_000);

  it('takes each overdue round step and sends each digest once when PostgreSQL restarts under them', async () => {
    // November's rounds are overdue already: their reminder, due and escalation steps fire at once.
    const date = '2026-11-02';
    const began = new Date(Date.now() - 1000);
    const handles = await startSweeps(date);
    await midway(handles, began);
    cluster.postgres!.restart();
    await Promise.all(handles.map((h) => h.result()));
    await expectPlanned(date);
    const steps = await db.query<{ kind: string; tasks: number; doubled: number }>(
      `SELECT kind, count(*)::int AS tasks, count(*) FILTER (WHERE n > 1)::int AS doubled FROM (
         SELECT e.task_id, e.kind, count(*) AS n FROM task_events e JOIN tasks t ON t.task_id = e.task_id
         WHERE t.period = '2026-11' AND e.kind IN ('reminder-due', 'escalation-due') GROUP BY 1, 2) steps GROUP BY kind ORDER BY kind`,
    );
    // November's reminders are past; its escalations come in December's first business days.
    expect(steps.find((s) => s.kind === 'reminder-due')?.tasks).toBeGreaterThan(0);
    expect(steps.filter((s) => s.doubled > 0)).toEqual([]);

    const before = smtp.received.length;
    const digestRuns = units.map((unit) =>
      client.workflow.execute<typeof digests>('digests', { taskQueue: 'chaos', workflowId: workflowIds.manualDigests(unit.unit.id, '2026-11-03'), args: [{ unitId: unit.unit.id, date: '2026-11-03' }] }),
    );
    await sleep(300);
    cluster.postgres!.restart();
    await Promise.all(digestRuns);
    // Each person's digest of each kind (their tasks; a deputy head's escalations) once.
    const digestsSent = smtp.received.slice(before).map((mail) => `${(Array.isArray(mail.to) ? mail.to[0] : mail.to)!.text} ${mail.subject}`);
    expect(digestsSent.length).toBeGreaterThan(units.length);
    expect(new Set(digestsSent).size).toBe(digestsSent.length);
    expect(await readyAfter()).toBeLessThan(readyWithinMs);
  }, 300_000);

  it('keeps people working while the Temporal server is down for a morning, then runs the missed sweep and its steps once (issue 27, acceptance 3)', async () => {
    const unit = units[0]!;
    const date = '2027-09-01';
    // A morning of the test's own: a schedule due at the next whole minute at least 30 s away, for a
    // business day's sweep (the real schedules fire at 06:00 on weekdays, which a test cannot wait for).
    const dueAt = new Date(Math.ceil((Date.now() + 30_000) / 60_000) * 60_000);
    const scheduleId = 'missed-morning';
    await client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour: dueAt.getUTCHours(), minute: dueAt.getUTCMinutes() }], timezone: 'UTC' },
      action: { type: 'startWorkflow', workflowType: 'sweep', args: [{ unitId: unit.unit.id, date, chunkSize: 50 }], taskQueue: 'chaos', workflowId: scheduleId },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '4 days' },
    });
    const password = 'morgonens-lösenord-1';
    const [deputy] = unit.staff.filter((p) => p.role === 'bitradande-enhetschef');
    const open = await db.query<{ task_id: string; assignee: string; ref: string; rule_id: string }>(
      `SELECT task_id, assignee, ref, rule_id FROM tasks WHERE unit_id = $1 AND state = 'open' AND assignee LIKE 'ss-%' ORDER BY task_id LIMIT 3`, [unit.unit.id],
    );
    expect(open.length).toBe(3);
    for (const staffId of [deputy!.id, ...new Set(open.map((t) => t.assignee))]) await setStaffPassword(unit.unit.id, staffId, password);
    const base = `http://127.0.0.1:${webPort}`;
    const sessions = new Map<string, { cookie: string; csrf: string }>();
    for (const staffId of [deputy!.id, ...open.map((t) => t.assignee)]) if (!sessions.has(staffId)) sessions.set(staffId, await signInOverHttp(base, unit.unit.id, staffId, password));

    // The server goes down before the morning and stays down past it.
    process.kill((await serverPid(settings.dir))!, 'SIGKILL');
    while (await serverPid(settings.dir)) await sleep(50);
    const pack = await referencePack();
    for (const task of open) {
      const outcome = pack.rules.find((r) => r.rule.id === task.rule_id)!.rule.completion.outcomes[0]!.id;
      const { cookie, csrf } = sessions.get(task.assignee)!;
      const done = await fetch(`${base}/api/tasks/${task.ref}/complete`, {
        method: 'POST', headers: { cookie: `arshjul_session=${cookie}`, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ outcome, note: 'Kontrollerat under avbrottet.' }),
      });
      expect(done.status, await done.text()).toBe(200);
      const overview = await fetch(`${base}/oversikt?year=2027`, { headers: { cookie: `arshjul_session=${sessions.get(deputy!.id)!.cookie}` } });
      expect(overview.status).toBe(200);
    }
    while (Date.now() < dueAt.getTime() + 5_000) await sleep(250);
    expect(await serverPid(settings.dir)).toBeUndefined();
    expect(await db.query(`SELECT count(*)::int AS n FROM tasks WHERE unit_id = $1 AND period = '2027-09'`, [unit.unit.id])).toEqual([{ n: 0 }]);

    // Back up: the schedule catches up with the morning it missed, once.
    await startServer(settings.dir, (await ensureTemporalServer()).server);
    expect(await readyAfter()).toBeLessThan(readyWithinMs);
    const schedule = client.schedule.getHandle(scheduleId);
    await expect.poll(async () => (await schedule.describe()).info.recentActions.length, { timeout: 120_000, interval: 500 }).toBe(1);
    const [missed] = (await schedule.describe()).info.recentActions;
    const summary = await client.workflow.getHandle<typeof sweep>(missed!.action.workflow.workflowId).result();
    expect(summary.steps?.['reminder-due']).toBeGreaterThan(0);
    await schedule.delete();
    await expectPlanned(date, [unit]);
    // The morning's steps once each; what people did while Temporal was down stands, once.
    expect(await db.query(
      `SELECT e.task_id, e.kind FROM task_events e JOIN tasks t ON t.task_id = e.task_id WHERE t.unit_id = $1 AND e.kind IN ('reminder-due', 'due', 'escalation-due')
       GROUP BY 1, 2 HAVING count(*) > 1`, [unit.unit.id],
    )).toEqual([]);
    const acted = await db.query<{ task_id: string; n: number }>(
      `SELECT task_id, count(*)::int AS n FROM task_events WHERE task_id = ANY($1::text[]) AND kind = 'completed' GROUP BY 1 ORDER BY 1`, [open.map((t) => t.task_id)],
    );
    expect(acted).toEqual(open.map((t) => ({ task_id: t.task_id, n: 1 })).sort((a, b) => (a.task_id < b.task_id ? -1 : 1)));
  }, 420_000);

  it('lets a caseworker sign in and complete a task in Chromium through the separate web process (acceptance 1)', async () => {
    const [open] = await db.query<{ assignee: string; period: string }>(
      `SELECT assignee, period FROM tasks WHERE unit_id = 'enhet-a' AND state = 'open' AND assignee LIKE 'ss-%' ORDER BY task_id LIMIT 1`,
    );
    const { assignee, period } = open!;
    const password = 'klustrets-lösenord-1';
    const setting = spawn(process.execPath, [cli, 'users', 'password', '--unit', 'enhet-a', '--staff', assignee], { env, cwd: projectRoot, stdio: ['pipe', 'ignore', 'inherit'] });
    setting.stdin.end(`${password}\n`);
    expect(await killed(setting)).toBe(0);
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${webPort}/logga-in`);
      await page.getByLabel('Enhet').selectOption('enhet-a');
      await page.getByLabel('Användar-id').fill(assignee);
      await page.getByLabel('Lösenord').fill(password);
      await page.getByRole('button', { name: 'Logga in' }).click();
      await page.waitForURL(/\/inkorg$/);
      await page.locator('main table a').first().click();
      await page.getByRole('button', { name: 'Klar', exact: true }).click();
      await expect.poll(() => page.locator('p.ok').textContent()).toMatch(/Uppgiften är klar|väntar på attest/);
    } finally {
      await browser.close();
    }
    const [done] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tasks WHERE unit_id = 'enhet-a' AND assignee = $1 AND period = $2 AND state <> 'open'`, [assignee, period]);
    expect(done!.n).toBeGreaterThan(0);
  });

  it('shows the operator the sweeps in Prometheus metrics and each process\'s health', async () => {
    const worker = await (await fetch(`http://127.0.0.1:${workerMetricsPort}/metrics`)).text();
    expect(Number(/^arshjul_tasks_created_total(?:\{[^}]*\})? (\d+)/m.exec(worker)?.[1])).toBeGreaterThan(0);
    expect(worker).toMatch(/^temporal_activity_execution_latency/m);
    expect((await fetch(`http://127.0.0.1:${workerHealthPort}/readyz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${workerHealthPort}/livez`)).status).toBe(200);
    const web = await (await fetch(`http://127.0.0.1:${webPort}/metrics`)).text();
    expect(web).toMatch(/arshjul_web_request_seconds_count\{route="\/readyz",method="GET",status="200"\} \d+/);
    // Route patterns, never addresses: no reference of a task reaches the metrics.
    expect(web).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('stops gracefully: a web process says 503 on /readyz while it drains, then ends; a worker ends when asked', async () => {
    const port = await freePort();
    const second = spawnArshjul('web', { ARSHJUL_WEB_PORT: String(port), ARSHJUL_DRAIN_SECONDS: '2' });
    while ((await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0)) !== 200) await sleep(100);
    second.kill('SIGTERM');
    await sleep(300);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
    expect((await fetch(`http://127.0.0.1:${port}/livez`)).status).toBe(200);
    expect(await killed(second)).toBe(0);
    const worker = workers.pop()!;
    worker.kill('SIGTERM');
    expect(await killed(worker)).toBe(0);
  });
});
