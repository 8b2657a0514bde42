// Acceptance: after the README's start command, the inbox, the dashboard and the rule view work in
// a real Chromium (Debian's, driven by playwright-core). A caseworker completes a task and the
// deputy head sees completion go up; another caseworker's task is refused (403); the wheel and the
// matrix show the same numbers as `arshjul tasks list`. Screenshots go to test-artifacts/.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../../src/calendar/businessDays.js';
import { projectRoot } from '../../src/platform/paths.js';
import { cli, interrupt, run, startArshjul, type Started } from '../helpers/arshjul.js';
import { freePort } from '../helpers/ports.js';

const artifacts = path.join(projectRoot, 'test-artifacts');
const year = Number(today().slice(0, 4));
const month = today().slice(0, 7);

interface ListedTask { task_id: string; ref: string; rule_id: string; assignee: string | null; state: string }

describe('the web app in Chromium, after arshjul start', () => {
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let started: Started;
  let browser: Browser;
  let base: string;

  const tasksList = async (...args: string[]): Promise<ListedTask[]> =>
    JSON.parse((await run(process.execPath, [cli, 'tasks', 'list', '--unit', 'demo-eb', '--json', ...args], { env })).stdout) as ListedTask[];

  async function signIn(user: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${base}/logga-in`);
    await page.getByLabel('Användar-id').fill(user);
    await page.getByLabel('Lösenord').fill('arshjul-demo');
    await page.getByRole('button', { name: 'Logga in' }).click();
    return page;
  }

  /** The matrix's cells of this month: rule id → [done, total]. */
  async function matrix(page: Page): Promise<Map<string, [number, number]>> {
    await page.goto(`${base}/oversikt?year=${year}`);
    const column = Number(month.slice(5, 7));
    const cells = new Map<string, [number, number]>();
    for (const row of await page.locator('#matris tbody tr').all()) {
      const link = row.locator('td').nth(column - 1).locator('a');
      if ((await link.count()) === 0) continue;
      cells.set((await row.getAttribute('data-rule'))!, (await link.textContent())!.split('/').map(Number) as [number, number]);
    }
    return cells;
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-web-'));
    const webPort = await freePort();
    env = {
      ...process.env, ARSHJUL_DATA_DIR: dataDir, ARSHJUL_TEMPORAL_PORT: String(await freePort()), ARSHJUL_TEMPORAL_UI_PORT: String(await freePort()),
      ARSHJUL_WEB_PORT: String(webPort), TEMPORAL_ADDRESS: '', DATABASE_URL: '',
    };
    base = `http://127.0.0.1:${webPort}`;
    // A first start loads the demo unit and sweeps the month's first business day.
    started = await startArshjul(env);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    await mkdir(artifacts, { recursive: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    if (started) await interrupt(started);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints where the web app is', () => {
    expect(started.output()).toContain(`Årshjul i webbläsaren: ${base}/`);
  });

  it('lets a caseworker complete a task, and the deputy head sees completion go up', async () => {
    const deputy = await signIn('bec-01');
    const before = await matrix(deputy);

    // A caseworker with an open task this month (whoever the demo's first sweep gave one).
    const someone = (await tasksList('--state', 'open', '--period', month)).find((t) => /^(ss|bh)-/.test(t.assignee ?? ''))!.assignee!;
    const caseworker = await signIn(someone);
    expect(new URL(caseworker.url()).pathname).toBe('/inkorg');
    await caseworker.screenshot({ path: path.join(artifacts, 'inkorg.png'), fullPage: true });
    const link = caseworker.locator('main table a').first();
    const href = (await link.getAttribute('href'))!;
    // The address carries the task's opaque reference, never its id (which names a case).
    const ref = href.replace('/uppgifter/', '');
    expect(ref).toMatch(/^[0-9a-f-]{36}$/);
    const { task_id: taskId, rule_id: ruleId } = (await tasksList('--assignee', someone)).find((t) => t.ref === ref)!;
    await link.click();
    await caseworker.getByLabel(/^Anteckning/).fill('Kontrollerat i webben.');
    await caseworker.getByRole('button', { name: 'Klar', exact: true }).click();
    await expect.poll(() => caseworker.locator('p.ok').textContent()).toMatch(/Uppgiften är klar/);

    const after = await matrix(deputy);
    const [doneBefore, total] = before.get(ruleId)!;
    expect(after.get(ruleId)).toEqual([doneBefore + 1, total]);
    await deputy.screenshot({ path: path.join(artifacts, 'oversikt.png'), fullPage: true });
    expect((await tasksList('--rule', ruleId, '--period', month)).find((t) => t.task_id === taskId)?.state).toBe('completed');
  });

  it('refuses a caseworker another caseworker\'s task, page and API (403)', async () => {
    // Another socialsekreterare's open task, whoever has one in the month the demo starts in.
    const other = (await tasksList('--state', 'open')).find((t) => t.assignee?.startsWith('ss-') && t.assignee !== 'ss-01');
    expect(other).toBeDefined();
    const caseworker = await signIn('ss-01');
    const response = await caseworker.goto(`${base}/uppgifter/${other!.ref}`);
    expect(response!.status()).toBe(403);
    expect((await caseworker.request.get(`${base}/api/tasks/${other!.ref}`)).status()).toBe(403);
    // Nor the dashboard, which is the deputy heads'.
    expect((await caseworker.goto(`${base}/oversikt`))!.status()).toBe(403);
  });

  it('shows the same numbers in the wheel and the matrix as arshjul tasks list', async () => {
    const listed = (await tasksList('--period', month)).filter((t) => t.state !== 'cancelled');
    const expected = new Map<string, [number, number]>();
    for (const t of listed) {
      const [done, total] = expected.get(t.rule_id) ?? [0, 0];
      expected.set(t.rule_id, [done + (t.state === 'completed' || t.state === 'not-applicable' ? 1 : 0), total + 1]);
    }
    const deputy = await signIn('bec-01');
    expect(await matrix(deputy)).toEqual(expected);
    // The wheel's segments of the month say "<month>, <control>: D av T klara, …".
    const titles = new Map<string, string>();
    for (const row of await deputy.locator('#matris tbody tr').all()) titles.set((await row.locator('th').textContent())!, (await row.getAttribute('data-rule'))!);
    const segments = await deputy.locator('figure svg path title').allTextContents();
    const wheel = new Map<string, [number, number]>();
    for (const text of segments) {
      const match = /^([a-zåäö]+), (.+): (\d+) av (\d+) klara/.exec(text);
      if (match && match[1] === ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'][Number(month.slice(5, 7)) - 1]) {
        wheel.set(titles.get(match[2]!)!, [Number(match[3]), Number(match[4])]);
      }
    }
    expect(wheel).toEqual(expected);
  });

  it('shows the admin the rule pack in Swedish, with a dry run of the month', async () => {
    const admin = await signIn('adm-01');
    expect(new URL(admin.url()).pathname).toBe('/regler');
    await expect.poll(() => admin.locator('p.ok').textContent()).toMatch(/regler, giltiga/);
    const row = admin.locator('#regel-infotorg-check-jan');
    await expect.poll(() => row.textContent()).toMatch(/En uppgift per ärende i januari/);
    await admin.screenshot({ path: path.join(artifacts, 'regler.png') });
  });
});
