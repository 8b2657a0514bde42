// Web benchmark: the pages people open, over a year of tasks for 20,000 households (embedded
// store, a third of the tasks done), through Fastify's inject (no network). Targets: the deputy
// head's dashboard and an annual report's figures under 100 ms (median of 20), every page under
// 300 ms at the 95th percentile; and the dashboard's numbers equal to what `arshjul tasks list`
// lists (listTasks, counted here task by task).
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { syntheticUnit } from '../src/cases/synthetic.js';
import { rulesDir } from '../src/platform/paths.js';
import { plan } from '../src/planner/plan.js';
import { reportFigures } from '../src/reports/figures.js';
import type { ControlCompletion } from '../src/reports/completion.js';
import { parseReportPeriod } from '../src/reports/period.js';
import { readRulePack } from '../src/rules/files.js';
import { importCaseFile } from '../src/store/cases.js';
import { openEmbedded } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { recordPack } from '../src/store/rulePacks.js';
import { insertTasks, isOpen, listTasks } from '../src/store/tasks.js';
import { setPassword } from '../src/web/accounts.js';
import { webApp } from '../src/web/index.js';
import { postSignIn } from '../test/helpers/signIn.js';

const households = Number(process.env.BENCH_HOUSEHOLDS ?? 20_000);

/** Median and 95th percentile of `times` runs, in ms. */
async function timings(times: number, fn: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await fn();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(times / 2)]!, p95: ms[Math.ceil(times * 0.95) - 1]! };
}

/** The dashboard's counts (rule, month → done/open/overdue) recounted from the tasks `tasks list` lists. */
async function countedFromList(db: Parameters<typeof listTasks>[0], unitId: string, year: number, today: string) {
  const counts = new Map<string, { done: number; open: number; overdue: number }>();
  for (const t of await listTasks(db, { unitId })) {
    if (!t.period.startsWith(`${year}-`) || t.state === 'cancelled') continue;
    const key = `${t.rule_id} ${t.period}`;
    const c = counts.get(key) ?? { done: 0, open: 0, overdue: 0 };
    c[!isOpen(t.state) ? 'done' : t.due_on < today ? 'overdue' : 'open']++;
    counts.set(key, c);
  }
  return counts;
}

export async function webBenchmark(): Promise<boolean> {
  const db = await openEmbedded(await mkdtemp(path.join(os.tmpdir(), 'arshjul-bench-web-')));
  try {
    await migrate(db);
    const unit = syntheticUnit({ households, seed: 6 });
    await importCaseFile(db, unit, { fileName: 'bench', fileHash: 'bench', importedBy: 'bench', full: false, exportDate: '2027-01-01' });
    const pack = await readRulePack(rulesDir);
    const tasks = plan({ caseFile: unit, pack, from: '2027-01', to: '2027-12' });
    await db.transaction(async (tx) => {
      await recordPack(tx, pack);
      for (let i = 0; i < tasks.length; i += 20_000) await insertTasks(tx, tasks.slice(i, i + 20_000), '2027-01-01T00:00:00Z');
      await tx.query(`UPDATE tasks SET state = 'completed', outcome = 'ok' WHERE hashtext(task_id) % 3 = 0`);
      await tx.query(`INSERT INTO task_events (task_id, kind, at, actor, outcome) SELECT task_id, 'completed', (due_on + time '12:00') AT TIME ZONE 'Europe/Stockholm', assignee, 'ok' FROM tasks WHERE state = 'completed'`);
    });
    // As the next daily sweep would (activities/cycle.ts): statistics for the planner.
    await db.exec('ANALYZE');
    const busiest = (await db.query<{ assignee: string }>(`SELECT assignee FROM tasks WHERE state = 'open' AND assignee LIKE 'ss-%' GROUP BY assignee ORDER BY count(*) DESC LIMIT 1`))[0]!.assignee;
    for (const staffId of ['bec-01', busiest]) await setPassword(db, { unitId: unit.unit.id, staffId, password: 'bench-lösenord' });

    // Reads only: the client is never called, so no Temporal server is needed.
    const { app } = await webApp({ db, client: new Client(), taskQueue: 'bench', rulesDir, baseUrl: 'http://localhost' });
    const cookie = async (staffId: string) =>
      (await postSignIn(app, { enhet: unit.unit.id, anvandare: staffId, losenord: 'bench-lösenord' })).cookies.find((c) => c.name === 'arshjul_session')!.value;
    const [deputy, caseworker] = [await cookie('bec-01'), await cookie(busiest)];
    const get = (url: string, session: string) => async () => {
      const response = await app.inject({ method: 'GET', url, cookies: { arshjul_session: session } });
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode}`);
    };
    const [{ ref }] = await db.query<{ ref: string }>(`SELECT ref FROM tasks WHERE assignee = $1 AND state = 'open' ORDER BY task_id LIMIT 1`, [busiest]) as [{ ref: string }];
    const pages: [string, string, string][] = [
      ['dashboard', '/oversikt?year=2027', deputy], ['dashboard JSON', '/api/dashboard?year=2027', deputy],
      ['working view', '/oversikt/uppgifter?year=2027', deputy], ['working view, overdue by case', '/oversikt/uppgifter?year=2027&visa=overdue&sortera=case', deputy],
      ['working view, case search', '/oversikt/uppgifter?year=2027&arende=00042', deputy], ['dashboard CSV', '/oversikt.csv?year=2027', deputy],
      ['rounds JSON', '/api/rounds?year=2027', deputy], ['reports', '/rapporter', deputy], ['internal control', '/internkontroll?year=2027', deputy],
      ['inbox', '/inkorg', caseworker], ['tasks JSON', '/api/tasks', caseworker], ['task', `/uppgifter/${ref}`, caseworker], ['calendar', '/kalender', caseworker],
    ];
    const measured: { name: string; url: string; median: number; p95: number }[] = [];
    for (const [name, url, session] of pages) measured.push({ name, url, ...(await timings(20, get(url, session))) });
    const figures = await timings(20, () => reportFigures(db, { unitId: unit.unit.id, period: parseReportPeriod('2027-VB'), pack, asOf: '2028-01-03T05:30:00Z' }));

    // The dashboard's numbers against the tasks themselves, as of the day the pages were read.
    const today = new Date().toISOString().slice(0, 10);
    const shown = (await app.inject({ method: 'GET', url: '/api/dashboard?year=2027', cookies: { arshjul_session: deputy } })).json<{ controls: ControlCompletion[] }>();
    const listed = await countedFromList(db, unit.unit.id, 2027, today);
    const cells = shown.controls.flatMap((c) => c.months.map((m) => ({ key: `${c.ruleId} ${m.month}`, m })));
    const equal = cells.length === listed.size && cells.every(({ key, m }) => {
      const l = listed.get(key);
      return l !== undefined && l.done === m.done && l.open === m.open && l.overdue === m.overdue && m.total === l.done + l.open + l.overdue;
    });
    await app.close();

    const dashboard = measured[0]!;
    const slowest = measured.reduce((a, b) => (b.p95 > a.p95 ? b : a));
    console.log(`Webb: ${households.toLocaleString('sv-SE')} hushåll, ${tasks.length.toLocaleString('sv-SE')} uppgifter 2027 (en tredjedel klara), inbäddad databas, 20 anrop var`);
    for (const m of measured) console.log(`  ${m.name.padEnd(30)} ${m.url.padEnd(58)} median ${m.median.toFixed(0).padStart(4)} ms, p95 ${m.p95.toFixed(0).padStart(4)} ms`);
    console.log(`  ${'annual report figures'.padEnd(30)} ${'reportFigures 2027-VB'.padEnd(58)} median ${figures.median.toFixed(0).padStart(4)} ms, p95 ${figures.p95.toFixed(0).padStart(4)} ms`);
    console.log(`  targets: dashboard ${dashboard.median.toFixed(0)} ms and figures ${figures.median.toFixed(0)} ms median (< 100 ms); slowest page p95 ${slowest.p95.toFixed(0)} ms, ${slowest.name} (< 300 ms)`);
    console.log(`  dashboard equals \`tasks list\`: ${equal ? 'yes' : 'NO'} (${cells.length} control-months, ${cells.reduce((n, c) => n + c.m.total, 0).toLocaleString('sv-SE')} tasks)`);
    return dashboard.median < 100 && figures.median < 100 && slowest.p95 < 300 && equal;
  } finally {
    await db.close();
  }
}
