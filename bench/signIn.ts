// Sign-in benchmark, for security finding 1: an answer must not tell whether an account exists or
// its address is throttled. The median time of 20 sign-ins each for a wrong password, an unknown
// account and a throttled address (the right password), through Fastify's inject; target: the
// slowest median within 20 % of the fastest.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { syntheticUnit } from '../src/cases/synthetic.js';
import { rulesDir } from '../src/platform/paths.js';
import { importCaseFile } from '../src/store/cases.js';
import { openEmbedded } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { setPassword } from '../src/web/accounts.js';
import { webApp } from '../src/web/index.js';

const password = 'rätt-lösenord-123';

/** One sign-in as a browser posts it (the form's token and cookie fetched first, not timed); its time in ms. */
async function timedSignIn(app: FastifyInstance, unitId: string, anvandare: string, losenord: string, remoteAddress: string): Promise<number> {
  const form = await app.inject({ method: 'GET', url: '/logga-in', remoteAddress });
  const token = /name="_login" value="([^"]+)"/.exec(form.body)![1]!;
  const cookie = form.cookies.find((c) => c.name === 'arshjul_login')!.value;
  const start = performance.now();
  await app.inject({ method: 'POST', url: '/logga-in', remoteAddress, cookies: { arshjul_login: cookie }, payload: { enhet: unitId, anvandare, losenord, _login: token } });
  return performance.now() - start;
}

const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;

export async function signInBenchmark(): Promise<boolean> {
  console.log('Inloggning: 20 försök var, median (inject)');
  const db = await openEmbedded(await mkdtemp(path.join(os.tmpdir(), 'arshjul-bench-signin-')));
  await migrate(db);
  const unit = syntheticUnit({ households: 20, seed: 5 });
  await importCaseFile(db, unit, { fileName: 'bench', fileHash: 'bench', importedBy: 'bench', full: false, exportDate: '2027-01-04' });
  for (const staffId of ['ss-01', 'ss-02']) await setPassword(db, { unitId: unit.unit.id, staffId, password });
  // Sign-in needs no Temporal: a client that is never connected.
  const { app } = await webApp({ db, client: new Client(), taskQueue: 'bench', rulesDir, baseUrl: 'http://localhost' });
  const id = unit.unit.id;
  // Four addresses made to wait for ss-02 (four wrong passwords each), five sign-ins from each below the rate limit.
  for (let a = 1; a <= 4; a++) for (let i = 0; i < 4; i++) await timedSignIn(app, id, 'ss-02', 'fel', `10.7.0.${a}`);
  await timedSignIn(app, id, 'ss-01', 'fel', '10.4.0.1'); // the first sign-in of a process makes its dummy hash
  const groups: Record<string, number[]> = { 'fel lösenord': [], 'okänt konto': [], 'väntande adress': [] };
  for (let i = 0; i < 20; i++) {
    groups['fel lösenord']!.push(await timedSignIn(app, id, 'ss-01', 'fel', `10.6.${i}.1`));
    groups['okänt konto']!.push(await timedSignIn(app, id, 'okand-77', password, `10.5.${i}.1`));
    groups['väntande adress']!.push(await timedSignIn(app, id, 'ss-02', password, `10.7.0.${(i % 4) + 1}`));
  }
  await app.close();
  await db.close();
  const medians = Object.entries(groups).map(([name, ms]) => [name, median(ms)] as const);
  for (const [name, ms] of medians) console.log(`  ${name.padEnd(16)} ${ms.toFixed(0)} ms`);
  const spread = Math.max(...medians.map(([, ms]) => ms)) / Math.min(...medians.map(([, ms]) => ms)) - 1;
  console.log(`  skillnad         ${(spread * 100).toFixed(1)} % (target < 20 %)`);
  return spread < 0.2;
}
