// Acceptance: the report's PDF opens (pdftoppm renders its pages) and its figures equal the CSV's
// and the store's; `arshjul report` makes a stored version again from the store as it was.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { answerReview } from '../../src/internkontroll/reviews.js';
import { takeSample } from '../../src/internkontroll/samples.js';
import { loadConfig } from '../../src/platform/config.js';
import { projectRoot, rulesDir } from '../../src/platform/paths.js';
import { plan } from '../../src/planner/plan.js';
import { count, percentNumber } from '../../src/reports/format.js';
import { measure } from '../../src/reports/measure.js';
import { parseReportPeriod } from '../../src/reports/period.js';
import { renderReport, storedReports, storeReportVersion, type StoredReport } from '../../src/reports/tertialReport.js';
import { readRulePack } from '../../src/rules/files.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { openStore } from '../../src/store/open.js';
import { recordPack } from '../../src/store/rulePacks.js';
import { insertTasks } from '../../src/store/tasks.js';
import { completeTask } from '../../src/tasks/lifecycle.js';
import { cli, run } from '../helpers/arshjul.js';

const unit = syntheticUnit({ households: 120, seed: 5 });
const unitId = unit.unit.id;
const t1 = parseReportPeriod('2027-T1');
const asOf = '2027-05-03T04:30:00.000Z';
const artifacts = path.join(projectRoot, 'test-artifacts');

/** CSV rows as objects, keyed by the header: read as a spreadsheet would, by a real CSV parser. */
function parseCsv(text: string): Record<string, string>[] {
  return parse<Record<string, string>>(text, { columns: true, delimiter: ';', bom: true });
}

describe('the tertial report as documents', () => {
  let dataDir: string;
  let db: Db;
  let stored: StoredReport;
  let csv: Record<string, string>[];
  let pdfText: string;
  let pages: string[];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-report-'));
    db = await openStore(loadConfig({ ARSHJUL_DATA_DIR: dataDir }));
    await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-01-01' });
    const pack = await readRulePack(rulesDir);
    const tasks = plan({ caseFile: unit, pack, from: '2027-01', to: '2027-04' }).filter((t) => t.caseId !== null);
    // Made before any of them is done: January's first work-plan follow-ups fall due on 30 December.
    await db.transaction(async (tx) => {
      await recordPack(tx, pack);
      await insertTasks(tx, tasks, '2026-12-01T00:00:00Z');
    });
    // Every other task is done on its due day; two more after the report was made.
    for (const task of tasks.filter((_, i) => i % 2 === 0)) {
      const rule = pack.rules.find((r) => r.rule.id === task.ruleId)!.rule;
      await completeTask(db, { taskId: task.taskId, outcome: rule.completion.outcomes[0]!.id, note: 'anteckning', actor: task.assignee!, at: `${task.dueOn}T10:00:00Z` });
    }
    // An internal-control sample in February, one case reviewed with a deviation.
    const ikPlan = pack.plans.find((p) => p.plan.year === 2027)!.plan;
    const { sample } = await takeSample(db, { unitId, plan: ikPlan, controlId: 'payout-sample', period: '2027-02', takenOn: '2027-02-01', takenAt: '2027-02-01T05:30:00Z' });
    const [review] = await db.query<{ id: string }>('SELECT id FROM ik_reviews WHERE sample_id = $1 ORDER BY id LIMIT 1', [sample.id]);
    const checklist = ikPlan.risks.flatMap((r) => r.controls).find((c) => c.id === 'payout-sample')!.checklist;
    await answerReview(db, { reviewId: review!.id, answers: checklist.map((_, i) => (i === 0 ? { verdict: 'deviation', note: 'fel delegat' } : { verdict: 'ok' })), by: 'bec-01', at: '2027-02-10T09:00:00Z', checklist });

    await storeReportVersion(db, { unitId, period: t1, version: 1, asOf, at: asOf });
    stored = (await storedReports(db, unitId, t1.id))[0]!;
    csv = parseCsv(stored.csv);
    // As Swedish Excel opens it (the file written below has the byte order mark): semicolons, Swedish decimals, å, ä and ö intact.
    expect(stored.csv.startsWith('avsnitt;id;namn;period;mått;värde;enhet\n')).toBe(true);
    expect(csv.find((r) => r.id === 'households-on-assistance' && r.mått === 'värde')).toMatchObject({ namn: 'Hushåll med ekonomiskt bistånd', enhet: 'hushåll' });
    expect(csv.find((r) => r.avsnitt === 'årshjulet' && r.id === 'alla')!.värde).toMatch(/^\d+,\d$/);

    await mkdir(artifacts, { recursive: true });
    const pdfFile = path.join(artifacts, 'tertialrapport-2027-T1.pdf');
    await writeFile(pdfFile, stored.pdf!);
    execFileSync('pdftoppm', ['-png', '-r', '50', pdfFile, path.join(artifacts, 'tertialrapport-2027-T1')]);
    pages = (await readdir(artifacts)).filter((f) => f.startsWith('tertialrapport-2027-T1') && f.endsWith('.png'));
    pdfText = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });

    // After the report: more work is done, which must not change the report of then.
    const open = tasks.filter((_, i) => i % 2 === 1).slice(0, 2);
    for (const task of open) {
      const rule = pack.rules.find((r) => r.rule.id === task.ruleId)!.rule;
      await completeTask(db, { taskId: task.taskId, outcome: rule.completion.outcomes[0]!.id, note: 'sent', actor: task.assignee!, at: '2027-05-10T10:00:00Z' });
    }
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it('renders a PDF that pdftoppm opens', () => {
    expect(Buffer.from(stored.pdf!).subarray(0, 5).toString()).toBe('%PDF-');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pdfText).toContain('Tertialrapport 1 2027');
  });

  it('has indicator values in the PDF equal to the CSV and to the store', async () => {
    const indicators = (await readRulePack(rulesDir)).indicators.filter((i) => i.indicator.periodicity === 'tertial');
    expect(indicators.length).toBeGreaterThan(0);
    for (const { indicator } of indicators) {
      const fromStore = await measure(db, { unitId, measure: indicator.measure, from: t1.from, to: t1.to, asOf });
      const rate = indicator.measure.endsWith('Rate') || indicator.measure.endsWith('Share');
      const row = csv.find((r) => r.avsnitt === 'nyckeltal' && r.id === indicator.id && r.mått === 'värde')!;
      expect(row.värde).toBe(fromStore === null ? 'ej inrapporterat' : rate ? percentNumber(fromStore) : count(fromStore));
      const lines = pdfText.split('\n').filter((l) => l.includes(indicator.title));
      // A narrow PDF column may break "ej inrapporterat" at its end.
      const shown = fromStore === null ? 'ej inrapport' : rate ? `${row.värde} %` : row.värde!;
      expect(lines.some((l) => new RegExp(`(^|\\s)${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${fromStore === null ? '' : '(\\s|$)'}`).test(l)), `${indicator.id}: ${lines.join(' | ')}`).toBe(true);
    }
  });

  it('has the årshjul\'s completion in the PDF equal to the CSV and to the tasks in the store', async () => {
    // Nothing happened between the report and now except the two later completions, left out here.
    const [{ total, done }] = (await db.query<{ total: number; done: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE state = 'completed' AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.task_id AND e.at > $1::timestamptz))::int AS done
       FROM tasks t WHERE unit_id = $2 AND period BETWEEN '2027-01' AND '2027-04' AND state <> 'cancelled'`,
      [asOf, unitId],
    )) as [{ total: number; done: number }];
    const share = csv.find((r) => r.avsnitt === 'årshjulet' && r.id === 'alla')!.värde;
    expect(share).toBe(percentNumber(done / total));
    expect(pdfText).toContain(`Årshjulets kontroller: ${share} % klara`);
    // Per control and month: the CSV's done and total are the store's counts.
    const perMonth = await db.query<{ rule_id: string; month: string; total: number; done: number }>(
      `SELECT rule_id, period AS month, count(*)::int AS total,
              count(*) FILTER (WHERE state = 'completed' AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.task_id AND e.at > $1::timestamptz))::int AS done
       FROM tasks t WHERE unit_id = $2 AND period BETWEEN '2027-01' AND '2027-04' GROUP BY 1, 2 ORDER BY 1, 2`,
      [asOf, unitId],
    );
    expect(perMonth.length).toBeGreaterThan(3);
    for (const m of perMonth) {
      const cell = (measureName: string) => csv.find((r) => r.avsnitt === 'årshjulet' && r.id === m.rule_id && r.period === m.month && r.mått === measureName)!.värde;
      expect([cell('klara'), cell('totalt')]).toEqual([count(m.done), count(m.total)]);
    }
  });

  it('has the internal control\'s deviations in the CSV and the PDF', () => {
    const rows = csv.filter((r) => r.avsnitt === 'internkontroll' && r.id === 'payout-sample');
    expect(Object.fromEntries(rows.map((r) => [r.mått, r.värde]))).toMatchObject({ granskade: '1', avvikelser: '1', avvikelsegrad: '100,0', 'öppna rättelser': '1' });
    // Samples, cases, reviewed 1, deviations 1, rate, open corrective actions 1 (the title may wrap around them).
    expect(pdfText.replace(/\s+/g, ' ')).toMatch(/Stickprov av (utbetalningar )?\d+ \d+ 1 1 100,0 % 1/);
  });

  it('makes the same figures again from the store as it was, whatever happened since', async () => {
    const again = await renderReport(db, { unitId, period: t1, asOf: stored.asOf, version: 1 });
    expect(again.csv).toBe(stored.csv);
    const now = await renderReport(db, { unitId, period: t1, asOf: '2027-05-11T00:00:00Z', version: 1 });
    expect(now.csv).not.toBe(stored.csv);
  });

  it('`arshjul report` writes the stored version again and says the figures are the same', async () => {
    await db.close();
    const out = path.join(dataDir, 'ut');
    const { stdout } = await run(process.execPath, [cli, 'report', '--unit', unitId, '--period', '2027-T1', '--out', out], { env: { ...process.env, ARSHJUL_DATA_DIR: dataDir } });
    expect(stdout).toContain('Tertialrapport 1 2027 för demo-eb, version 1');
    expect(stdout).toContain('Samma siffror som den sparade versionen.');
    expect(stdout).toMatch(/Årshjulets siffror i den sparade versionen stämmer med en omräkning ur uppgifternas händelser \(\d+ klara av \d+ uppgifter\)\./);
    const written = await readFile(path.join(out, 'rapport.csv'));
    expect(written.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(parseCsv(written.toString('utf8'))).toEqual(csv);
    expect((await readFile(path.join(out, 'rapport.pdf'))).subarray(0, 5).toString()).toBe('%PDF-');
    db = await openStore(loadConfig({ ARSHJUL_DATA_DIR: dataDir }));
  });
});
