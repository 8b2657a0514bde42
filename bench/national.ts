// National scale on the production shape: 200,000 households in 300 units of 150 to 5,000
// households, on Temporal's own server with PostgreSQL (`cluster up`), the store on PostgreSQL,
// `arshjul worker` processes and one `arshjul web`. A May morning: every unit's sweep started at
// once (as the 06:00 schedules do), then every unit's digests; the deputy head's dashboard and a
// caseworker's inbox of the largest unit opened over and over while the sweep runs. Once with one
// worker and once with two, each on a store and a namespace of its own; and first the same sweep
// by the store alone, with no Temporal (bench/storeAlone.ts), on the same PostgreSQL, as the yardstick.
// Prints wall time, tasks/s, every workflow the morning started by type and the Temporal actions
// in their histories per created task, p50/p95 of the pages, peak memory per process and the scaling.
// Targets (issue 27, every run): the sweep within 1.5× the store alone, at most 0.005 workflow
// starts per created task (every type, digests included), dashboard p95 under 500 ms during the sweep.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@temporalio/client';
import type { CaseFile } from '../src/cases/caseFile.js';
import { syntheticUnit } from '../src/cases/synthetic.js';
import type { StepCounts } from '../src/cycle/steps.js';
import { clusterConnection, clusterDown, clusterUp, ensureNamespace, portsFrom, serverPid, type Cluster } from '../src/platform/cluster.js';
import { dataConverterFor } from '../src/platform/payloadCodec.js';
import { projectRoot } from '../src/platform/paths.js';
import { ensureSearchAttributes } from '../src/platform/searchAttributes.js';
import { workflowIds } from '../src/platform/workflowIds.js';
import { setPassword } from '../src/web/accounts.js';
import type { digests, sweep } from '../workflows/index.js';
import { freePort } from '../test/helpers/ports.js';
import { signInOverHttp } from '../test/helpers/signIn.js';
import { actions } from './actions.js';
import { addSteps, freshStore, storeAloneMorning, unitsAtOnce, type StoreAlone } from './storeAlone.js';

const targets = { timesStoreAlone: 1.5, startsPerTask: 0.005, dashboardP95Ms: 500 };

// BENCH_NATIONAL_SCALE=0.2 runs a fifth of it (60 units, 40,000 households), to try a change quickly; below about 0.2 the
// sizes cannot reach the total within their bounds (unitSizes does not yet say so: it keeps trying).
const scale = Number(process.env.BENCH_NATIONAL_SCALE ?? 1);
const totalHouseholds = Math.round(200_000 * scale);
const unitCount = Math.round(300 * scale);
const shards = Number(process.env.BENCH_NATIONAL_SHARDS ?? 4);
const date = '2027-05-03';
const cli = path.join(projectRoot, 'src', 'cli', 'arshjul.js');

/** 300 unit sizes from 150 to 5,000 households, most of them small, summing to 200,000. */
export function unitSizes(): number[] {
  const sizes = Array.from({ length: unitCount }, (_, i) => Math.round(150 + 4850 * (i / (unitCount - 1)) ** 8.4));
  let rest = totalHouseholds - sizes.reduce((a, b) => a + b, 0);
  // Spread what the rounding left over the middle-sized units, within the bounds.
  for (let i = unitCount - 2; rest !== 0; i = i <= 1 ? unitCount - 2 : i - 1) {
    const step = Math.sign(rest);
    if (sizes[i]! + step >= 150 && sizes[i]! + step <= 5000) {
      sizes[i]! += step;
      rest -= step;
    }
  }
  return sizes;
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? NaN;

/** A process's CPU time so far, user and system, in seconds (0 when it is gone). */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  const stat = pid ? await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '') : '';
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
}

/** The machine's CPU time so far, busy and all, in seconds over every core (from /proc/stat). */
async function machineCpu(): Promise<{ busy: number; all: number }> {
  const ticks = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  const all = ticks.reduce((a, b) => a + b, 0);
  return { busy: (all - ticks[3]! - ticks[4]!) / 100, all: all / 100 };
}

async function peakMemoryMb(pid: number | undefined): Promise<number> {
  const status = pid ? await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '') : '';
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

interface Run {
  workers: number;
  sweepSeconds: number;
  created: number;
  steps: StepCounts;
  /** The morning's workflow executions (from its first sweep start on), by type. */
  morning: Map<string, number>;
  /** Those the workers started as they came up, before the morning: the yearly report and internal-control workflows. */
  startUp: Map<string, number>;
  /** Temporal actions in the histories of the morning's executions. */
  actions: number;
  digestSeconds: number;
  mails: number;
  dashboard: number[];
  inbox: number[];
  memory: { workers: number[]; web: number; temporal: number };
  /** CPU seconds spent during the sweep: by the workers, the web process, Temporal's server, and the machine's busy share. */
  cpu: { workers: number; web: number; temporal: number; machineBusy: number };
}

const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
const byType = (counts: Map<string, number>) => [...counts].map(([type, n]) => `${type} ${n.toLocaleString('en-US')}`).join(', ') || 'none';
const stepsText = (steps: StepCounts) => `${steps['reminder-due'] ?? 0} reminders, ${steps.due ?? 0} due, ${steps['escalation-due'] ?? 0} escalations`;

/**
 * Until the workers and Temporal's server idle (together under a tenth of a core over two seconds):
 * the yearly workflows the workers start as they come up have then taken their first steps, which
 * are not the morning's.
 */
async function untilQuiet(pids: (number | undefined)[]): Promise<void> {
  const used = async () => (await Promise.all(pids.map(cpuSeconds))).reduce((a, b) => a + b, 0);
  for (let before = await used(); ; ) {
    await sleep(2000);
    const now = await used();
    if (now - before < 0.2) return;
    before = now;
  }
}

async function untilReady(url: string): Promise<void> {
  while ((await fetch(url).then((r) => r.status, () => 0)) !== 200) await sleep(200);
}

/**
 * Every execution in the namespace (fresh per run, so all of them are this run's), once visibility
 * has caught up (two listings alike): those started from `since` on by type with their ids, the
 * others (the workers' start-up) by type.
 */
async function executionsSince(client: Client, since: Date) {
  let listed: { type: string; workflowId: string; runId: string; startTime: Date }[] = [];
  for (let previous = -1; listed.length !== previous; await sleep(2000)) {
    previous = listed.length;
    listed = [];
    for await (const execution of client.workflow.list()) listed.push(execution);
  }
  const morning = listed.filter((e) => e.startTime >= since);
  const count = (executions: typeof listed) => executions.reduce((counts, e) => counts.set(e.type, (counts.get(e.type) ?? 0) + 1), new Map<string, number>());
  return { morning, morningByType: count(morning), startUp: count(listed.filter((e) => e.startTime < since)) };
}

/** The Temporal actions in these executions' histories, 32 fetched at a time. */
async function actionsIn(client: Client, executions: { workflowId: string; runId: string }[]): Promise<number> {
  let counted = 0;
  for (let i = 0; i < executions.length; i += 32) {
    const histories = await Promise.all(executions.slice(i, i + 32).map((e) => client.workflow.getHandle(e.workflowId, e.runId).fetchHistory()));
    counted += histories.reduce((sum, h) => sum + actions(h.events ?? []), 0);
  }
  return counted;
}

async function runOnce(input: { workers: number; cluster: Cluster; dataDir: string; clusterDir: string; units: CaseFile[] }): Promise<Run> {
  const name = `national_${input.workers}w`;
  const db = await freshStore(input.cluster.databaseUrl, name, input.units);
  const largest = input.units.at(-1)!;
  for (const staffId of ['bec-01', 'ss-01']) await setPassword(db, { unitId: largest.unit.id, staffId, password: 'bench-lösenord' });

  const connection = await clusterConnection(input.cluster.temporalAddress, input.cluster.tls);
  const namespace = name.replace('_', '-');
  await ensureNamespace(connection, namespace, 1);
  await ensureSearchAttributes(connection, namespace);
  const client = new Client({ connection, namespace, dataConverter: await dataConverterFor({ dataDir: input.dataDir, payloadKeyFile: undefined }) });
  const webPort = await freePort();
  const env = {
    ...process.env, ...input.cluster.env, TEMPORAL_NAMESPACE: namespace, DATABASE_URL: input.cluster.databaseUrl.replace(/\/arshjul$/, `/${name}`), ARSHJUL_DATA_DIR: input.dataDir,
    ARSHJUL_TASK_QUEUE: 'national', ARSHJUL_WEB_PORT: String(webPort), ARSHJUL_DRAIN_SECONDS: '0', ARSHJUL_LOG_LEVEL: 'ERROR', ARSHJUL_SMTP_HOST: '',
  };
  const children: ChildProcess[] = [];
  const start = (command: string, extra: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [cli, command], { env: { ...env, ...extra }, cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(child);
    return child;
  };
  try {
    // Each worker with a health port, so the morning begins once every worker polls: its start-up
    // (schedules, the yearly workflows) is then behind it and neither timed nor counted as the morning's.
    const healthPorts = await Promise.all(Array.from({ length: input.workers }, () => freePort()));
    const workers = healthPorts.map((port) => start('worker', { ARSHJUL_HEALTH_PORT: String(port) }));
    const web = start('web');
    const base = `http://127.0.0.1:${webPort}`;
    await Promise.all([untilReady(`${base}/readyz`), ...healthPorts.map((port) => untilReady(`http://127.0.0.1:${port}/readyz`))]);
    const deputy = (await signInOverHttp(base, largest.unit.id, 'bec-01', 'bench-lösenord')).cookie;
    const caseworker = (await signInOverHttp(base, largest.unit.id, 'ss-01', 'bench-lösenord')).cookie;

    // The morning: every unit's sweep at once, and the pages opened while it runs.
    const temporalPid = await serverPid(input.clusterDir);
    await untilQuiet([temporalPid, ...workers.map((w) => w.pid)]);
    const cpuNow = async () => ({
      workers: (await Promise.all(workers.map((w) => cpuSeconds(w.pid)))).reduce((a, b) => a + b, 0),
      web: await cpuSeconds(web.pid), temporal: await cpuSeconds(temporalPid), machine: await machineCpu(),
    });
    const cpuBefore = await cpuNow();
    const morningBegan = new Date();
    const started = performance.now();
    const sweeps = input.units.map((unit) => client.workflow.execute<typeof sweep>('sweep', { taskQueue: 'national', workflowId: workflowIds.manualSweep(unit.unit.id, date), args: [{ unitId: unit.unit.id, date }] }));
    let sweeping = true;
    const all = Promise.all(sweeps).finally(() => (sweeping = false));
    const dashboard: number[] = [];
    const inbox: number[] = [];
    const timed = async (into: number[], url: string, session: string) => {
      const t = performance.now();
      const response = await fetch(`${base}${url}`, { headers: { cookie: `arshjul_session=${session}` } });
      await response.text();
      if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
      into.push(performance.now() - t);
    };
    // Two people at work: a page every quarter second each, not a load test of the web tier.
    while (sweeping) {
      await Promise.all([timed(dashboard, '/oversikt?year=2027', deputy), timed(inbox, '/inkorg', caseworker), sleep(250)]);
    }
    const results = await all;
    const sweepSeconds = (performance.now() - started) / 1000;
    const cpuAfter = await cpuNow();
    const cpu = {
      workers: cpuAfter.workers - cpuBefore.workers, web: cpuAfter.web - cpuBefore.web, temporal: cpuAfter.temporal - cpuBefore.temporal,
      machineBusy: (cpuAfter.machine.busy - cpuBefore.machine.busy) / (cpuAfter.machine.all - cpuBefore.machine.all),
    };

    const digestStarted = performance.now();
    const sent = await Promise.all(input.units.map((unit) => client.workflow.execute<typeof digests>('digests', { taskQueue: 'national', workflowId: workflowIds.manualDigests(unit.unit.id, date), args: [{ unitId: unit.unit.id, date }] })));
    const digestSeconds = (performance.now() - digestStarted) / 1000;

    const executions = await executionsSince(client, morningBegan);
    const memory = { workers: await Promise.all(workers.map((w) => peakMemoryMb(w.pid))), web: await peakMemoryMb(web.pid), temporal: await peakMemoryMb(await serverPid(input.clusterDir)) };
    return {
      workers: input.workers, sweepSeconds, created: results.reduce((sum, r) => sum + r.created, 0), steps: results.reduce((steps, r) => addSteps(steps, r.steps ?? {}), {}),
      morning: executions.morningByType, startUp: executions.startUp, actions: await actionsIn(client, executions.morning),
      digestSeconds, mails: sent.reduce((sum, r) => sum + r.sent, 0), dashboard, inbox, memory, cpu,
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
    await connection.close();
    await db.close();
  }
}

/** A run's figures beside its targets; true when it meets them and created what the store alone did. */
function report(run: Run, alone: StoreAlone): boolean {
  const times = run.sweepSeconds / alone.seconds;
  const starts = total(run.morning);
  const p95 = percentile(run.dashboard, 95);
  const same = run.created === alone.created;
  console.log(`  ${run.workers} worker${run.workers > 1 ? 's' : ''}:`);
  console.log(`    sweep, all units      ${run.sweepSeconds.toFixed(1)} s, ${run.created.toLocaleString('en-US')} tasks${same ? ' (as the store alone)' : ` ≠ ${alone.created.toLocaleString('en-US')} by the store alone`}, ${Math.round(run.created / run.sweepSeconds).toLocaleString('en-US')} tasks/s; sweep = ${times.toFixed(2)}× the store alone (target ≤ ${targets.timesStoreAlone}×)`);
  console.log(`    steps taken           ${stepsText(run.steps)}`);
  console.log(`    workflow starts       ${starts.toLocaleString('en-US')} (${byType(run.morning)}), ${(starts / run.created).toFixed(4)} per created task (target ≤ ${targets.startsPerTask})`);
  console.log(`    at the workers' start ${byType(run.startUp)} (yearly, not the morning's)`);
  console.log(`    Temporal actions      ${run.actions.toLocaleString('en-US')}, ${(run.actions / run.created).toFixed(4)} per created task`);
  console.log(`    digests, all units    ${run.digestSeconds.toFixed(1)} s, ${run.mails.toLocaleString('en-US')} mails`);
  console.log(`    during the sweep      dashboard p50 ${percentile(run.dashboard, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms (${run.dashboard.length} requests, target p95 < ${targets.dashboardP95Ms} ms); inbox p50 ${percentile(run.inbox, 50).toFixed(0)} ms, p95 ${percentile(run.inbox, 95).toFixed(0)} ms`);
  console.log(`    CPU during the sweep  workers ${run.cpu.workers.toFixed(1)} s, web ${run.cpu.web.toFixed(1)} s, Temporal server ${run.cpu.temporal.toFixed(1)} s; the machine ${(run.cpu.machineBusy * 100).toFixed(0)} % busy (PostgreSQL and the rest included)`);
  console.log(`    peak memory           workers ${run.memory.workers.map((m) => `${m.toFixed(0)} MB`).join(', ')}; web ${run.memory.web.toFixed(0)} MB; Temporal server ${run.memory.temporal.toFixed(0)} MB`);
  return same && times <= targets.timesStoreAlone && starts / run.created <= targets.startsPerTask && p95 < targets.dashboardP95Ms;
}

export async function nationalBenchmark(): Promise<boolean> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-bench-national-'));
  const settings = { dir: path.join(dataDir, 'cluster'), postgresPort: await freePort(), ports: portsFrom(17233 + Math.floor(Math.random() * 10_000)), numHistoryShards: shards, retentionDays: 1, namespace: 'default' };
  const sizes = unitSizes();
  const units = sizes.map((households, i) => syntheticUnit({ unitId: `enhet-${String(i + 1).padStart(3, '0')}`, households, seed: 1000 + i }));
  try {
    const cluster = await clusterUp(settings, () => undefined);
    // The store alone first, while the Temporal server idles: its peak RSS is then the sweep's, not the runs' clients'.
    const alone = await storeAloneMorning({ clusterDatabaseUrl: cluster.databaseUrl, units, date });
    const runs: Run[] = [];
    for (const workers of (process.env.BENCH_NATIONAL_WORKERS ?? '1,2').split(',').map(Number)) runs.push(await runOnce({ workers, cluster, dataDir, clusterDir: settings.dir, units }));
    console.log(`Nationell skala: ${totalHouseholds.toLocaleString('en-US')} hushåll i ${unitCount} enheter (${Math.min(...sizes)}–${Math.max(...sizes)}), Temporal-server (${shards} shards) och butik på PostgreSQL, ${date}`);
    console.log(`  the store alone (no Temporal, this process, ${unitsAtOnce} units at a time on as many connections, as a worker):`);
    console.log(`    sweep, all units      ${alone.seconds.toFixed(1)} s, ${alone.created.toLocaleString('en-US')} tasks, ${Math.round(alone.created / alone.seconds).toLocaleString('en-US')} tasks/s`);
    console.log(`    steps taken           ${stepsText(alone.steps)}`);
    console.log(`    CPU during the sweep  this process ${alone.cpuSeconds.toFixed(1)} s`);
    console.log(`    peak memory           ${alone.peakMb.toFixed(0)} MB (this process, the units generated and imported included)`);
    const met = runs.map((run) => report(run, alone)).every(Boolean);
    const one = runs.find((r) => r.workers === 1);
    const two = runs.find((r) => r.workers === 2);
    if (one && two) console.log(`  scaling 1 → 2 workers   ${(one.sweepSeconds / two.sweepSeconds).toFixed(2)}× faster sweep`);
    console.log(`  targets                 ${met ? 'met' : 'missed'}`);
    return met;
  } finally {
    await clusterDown(settings, { remove: true });
  }
}
