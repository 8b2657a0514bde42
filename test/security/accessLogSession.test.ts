// Acceptance (issue 26, access log): after a deputy head's session in Chromium that opens the
// working view, searches a case, opens two tasks and downloads a CSV, the access log holds exactly
// those accesses and nothing else: the sign-in, each view with the person, the cases it showed and
// the search that named them, one session tag (not the cookie) and the address; the chain holds.
// The app runs in this process over a real store and Temporal (test/helpers/web.ts), on a port of
// its own, so the browser reaches it as a person's would.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAccess, verifyAccessLog } from '../../src/accessLog/log.js';
import { today } from '../../src/calendar/businessDays.js';
import { projectRoot } from '../../src/platform/paths.js';
import type { PlannedTask } from '../../src/planner/plan.js';
import { freePort } from '../helpers/ports.js';
import { unit, webFixture, type WebFixture } from '../helpers/web.js';

const month = today().slice(0, 7);
const year = month.slice(0, 4);
const caseIds = new Set(unit.cases.map((c) => c.caseId));

describe('the access log after a browser session', () => {
  let web: WebFixture;
  let browser: Browser;
  let base: string;
  /** A control of the month with at least two case tasks: its cell in the matrix leads to them. */
  let rule: string;

  beforeAll(async () => {
    web = await webFixture('access-log-session', (tasks: PlannedTask[]) => {
      const perRule = new Map<string, number>();
      for (const t of tasks) if (t.caseId !== null) perRule.set(t.ruleId, (perRule.get(t.ruleId) ?? 0) + 1);
      rule = [...perRule].find(([, n]) => n >= 2)![0];
      return ['bec-01'];
    });
    const port = await freePort();
    await web.app.listen({ host: '127.0.0.1', port });
    base = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  /** The case ids a working view's rows show. */
  const shownCases = async (page: import('playwright-core').Page) =>
    (await page.locator('main table.list tbody tr td:nth-child(2)').allTextContents()).map((t) => t.trim()).filter((t) => caseIds.has(t));

  it('holds exactly the sign-in, the working view, the case search, the tasks opened and the CSV, with person, cases and session', async () => {
    expect((await searchAccess(web.db, { unitId: unit.unit.id, limit: 10 })).total).toBe(0);
    const page = await browser.newPage();
    await page.goto(`${base}/logga-in`);
    await page.getByLabel('Användar-id').fill('bec-01');
    await page.getByLabel('Lösenord').fill('rätt-lösenord-123');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL(`${base}/oversikt`);

    // The control's cell of the month in the matrix: the working view with its tasks.
    await page.locator(`#matris tr[data-rule="${rule}"] td a`).first().click();
    await page.waitForURL(/\/oversikt\/uppgifter\?/);
    const listed = await shownCases(page);
    expect(listed.length).toBeGreaterThanOrEqual(2);
    const links = page.locator('main table.list tbody tr td:nth-child(2) a');
    const second = { caseId: (await links.nth(1).textContent())!.trim(), href: (await links.nth(1).getAttribute('href'))! };

    // A search for one case, and its task opened from the result.
    const searched = listed[0]!;
    await page.getByRole('searchbox', { name: 'Ärende' }).fill(searched);
    await page.getByRole('button', { name: 'Visa', exact: true }).click();
    await page.waitForURL(/arende=/);
    const found = await shownCases(page);
    expect(found).toContain(searched);
    await page.locator('main table.list tbody tr td:nth-child(2) a', { hasText: searched }).first().click();
    await page.waitForURL(/\/uppgifter\/[^/?]+$/);
    // And another task of the list, opened by its address.
    await page.goto(`${base}${second.href}`);
    expect(await page.locator('main').textContent()).toContain(second.caseId);

    // Back to the overview by the menu, and its CSV.
    await page.getByRole('link', { name: 'Årshjulet', exact: true }).click();
    await page.waitForURL(`${base}/oversikt`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Ladda ner CSV', exact: true }).click()]);
    expect(download.suggestedFilename()).toBe(`arshjulet-${year}.csv`);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'arshjul_session')!.value;
    await page.close();

    const { records, total } = await searchAccess(web.db, { unitId: unit.unit.id, limit: 100 });
    const log = [...records].reverse();
    expect(log.map((r) => ({ view: r.view, staffId: r.staffId, caseIds: r.caseIds }))).toEqual([
      { view: 'sign-in', staffId: 'bec-01', caseIds: [] },
      { view: 'working-view', staffId: 'bec-01', caseIds: [...new Set(listed)].sort() },
      { view: 'working-view', staffId: 'bec-01', caseIds: [...new Set(found)].sort() },
      { view: 'task', staffId: 'bec-01', caseIds: [searched] },
      { view: 'task', staffId: 'bec-01', caseIds: [second.caseId] },
      { view: 'overview-csv', staffId: 'bec-01', caseIds: [] },
    ]);
    expect(total).toBe(6);
    // The searches as they were made.
    expect(log[0]!.query).toBe('lösenord');
    expect(log[1]!.query).toContain(`kontroll=${rule}; månad=${month}`);
    expect(log[2]!.query).toContain(`ärende=${searched}`);
    expect(log[5]!.query).toBe(`år=${year}`);
    // One session, named by a tag that is neither the cookie nor the sessions table's key; from the browser's address.
    const tags = new Set(log.map((r) => r.session));
    expect(tags.size).toBe(1);
    const [tag] = [...tags] as [string];
    expect(tag).toMatch(/^[0-9a-f]{32}$/);
    expect([cookie, createHash('sha256').update(cookie).digest('hex')]).not.toContain(tag);
    expect(new Set(log.map((r) => r.address))).toEqual(new Set(['127.0.0.1']));
    expect(await verifyAccessLog(web.db, unit.unit.id)).toEqual([expect.objectContaining({ ok: true, count: 6 })]);
  });

  it('shows the deputy head the log from the menu, searchable by person, passing axe-core\'s WCAG 2.1 A and AA rules at 1,400 and 390 px (screenshots in test-artifacts/)', async () => {
    // bypassCSP: so axe-core's script may run in a page whose policy allows none.
    const page = await browser.newPage({ bypassCSP: true });
    await page.goto(`${base}/logga-in`);
    await page.getByLabel('Användar-id').fill('bec-01');
    await page.getByLabel('Lösenord').fill('rätt-lösenord-123');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('link', { name: 'Åtkomstlogg', exact: true }).click();
    await page.getByLabel('Person').selectOption('bec-01');
    await page.getByRole('button', { name: 'Sök', exact: true }).click();
    await page.waitForURL(/person=bec-01/);
    const table = page.getByRole('table', { name: 'Poster, senaste först' });
    // This reading first, then the sign-ins and the first test's accesses, all bec-01's.
    await expect.poll(() => table.locator('tbody tr').count()).toBe(9);
    expect(await table.locator('tbody tr').first().locator('td').nth(3).textContent()).toBe('Åtkomstloggen');
    const problems: string[] = [];
    await mkdir(path.join(projectRoot, 'test-artifacts'), { recursive: true });
    for (const width of [1400, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: path.join(projectRoot, 'test-artifacts', `logg-${width}.png`), fullPage: true });
      const layout = await page.evaluate<{ scrollWidth: number; innerWidth: number; font: string }>(
        '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, font: getComputedStyle(document.body).fontFamily })');
      if (layout.scrollWidth > layout.innerWidth) problems.push(`@${width}: sidan rullar i sidled`);
      if (!layout.font.includes('sans-serif')) problems.push(`@${width}: typsnitt ${layout.font}`);
      if (!(await page.evaluate<boolean>("'axe' in window"))) await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core') });
      const violations = await page.evaluate<string[]>(
        "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations.map((v) => v.id + ' ' + v.nodes.map((n) => n.target.join(' ')).join(' | ')))");
      problems.push(...violations.map((v) => `@${width}: ${v}`));
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});
