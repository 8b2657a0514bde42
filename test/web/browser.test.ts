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
import { projectRoot, rulesDir } from '../../src/platform/paths.js';
import { readRulePack } from '../../src/rules/files.js';
import { cli, interrupt, run, startArshjul, type Started } from '../helpers/arshjul.js';
import { freePort } from '../helpers/ports.js';

const artifacts = path.join(projectRoot, 'test-artifacts');
const year = Number(today().slice(0, 4));
const month = today().slice(0, 7);

interface ListedTask { task_id: string; ref: string; rule_id: string; period: string; assignee: string | null; state: string; due_on: string }

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

  /** The matrix's cells of a month (this one unless told): rule id → [done, total]. */
  async function matrix(page: Page, of = month): Promise<Map<string, [number, number]>> {
    await page.goto(`${base}/oversikt?year=${of.slice(0, 4)}`);
    const column = Number(of.slice(5, 7));
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
    // The inbox's first task may be a late one of an earlier month: the matrix of its month.
    const { task_id: taskId, rule_id: ruleId, period } = (await tasksList('--assignee', someone)).find((t) => t.ref === ref)!;
    const before = await matrix(deputy, period);
    await link.click();
    await caseworker.getByLabel(/^Anteckning/).fill('Kontrollerat i webben.');
    await caseworker.getByRole('button', { name: 'Klar', exact: true }).click();
    await expect.poll(() => caseworker.locator('p.ok').textContent()).toMatch(/Uppgiften är klar/);

    const after = await matrix(deputy, period);
    const [doneBefore, total] = before.get(ruleId)!;
    expect(after.get(ruleId)).toEqual([doneBefore + 1, total]);
    await deputy.screenshot({ path: path.join(artifacts, 'oversikt.png'), fullPage: true });
    expect((await tasksList('--rule', ruleId, '--period', period)).find((t) => t.task_id === taskId)?.state).toBe('completed');
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

  it('shows the deputy head a year that has happened: done tasks in every past month, late ones, and a finished tertial report', async () => {
    expect(started.output()).toMatch(/Demoåret: \d+ bankdagar/);
    const deputy = await signIn('bec-01');
    await deputy.goto(`${base}/oversikt?year=${year}`);
    const thisMonth = Number(month.slice(5, 7));
    for (let m = 1; m < thisMonth; m++) {
      const cells = await deputy.locator(`#matris tbody tr td:nth-of-type(${m}) a`).allTextContents();
      const done = cells.reduce((sum, text) => sum + Number(text.split('/')[0]), 0);
      expect(done, `klara i månad ${m}`).toBeGreaterThan(0);
    }
    expect(await deputy.locator('#matris .overdue').count()).toBeGreaterThan(0);
    // Late as `tasks list` has them: open past their due day.
    expect((await tasksList('--state', 'open')).filter((t) => t.due_on < today()).length).toBeGreaterThan(0);
    await deputy.goto(`${base}/rapporter`);
    const finished = deputy.locator('table tbody tr', { hasText: `Tertialrapport ${thisMonth > 9 ? 2 : 1} ${year}` });
    // Its first version (figures to date), the one with the analysis, and the final one.
    expect(await finished.count()).toBe(3);
    expect((await finished.allTextContents()).filter((row) => row.includes('skriven'))).toHaveLength(2);
  });

  it('walks every role\'s daily work in Swedish: no English word, no staff or rule id where a name exists, no UTC time', async () => {
    const ruleIds = (await readRulePack(rulesDir)).rules.map((r) => r.rule.id);
    const english = /\b(created|completed|overdue|reminder|escalation|reassigned|cancelled|signed-off|not-applicable|reopened|undefined|null|NaN|Error|Task|Round|the|of|and)\b/;
    const staffId = /\b(ss|bh|bec|ec|adm)-\d{2}\b/;
    const utc = /\bUTC\b|\d{2}:\d{2}(:\d{2})?(\.\d+)?Z\b|\dT\d{2}:\d{2}/;
    const problems: string[] = [];
    const look = async (page: Page, who: string) => {
      const text = await page.locator('body').innerText();
      const where = `${who} ${new URL(page.url()).pathname}`;
      for (const [name, pattern] of [['engelska', english], ['personal-id', staffId], ['UTC', utc]] as const) {
        const found = pattern.exec(text);
        if (found) problems.push(`${where}: ${name} "${found[0]}" i ”${text.slice(Math.max(0, found.index - 40), found.index + 40).replace(/\s+/g, ' ')}”`);
      }
      // Control names, not rule ids (the admin's rule pages name the files they edit).
      if (!new URL(page.url()).pathname.startsWith('/regler')) {
        const id = ruleIds.find((r) => new RegExp(`(^|\\s|\\()${r}(\\s|\\)|$)`).test(text));
        if (id) problems.push(`${where}: regel-id ${id}`);
      }
    };
    const visit = async (page: Page, who: string, url: string) => {
      const response = await page.goto(`${base}${url}`);
      expect(response!.status(), `${who} ${url}`).toBe(200);
      await look(page, who);
    };
    const openFirst = async (page: Page, who: string, selector: string) => {
      const link = page.locator(selector).first();
      if ((await link.count()) === 0) return;
      await link.click();
      await look(page, who);
    };
    const someone = (prefix: string) => tasksList('--state', 'open').then((tasks) => tasks.find((t) => t.assignee?.startsWith(prefix))!.assignee!);
    const roles: [string, string, (page: Page, who: string) => Promise<void>][] = [
      ['socialsekreterare', await someone('ss-'), async (page, who) => { await openFirst(page, who, 'main table a'); await visit(page, who, '/kalender'); }],
      ['bidragshandlaggare', await someone('bh-'), async (page, who) => { await openFirst(page, who, 'main table a'); await visit(page, who, '/kalender'); }],
      ['administrativ-assistent', 'adm-01', async (page, who) => { await visit(page, who, '/kalender'); await visit(page, who, '/regler'); }],
      ['bitradande-enhetschef', 'bec-01', async (page, who) => {
        await visit(page, who, `/oversikt/uppgifter?year=${year}&visa=overdue`);
        await openFirst(page, who, 'main table.list a');
        await visit(page, who, '/internkontroll');
        await visit(page, who, '/rapporter');
        await visit(page, who, '/inkorg');
      }],
      ['enhetschef', 'ec-01', async (page, who) => {
        await visit(page, who, '/rapporter');
        await openFirst(page, who, 'main table a');
        await visit(page, who, '/nyckeltal');
        await visit(page, who, `/internkontroll?year=${year + 1}`);
      }],
    ];
    for (const [role, user, daily] of roles) {
      const page = await signIn(user);
      // Each role's start page, as the person meets it.
      await page.screenshot({ path: path.join(artifacts, `start-${role}.png`), fullPage: true });
      await look(page, role);
      await daily(page, role);
      await page.close();
    }
    expect(problems).toEqual([]);
  });

  it('gives the administrativ assistent an inbox, and the admin the rule pack in Swedish with a dry run of the month', async () => {
    const admin = await signIn('adm-01');
    expect(new URL(admin.url()).pathname).toBe('/inkorg');
    await admin.getByRole('link', { name: 'Regler' }).click();
    await expect.poll(() => admin.locator('p.ok').textContent()).toMatch(/regler, giltiga/);
    const row = admin.locator('#regel-infotorg-check-jan');
    await expect.poll(() => row.textContent()).toMatch(/En uppgift per ärende i januari/);
    await admin.screenshot({ path: path.join(artifacts, 'regler.png') });
  });
});
