// Acceptance: on the time-skipping server, a year gives T1, T2 and the annual report. A tertial
// report is written inside its tertial (figures to date and a forecast), waits for the unit head's
// analysis (a task with reminders) and is delivered by the units' 2/4 and 2/8; the final figures
// follow as a later version when the tertial has closed. Each version with the analysis is mailed
// to the unit head and the deputy heads as a link.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnTask } from '../../activities/taskAction.js';
import { stockholmIso, stockholmTime } from '../../src/calendar/businessDays.js';
import { takeSteps } from '../../src/cycle/steps.js';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { outboxDir } from '../../src/platform/mail.js';
import { rulesDir } from '../../src/platform/paths.js';
import { ensureReports } from '../../src/platform/schedules.js';
import { workflowIds } from '../../src/platform/workflowIds.js';
import { ensureSearchAttributes } from '../../src/platform/searchAttributes.js';
import { plan } from '../../src/planner/plan.js';
import { readRulePack } from '../../src/rules/files.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { recordPack } from '../../src/store/rulePacks.js';
import { insertTasks } from '../../src/store/tasks.js';
import { recountFromEvents } from '../../src/reports/eventRecount.js';
import type { ReportFigures } from '../../src/reports/figures.js';
import { parseReportPeriod } from '../../src/reports/period.js';
import { compareWithRecount, describeDifference } from '../../src/reports/recount.js';
import type { tertialReport } from '../../workflows/index.js';
import { runCycleWorker, testConfig } from '../helpers/cycle.js';
import { freshStore } from '../helpers/store.js';
import { timeSkippingEnvironment } from '../helpers/temporal.js';

const unit = syntheticUnit({ households: 150, seed: 8 });
const unitId = unit.unit.id;
const queue = 'reports';

interface Seen {
  period: string;
  /** What the store held while the report waited, just before the unit head wrote the analysis. */
  versionsWhileWaiting: number[];
  taskWhileWaiting: { state: string; due_on: string; events: string[] };
}

describe('a year of tertial reports on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let db: Db;
  let stopWorker: (() => Promise<void>) | undefined;
  const seen: Seen[] = [];
  const local = (column: string) => `to_char(${column} AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD HH24:MI')`;

  /**
   * While the report waits: that morning's steps (as the day's sweep takes them) and what is stored;
   * then the unit head completes the analysis task in the store, and the report hears of it.
   */
  async function writeAnalysis(period: string, ruleId: string, month: string, at: string) {
    await env.sleep(stockholmTime(at, 6) - (await env.currentTimeMs()));
    await takeSteps(db, { unitId, date: at, at: stockholmIso(at, 6) });
    await env.sleep(stockholmTime(at, 10) - (await env.currentTimeMs()));
    const taskId = `${unitId}:${ruleId}:${month}:unit`;
    const versions = await db.query<{ version: number }>('SELECT version FROM reports WHERE period = $1 ORDER BY version', [period]);
    const [task] = await db.query<{ state: string; due_on: string }>('SELECT state, due_on FROM tasks WHERE task_id = $1', [taskId]);
    const events = await db.query<{ kind: string }>('SELECT kind FROM task_events WHERE task_id = $1 ORDER BY id', [taskId]);
    seen.push({ period, versionsWhileWaiting: versions.map((v) => v.version), taskWhileWaiting: { ...task!, events: events.map((e) => e.kind) } });
    await actOnTask({ db, client: env.client }, {
      kind: 'complete', taskId, outcome: 'done', note: `Analys ${period}: färre hushåll än målet.\n\nKontrollerna hölls i tid.`, actor: 'ec-01', at: new Date(stockholmTime(at, 10)).toISOString(),
    });
  }

  beforeAll(async () => {
    [env, db] = await Promise.all([timeSkippingEnvironment(), freshStore('embedded')]);
    await ensureSearchAttributes(env.connection, 'default');
    await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-01-01' });
    // The year's case tasks, as the sweeps would have made them, about two in three done on their due day.
    const pack = await readRulePack(rulesDir);
    const tasks = plan({ caseFile: unit, pack, from: '2027-01', to: '2027-12' }).filter((t) => t.caseId !== null);
    await db.transaction(async (tx) => {
      await recordPack(tx, pack);
      await insertTasks(tx, tasks, '2027-01-01T00:00:00Z');
      await tx.query(`UPDATE tasks SET state = 'completed', outcome = 'ok' WHERE hashtext(task_id) % 3 <> 0`);
      await tx.query(`INSERT INTO task_events (task_id, kind, at, actor, outcome) SELECT task_id, 'completed', (due_on + time '12:00') AT TIME ZONE 'Europe/Stockholm', assignee, 'ok' FROM tasks WHERE state = 'completed'`);
      // Where the rule wants a second signature, a head signs it off the same afternoon: the events say what the state says.
      await tx.query(`INSERT INTO task_events (task_id, kind, at, actor, outcome) SELECT t.task_id, 'signed-off', (t.due_on + time '13:00') AT TIME ZONE 'Europe/Stockholm', 'bec-01', 'ok'
                      FROM tasks t JOIN rule_versions v ON v.rule_version = t.rule_version WHERE t.state = 'completed' AND (v.definition->'completion'->>'secondSignOff')::boolean`);
    });
    stopWorker = await runCycleWorker(env, db, queue);
    await ensureReports(env.client, queue, [unitId], ['2027-T1', '2027-T2', '2027-VB']);
    // A second start changes nothing: one workflow per report.
    await ensureReports(env.client, queue, [unitId], ['2027-T1']);

    await writeAnalysis('2027-T1', 'tertial-1-unit', '2027-04', '2027-03-30');
    await writeAnalysis('2027-T2', 'tertial-2-unit', '2027-08', '2027-07-28');
    await writeAnalysis('2027-VB', 'annual-report-unit', '2028-01', '2028-01-05');
    for (const period of ['2027-T1', '2027-T2', '2027-VB']) {
      await env.client.workflow.getHandle<typeof tertialReport>(workflowIds.tertialReport(unitId, period)).result();
    }
  }, 180_000);
  afterAll(async () => {
    await stopWorker?.();
    await db?.close();
    await env?.teardown();
  });

  it('makes a first version inside each tertial, with figures to date and a forecast, when the analysis task opens', async () => {
    const first = await db.query<{ period: string; at: string; analysis: null; figures: ReportFigures }>(
      `SELECT period, ${local('as_of')} AS at, analysis, figures FROM reports WHERE version = 1 ORDER BY as_of`,
    );
    expect(first.map((f) => [f.period, f.at, f.analysis, f.figures.preliminary])).toEqual([
      // Ten business days before 2/4 (Easter in between) and 2/8; the annual report on January's first business day, after the year.
      ['2027-T1', '2027-03-17 06:30', null, true],
      ['2027-T2', '2027-07-19 06:30', null, true],
      ['2027-VB', '2028-01-03 06:30', null, false],
    ]);
    const households = first[0]!.figures.indicators.find((i) => i.id === 'households-on-assistance')!;
    // Monthly averages: the year to date (January to 17 March) and the full-year forecast, as the stock stands.
    expect(households.forecast).toBeGreaterThan(0);
    expect(households.value).not.toBe(households.forecast);
    expect(households.forecastBasis).toBe('ärendena som de är nu, räknade året ut');
    // T1's own months are the year's so far; T2's tertial is May–August, its year to date January–August.
    expect(households.tertial).toBe(households.value);
    const t2 = first[1]!.figures.indicators.find((i) => i.id === 'households-on-assistance')!;
    expect(t2.tertial).not.toBeUndefined();
    expect(t2.forecast).toBeGreaterThan(0);
    for (const s of seen) {
      expect(s.versionsWhileWaiting).toEqual([1]);
      expect(s.taskWhileWaiting.state).toBe('open');
      // The analysis task's reminder day came while the report waited: the morning's steps recorded it.
      expect(s.taskWhileWaiting.events).toContain('reminder-due');
    }
    const html = (await db.query<{ html: string }>(`SELECT html FROM reports WHERE period = '2027-T1' AND version = 1`))[0]!.html;
    expect(html).toContain('Året hittills (januari–april) och tertialens egna månader, med helårsprognos mot årets mål.');
    expect(html).toContain('<th class="n">Helårsprognos</th>');
  });

  it('delivers the analysis by the units\' dates, and the final figures after the tertial closes', async () => {
    const versions = await db.query<{ period: string; version: number; at: string; analysis_by: string | null; preliminary: boolean }>(
      `SELECT period, version, ${local('as_of')} AS at, analysis_by, (figures->>'preliminary')::boolean AS preliminary FROM reports ORDER BY period, version`,
    );
    expect(versions.map((v) => [v.period, v.version, v.at, v.analysis_by, v.preliminary])).toEqual([
      ['2027-T1', 1, '2027-03-17 06:30', null, true],
      ['2027-T1', 2, '2027-03-30 10:00', 'ec-01', true],
      ['2027-T1', 3, '2027-05-03 06:30', 'ec-01', false],
      ['2027-T2', 1, '2027-07-19 06:30', null, true],
      ['2027-T2', 2, '2027-07-28 10:00', 'ec-01', true],
      ['2027-T2', 3, '2027-09-01 06:30', 'ec-01', false],
      ['2027-VB', 1, '2028-01-03 06:30', null, false],
      ['2027-VB', 2, '2028-01-05 10:00', 'ec-01', false],
    ]);
    // The units' dates: 2/4 and 2/8 2027; the annual report the table's 9 January (a Sunday in 2028: the Friday before).
    expect(seen.map((s) => [s.period, s.taskWhileWaiting.due_on])).toEqual([
      ['2027-T1', '2027-04-02'], ['2027-T2', '2027-08-02'], ['2027-VB', '2028-01-07'],
    ]);
    const analysis = await db.query<{ analysis: string }>(`SELECT analysis FROM reports WHERE period = '2027-T1' AND version = 3`);
    expect(analysis[0]!.analysis).toBe('Analys 2027-T1: färre hushåll än målet.\n\nKontrollerna hölls i tid.');
    const html = (await db.query<{ html: string }>(`SELECT html FROM reports WHERE period = '2027-T1' AND version = 3`))[0]!.html;
    expect(html).toContain('<p>Analys 2027-T1: färre hushåll än målet.</p><p>Kontrollerna hölls i tid.</p>');
    expect(html).toContain('Slutliga siffror för hela perioden.');

    const mails = await db.query<{ recipient: string; subject: string; state: string; text_body: string }>(
      `SELECT recipient, subject, state, text_body FROM digests WHERE kind = 'report' ORDER BY digest_date, recipient`,
    );
    // The version with the analysis and the final one of each tertial; the annual report's one.
    expect(mails.map((m) => [m.recipient, m.subject, m.state])).toEqual(
      ['Tertialrapport 1 2027', 'Tertialrapport 1 2027', 'Tertialrapport 2 2027', 'Tertialrapport 2 2027', 'Verksamhetsberättelse 2027'].flatMap((title) =>
        ['bec-01', 'bec-02', 'ec-01'].map((r) => [r, `[Årshjul] ${title}`, 'sent'])),
    );
    expect(mails[0]!.text_body).toContain(`/rapporter/${unitId}/2027-T1`);
    // Only a title and a link: no case ids or names in the mail.
    for (const m of mails) expect(m.text_body).not.toMatch(/EB-\d{4}-\d{4}|\d{8}-\d{4}/);
    const files = await readdir(outboxDir(testConfig(queue)));
    expect(files.filter((f) => f.includes('report'))).toHaveLength(15);
    expect(await readFile(path.join(outboxDir(testConfig(queue)), files.find((f) => f.includes('report'))!), 'utf8')).toContain('rapporter');
  });

  it('has every version\'s årshjul, as the workflow stored it, equal to the task events replayed to its moment', async () => {
    const rows = await db.query<{ period: string; version: number; as_of: string; figures: ReportFigures }>('SELECT period, version, as_of, figures FROM reports ORDER BY period, version');
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      const asOf = new Date(row.as_of).toISOString();
      const recounted = await recountFromEvents(db, { unitId, period: parseReportPeriod(row.period), asOf });
      expect(compareWithRecount(row.figures.completion, recounted).map(describeDifference), `${row.period} v${row.version}`).toEqual([]);
      // About two in three case tasks were done on their due day: not agreement over nothing.
      expect(recounted.reduce((sum, c) => sum + c.done, 0), `${row.period} v${row.version}`).toBeGreaterThan(0);
    }
  });

  it('stores each version with its PDF', async () => {
    const rows = await db.query<{ period: string; version: number; pdf: Uint8Array | null; pdf_error: string | null }>('SELECT period, version, pdf, pdf_error FROM reports ORDER BY period, version');
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      expect(row.pdf_error).toBeNull();
      expect(Buffer.from(row.pdf!).subarray(0, 5).toString()).toBe('%PDF-');
    }
  });
});
