// Acceptance: after the README's start command, the inbox, the dashboard and the rule view work in
// a real Chromium (Debian's, driven by playwright-core). A caseworker completes a task and the
// deputy head sees completion go up; another caseworker's task is refused (403); the wheel and the
// matrix show the same numbers as `arshjul tasks list`. Every page each role reaches passes axe-core's
// WCAG 2.1 A and AA rules and keeps to the screen at 1,400 and 390 px, in a sans-serif. Screenshots
// go to test-artifacts/.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Result } from 'axe-core';
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

/** A page of a role's day: an address (answering 200 unless told), the first link a selector finds on the page before, or something done on it (false: nothing to see). */
type Step = string | { path: string; status: number } | { first: string } | { act: (page: Page) => Promise<boolean> };
/** A role's day: who signs in (nobody: signed out, starting at the sign-in page), and the pages after the start page. */
interface Day { role: string; user?: string; steps: Step[] }

const axeScript = createRequire(import.meta.url).resolve('axe-core');
const wcag21aa = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const widths = [1400, 390];

/** A screenshot's name for a page: its address without the parts that vary (a task's reference, a report's version). */
function shotName(url: string): string {
  const parts = new URL(url).pathname.split('/').filter(Boolean);
  if (parts[0] === 'uppgifter') return 'uppgift';
  if (parts[0] === 'rapporter' && parts.length > 1) return 'rapport';
  if (parts[1] === 'granskning') return 'granskning';
  return parts.join('-');
}

describe('the web app in Chromium, after arshjul start', () => {
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let started: Started;
  let browser: Browser;
  let base: string;

  const tasksList = async (...args: string[]): Promise<ListedTask[]> =>
    JSON.parse((await run(process.execPath, [cli, 'tasks', 'list', '--unit', 'demo-eb', '--json', ...args], { env })).stdout) as ListedTask[];

  /** `bypassCSP`: so axe-core's script may run in pages whose policy allows none. */
  async function signIn(user: string, options: { bypassCSP?: boolean } = {}): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, bypassCSP: options.bypassCSP });
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

  /** Every role's day: the pages each reaches from its start page, signed out too. */
  async function days(): Promise<Day[]> {
    // The demo's socialsekreterare ss-01 and bidragshandläggare bh-01 when they have open tasks, else a colleague who has.
    const open = await tasksList('--state', 'open');
    const someone = (prefix: string) => (open.find((t) => t.assignee === `${prefix}01`) ?? open.find((t) => t.assignee?.startsWith(prefix)))!.assignee!;
    /** Marks the first tasks that can be marked together, up to the confirmation (not further). */
    const confirmBatch = async (page: Page) => {
      await page.goto(`${base}/inkorg`);
      const form = page.locator('main form', { has: page.getByRole('button', { name: /Markera valda som klara/ }) }).first();
      if ((await form.count()) === 0) return false;
      await form.locator('input[name="uppgift"]').first().check();
      if ((await form.locator('input[name="anteckning"]').count()) > 0) await form.locator('input[name="anteckning"]').fill('Kontrollerat.');
      await form.getByRole('button', { name: /Markera valda som klara/ }).click();
      await page.waitForLoadState();
      return true;
    };
    const caseworker: Step[] = [{ first: 'main table a' }, '/inkorg', { act: confirmBatch }, '/kalender', '/tillganglighet'];
    return [
      { role: 'utloggad', steps: ['/tillganglighet', { path: '/finns-inte', status: 404 }] },
      { role: 'socialsekreterare', user: someone('ss-'), steps: [...caseworker, { path: '/oversikt', status: 403 }] },
      { role: 'bidragshandlaggare', user: someone('bh-'), steps: caseworker },
      { role: 'administrativ-assistent', user: 'adm-01', steps: [{ act: confirmBatch }, '/kalender', '/regler', `/regler?manad=${year}-03`] },
      { role: 'bitradande-enhetschef', user: 'bec-01', steps: [
        `/oversikt/uppgifter?year=${year}&visa=overdue`, { first: 'main table.list a' }, `/oversikt/uppgifter?year=${year}&visa=open&sortera=assignee`,
        '/internkontroll', { first: 'main a[href^="/internkontroll/granskning/"]' }, `/internkontroll?year=${year + 1}`,
        '/rapporter', '/inkorg', '/nyckeltal', '/kalender',
      ] },
      { role: 'enhetschef', user: 'ec-01', steps: [
        '/rapporter', { first: 'main table a' }, '/nyckeltal', `/internkontroll?year=${year}`, `/internkontroll?year=${year + 1}`, '/kalender', `/oversikt?year=${year}`,
      ] },
    ];
  }

  /** Walks each role's day, calling `each` on the start page and on every page after it (with its status when it is a refusal). */
  async function walk(each: (page: Page, who: string, start: boolean, status?: number) => Promise<void>, options: { bypassCSP?: boolean } = {}) {
    for (const { role, user, steps } of await days()) {
      let page: Page;
      if (user) page = await signIn(user, options);
      else {
        page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, bypassCSP: options.bypassCSP });
        await page.goto(`${base}/logga-in`);
      }
      await each(page, role, true);
      for (const step of steps) {
        let status: number | undefined;
        if (typeof step === 'string' || 'path' in step) {
          const url = typeof step === 'string' ? step : step.path;
          status = typeof step === 'string' ? 200 : step.status;
          const response = await page.goto(`${base}${url}`);
          expect(response!.status(), `${role} ${url}`).toBe(status);
        } else if ('first' in step) {
          const link = page.locator(step.first).first();
          if ((await link.count()) === 0) continue;
          await link.click();
          await page.waitForLoadState();
        } else if (!(await step.act(page))) continue;
        await each(page, role, false, status);
      }
      await page.close();
    }
  }

  /**
   * One page at both widths: axe-core's WCAG 2.1 A and AA rules, no sideways scroll of the page, a
   * sans-serif body; screenshots when named. Each finding names the page, the width, and for axe the
   * rule, its impact and the elements.
   */
  async function audit(page: Page, where: string, shot?: string): Promise<{ problems: string[]; record: object[] }> {
    const problems: string[] = [];
    const record: object[] = [];
    for (const width of widths) {
      await page.setViewportSize({ width, height: 900 });
      if (shot) await page.screenshot({ path: path.join(artifacts, `${shot}-${width}.png`), fullPage: true });
      // In the page (expressions, as the test has no DOM types of its own).
      const layout = await page.evaluate<{ scrollWidth: number; innerWidth: number; font: string }>(
        '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, font: getComputedStyle(document.body).fontFamily })');
      if (layout.scrollWidth > layout.innerWidth) problems.push(`${where} @${width}: sidan rullar i sidled (${layout.scrollWidth} px > ${layout.innerWidth} px)`);
      const families = layout.font.split(',').map((f) => f.trim().replace(/^["']|["']$/g, '').toLowerCase());
      if (families[0]!.startsWith('times') || families.includes('serif')) problems.push(`${where} @${width}: typsnitt med serifer (${layout.font})`);
      if (!(await page.evaluate<boolean>("'axe' in window"))) await page.addScriptTag({ path: axeScript });
      const { violations, passes } = await page.evaluate<{ violations: (Pick<Result, 'id' | 'impact'> & { targets: string[] })[]; passes: number }>(
        `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(wcag21aa)} } }).then((results) => ({
          violations: results.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) })),
          passes: results.passes.length,
        }))`);
      for (const v of violations) problems.push(`${where} @${width}: ${v.id} (${v.impact ?? '–'}) ${v.targets.join(' | ')}`);
      record.push({ page: where, width, rulesPassed: passes, violations: violations.map((v) => v.id), scrollWidth: layout.scrollWidth, font: layout.font });
    }
    await page.setViewportSize({ width: 1280, height: 1000 });
    return { problems, record };
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
    // The way on: the next task and back to the inbox.
    expect(await caseworker.getByRole('link', { name: 'Tillbaka till inkorgen' }).count()).toBe(1);

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

  it('opens the deputy head\'s overview with what is late: the total, the controls and the people with most overdue, as tasks list --state overdue counts them', async () => {
    const overdue = await tasksList('--state', 'overdue');
    expect(overdue.length).toBeGreaterThan(0);
    const tally = (key: (t: ListedTask) => string) => overdue.reduce((m, t) => m.set(key(t), (m.get(key(t)) ?? 0) + 1), new Map<string, number>());
    const byControl = tally((t) => t.rule_id);
    const byPerson = tally((t) => t.assignee ?? '');
    const deputy = await signIn('bec-01');
    await deputy.goto(`${base}/oversikt`);
    const firstScreen = deputy.viewportSize()!.height;
    const section = deputy.locator('#forsenat');
    expect(Number(await section.getAttribute('data-total'))).toBe(overdue.length);
    expect(await section.locator('h2').innerText()).toContain(`${overdue.length.toLocaleString('sv-SE')} uppgifter`);
    for (const [table, recount] of [['forsenat-kontroller', byControl], ['forsenat-personer', byPerson]] as const) {
      const rows = deputy.locator(`#${table} tbody tr`);
      expect(await rows.count()).toBe(recount.size);
      const largest = [...recount.values()].sort((a, b) => b - a);
      for (let i = 0; i < Math.min(3, recount.size); i++) {
        const row = rows.nth(i);
        const key = (await row.getAttribute('data-key'))!;
        const shown = Number(await row.locator('td').innerText());
        // The i-th row is as large as the i-th largest of the recount, and is that row's own count.
        expect(shown, `${table} rad ${i + 1}`).toBe(recount.get(key));
        expect(shown).toBe(largest[i]);
        // On the first screen, without scrolling.
        const box = (await row.boundingBox())!;
        expect(box.y + box.height, `${table} rad ${i + 1} syns utan att rulla`).toBeLessThan(firstScreen);
      }
    }
    await deputy.screenshot({ path: path.join(artifacts, 'oversikt-forsta-skarmen.png') });
  });

  it('walks every role\'s daily work in Swedish: no English word, no staff or rule id where a name exists, no UTC time', async () => {
    const ruleIds = (await readRulePack(rulesDir)).rules.map((r) => r.rule.id);
    const english = /\b(created|completed|overdue|reminder|escalation|reassigned|cancelled|signed-off|not-applicable|reopened|undefined|null|NaN|Error|Task|Round|the|of|and)\b/;
    const staffId = /\b(ss|bh|bec|ec|adm)-\d{2}\b/;
    const utc = /\bUTC\b|\d{2}:\d{2}(:\d{2})?(\.\d+)?Z\b|\dT\d{2}:\d{2}/;
    const problems: string[] = [];
    await walk(async (page, who, start) => {
      // Each role's start page, as the person meets it.
      if (start) await page.screenshot({ path: path.join(artifacts, `start-${who}.png`), fullPage: true });
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
    });
    expect(problems).toEqual([]);
  }, 300_000);

  it('passes axe-core\'s WCAG 2.1 A and AA rules on every page each role reaches, and keeps every page to the screen in a sans-serif at 1,400 and 390 px', async () => {
    const problems: string[] = [];
    const record: object[] = [];
    const shot = new Set<string>();
    let pages = 0;
    await walk(async (page, who, start, status) => {
      const name = start ? `start-${who}` : status && status !== 200 ? `fel-${status}` : shotName(page.url());
      const first = !shot.has(name);
      shot.add(name);
      pages++;
      const url = new URL(page.url());
      const audited = await audit(page, `${who} ${url.pathname}${url.search}`, first ? name : undefined);
      problems.push(...audited.problems);
      record.push(...audited.record);
    }, { bypassCSP: true });
    // What axe-core found per page and width, kept with the screenshots.
    await writeFile(path.join(artifacts, 'axe.json'), `${JSON.stringify(record, null, 1)}\n`);
    // Every role's start page and day: the sign-in page and the statement, a task, a report, the batch confirmation, the overview.
    expect(pages).toBeGreaterThan(30);
    for (const name of ['start-utloggad', 'start-socialsekreterare', 'start-bidragshandlaggare', 'start-administrativ-assistent', 'start-bitradande-enhetschef', 'start-enhetschef',
      'uppgift', 'rapport', 'inkorg', 'inkorg-bekrafta', 'fel-403', 'fel-404', 'oversikt', 'oversikt-uppgifter', 'internkontroll', 'nyckeltal', 'rapporter', 'regler', 'kalender', 'tillganglighet']) {
      expect([...shot], name).toContain(name);
    }
    expect(problems).toEqual([]);
  }, 600_000);

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
