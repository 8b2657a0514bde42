// Web benchmark: the pages people open most, over a year of tasks for 20,000 households (embedded
// store, a third of the tasks done): the deputy head's dashboard (wheel, matrix, load), the
// caseworker's inbox, the dashboard's JSON, and the figures of an annual report. Median of ten
// requests each, through Fastify's inject (no network). Target: the dashboard under one second.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { syntheticUnit } from '../src/cases/synthetic.js';
import { rulesDir } from '../src/platform/paths.js';
import { plan } from '../src/planner/plan.js';
import { reportFigures } from '../src/reports/figures.js';
import { parseReportPeriod } from '../src/reports/period.js';
import { readRulePack } from '../src/rules/files.js';
import { importCaseFile } from '../src/store/cases.js';
import { openEmbedded } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { recordPack } from '../src/store/rulePacks.js';
import { insertTasks } from '../src/store/tasks.js';
import { setPassword } from '../src/web/accounts.js';
import { webApp } from '../src/web/index.js';
import { postSignIn } from '../test/helpers/signIn.js';

const households = Number(process.env.BENCH_HOUSEHOLDS ?? 20_000);

async function median(times: number, fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await fn();
    ms.push(performance.now() - start);
  }
  return ms.sort((a, b) => a - b)[Math.floor(times / 2)]!;
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
    const dashboard = await median(10, get('/oversikt?year=2027', deputy));
    const json = await median(10, get('/api/dashboard?year=2027', deputy));
    const inbox = await median(10, get('/inkorg', caseworker));
    const figures = await median(3, () => reportFigures(db, { unitId: unit.unit.id, period: parseReportPeriod('2027-VB'), pack, asOf: '2028-01-03T05:30:00Z' }));
    const openOfBusiest = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tasks WHERE assignee = $1 AND state = 'open'`, [busiest]))[0]!.n;
    await app.close();

    console.log(`Webb: 20 000 hushåll, ${tasks.length.toLocaleString('en-US')} uppgifter 2027 (en tredjedel klara), inbäddad databas, median`);
    console.log(`  dashboard /oversikt   ${dashboard.toFixed(0)} ms (target < 1000 ms)`);
    console.log(`  /api/dashboard        ${json.toFixed(0)} ms`);
    console.log(`  inbox /inkorg         ${inbox.toFixed(0)} ms (${openOfBusiest} open tasks)`);
    console.log(`  annual report figures ${figures.toFixed(0)} ms`);
    return dashboard < 1000;
  } finally {
    await db.close();
  }
}
