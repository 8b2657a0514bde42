// The cycle's commands against a running `arshjul start`: a sweep, the tasks, a refusal, a
// completion with its follow-up, closing a round, the schedule.
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTemporalCli } from '../../src/platform/tools.js';
import { openEmbedded } from '../../src/store/db.js';
import type { TaskRow } from '../../src/store/tasks.js';
import { cli, interrupt, run, startArshjul, type Started } from '../helpers/arshjul.js';
import { simpleParser } from 'mailparser';
import { freePort } from '../helpers/ports.js';
import { personalData } from '../helpers/smtp.js';

describe('arshjul sweep, tasks, rounds and the schedule', () => {
  let env: NodeJS.ProcessEnv;
  let started: Started;
  let port: number;
  const arshjul = async (...args: string[]) => (await run(process.execPath, [cli, ...args], { env, maxBuffer: 64 << 20 })).stdout;
  const failing = async (...args: string[]) => {
    const failure = (await run(process.execPath, [cli, ...args], { env }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(failure.code).toBe(1);
    return failure.stderr;
  };

  beforeAll(async () => {
    port = await freePort();
    env = {
      ...process.env,
      ARSHJUL_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'arshjul-cycle-')),
      ARSHJUL_TEMPORAL_PORT: String(port),
      ARSHJUL_TEMPORAL_UI_PORT: String(await freePort()),
      TEMPORAL_ADDRESS: '',
      DATABASE_URL: '',
      ARSHJUL_DEMO_YEAR: 'off',
    };
    started = await startArshjul(env);
  }, 120_000);
  afterAll(async () => {
    if (started && started.child.exitCode === null) await interrupt(started);
  });

  it('reconciles a sweep and a digest schedule per unit, visible with temporal schedule list', async () => {
    const { stdout: list } = await run(await ensureTemporalCli(), ['schedule', 'list', '--address', `127.0.0.1:${port}`]);
    expect(list).toContain('sweep:demo-eb');
    expect(list).toContain('digest:demo-eb');
    for (const [id, hour] of [['sweep:demo-eb', 6], ['digest:demo-eb', 7]] as const) {
      const { stdout } = await run(await ensureTemporalCli(), ['schedule', 'describe', '--schedule-id', id, '--address', `127.0.0.1:${port}`, '-o', 'json']);
      const schedule = JSON.parse(stdout) as { schedule: { spec: { timezoneName: string; structuredCalendar: { hour: { start: number }[] }[] }; policies: { overlapPolicy: string } } };
      expect(schedule.schedule.spec.timezoneName).toBe('Europe/Stockholm');
      expect(schedule.schedule.spec.structuredCalendar[0]!.hour[0]!.start).toBe(hour);
      expect(schedule.schedule.policies.overlapPolicy).toMatch(/SKIP/);
    }
  });

  it('starts the internal control of the plan years to come; the plan waits for January before it can be approved', async () => {
    const { stdout } = await run(await ensureTemporalCli(), ['workflow', 'describe', '-w', 'internal-control:demo-eb:2027', '--address', `127.0.0.1:${port}`, '-o', 'json']);
    expect((JSON.parse(stdout) as { workflowExecutionInfo: { status: string } }).workflowExecutionInfo.status).toMatch(/RUNNING/);
    expect(await failing('ik', 'approve', '--unit', 'demo-eb', '--year', '2027', '--by', 'ec-01')).toContain('planen för 2027 väntar inte på godkännande');
  });

  it('sweeps a day, lists the tasks, refuses a wrong outcome, completes with a follow-up, and closes a round', async () => {
    expect(await arshjul('sweep', '--unit', 'demo-eb', '--date', '2027-05-03')).toMatch(/^Svep demo-eb 2027-05-03 .*: (\d+) planerade, \1 nya/);
    expect(await arshjul('sweep', '--unit', 'demo-eb', '--date', '2027-05-03')).toMatch(/: (\d+) planerade, 0 nya/);
    // A unit's sweeps are found by its search attribute; the steps are theirs, with no workflow per round.
    const { stdout: sweeps } = await run(await ensureTemporalCli(), [
      'workflow', 'list', '--address', `127.0.0.1:${port}`, '--query', "ArshjulUnit = 'demo-eb' AND WorkflowType = 'sweep'", '-o', 'json',
    ]);
    const ids = (JSON.parse(sweeps) as { execution: { workflowId: string } }[]).map((r) => r.execution.workflowId);
    expect(ids.filter((id) => id.startsWith('sweep:demo-eb:manual:2027-05-03:'))).toHaveLength(2);

    const checks = JSON.parse(await arshjul('tasks', 'list', '--rule', 'tax-return-check', '--json')) as TaskRow[];
    expect(checks.length).toBeGreaterThan(500);
    const task = checks[0]!;
    expect(await failing('tasks', 'complete', task.task_id, '--outcome', 'klar', '--by', task.assignee!)).toContain(
      'utfallet finns inte för tax-return-check: välj ett av ok, needs-follow-up',
    );
    expect(await arshjul('tasks', 'complete', task.task_id, '--outcome', 'needs-follow-up', '--by', task.assignee!)).toBe(`${task.task_id}: klar; uppföljning skapad\n`);
    const followUps = JSON.parse(await arshjul('tasks', 'list', '--rule', 'tax-return-followup', '--json')) as TaskRow[];
    expect(followUps).toEqual([expect.objectContaining({ case_id: task.case_id, state: 'open', assignee_role: 'socialsekreterare' })]);

    expect(await failing('rounds', 'close', '--unit', 'demo-eb', '--rule', 'tax-return-check', '--period', '2027-05', '--by', task.assignee!)).toContain(
      'bara enhetschef eller biträdande enhetschef kan stänga en kontrollomgång',
    );
    expect(await arshjul('rounds', 'close', '--unit', 'demo-eb', '--rule', 'tax-return-check', '--period', '2027-05', '--by', 'bec-01')).toContain('är stängd');
  });

  it('lets no one close a two-person control alone through the CLI: completion and not applicable wait for a second person (issue 14, acceptance 3)', async () => {
    await arshjul('sweep', '--unit', 'demo-eb', '--date', '2027-08-02');
    const [first, second] = JSON.parse(await arshjul('tasks', 'list', '--rule', 'graduate-rent-share', '--state', 'open', '--json')) as TaskRow[];
    expect(second).toBeDefined();
    const state = async (task: TaskRow) => (JSON.parse(await arshjul('tasks', 'list', '--rule', 'graduate-rent-share', '--json')) as TaskRow[]).find((t) => t.task_id === task.task_id)!.state;
    const colleague = (task: TaskRow) => (task.assignee === 'bh-01' ? 'bh-02' : 'bh-01');

    expect(await arshjul('tasks', 'complete', first!.task_id, '--outcome', 'done', '--by', first!.assignee!)).toContain('väntar på attest av en andra person');
    expect(await failing('tasks', 'complete', first!.task_id, '--outcome', 'done', '--by', first!.assignee!)).toContain('en annan person');
    expect(await failing('tasks', 'na', first!.task_id, '--reason', 'ingen hyra', '--by', first!.assignee!)).toContain('en annan person');
    expect(await state(first!)).toBe('awaiting-sign-off');
    expect(await arshjul('tasks', 'complete', first!.task_id, '--outcome', 'done', '--by', colleague(first!))).toMatch(/klar/);
    expect(await state(first!)).toBe('completed');

    expect(await arshjul('tasks', 'na', second!.task_id, '--reason', 'flyttat', '--by', second!.assignee!)).toContain('väntar på attest av en andra person');
    expect(await failing('tasks', 'na', second!.task_id, '--reason', 'flyttat', '--by', second!.assignee!)).toContain('en annan person');
    expect(await state(second!)).toBe('awaiting-sign-off');
  });

  it('with no SMTP configured, writes the day\'s digests as readable .eml files to the outbox', async () => {
    const outbox = path.join(env.ARSHJUL_DATA_DIR!, 'outbox');
    expect(await arshjul('digest', '--unit', 'demo-eb', '--date', '2027-05-03')).toMatch(new RegExp(`^Utskick demo-eb 2027-05-03: \\d+ skickade, som \\.eml i ${outbox}`));
    expect(started.output()).toMatch(/Utskick demo-eb:caseworker:ss-01:2027-05-03 → .*\/outbox\/demo-eb_caseworker_ss-01_2027-05-03\.eml/);
    const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
    expect(files.length).toBeGreaterThanOrEqual(29);
    // A Monday: the unit head's summary is among them.
    expect(files.filter((f) => f.includes('_summary_'))).toEqual(['demo-eb_summary_ec-01_2027-05-03.eml']);
    const caseIds = (JSON.parse(await arshjul('tasks', 'list', '--json')) as TaskRow[]).map((t) => t.case_id!).filter(Boolean);
    for (const file of files) {
      const mail = await simpleParser(await readFile(path.join(outbox, file)));
      expect(mail.subject).toMatch(/^\[Årshjul\] /);
      // The unit head's Monday summary leads to the overview, every other digest to the inbox.
      expect(mail.text).toMatch(file.includes('_summary_') ? /Öppna Årshjul: http:\/\/localhost:\d+\/oversikt/ : /Öppna Årshjul: http:\/\/localhost:\d+\/inkorg/);
      expect(personalData(`${mail.subject}\n${mail.text}\n${mail.html || ''}`, caseIds)).toEqual([]);
    }
  });

  // Last: it stops the instance.
  it('changes a task with no workflow: through the running instance\'s private channel, its owner\'s alone, and in the store itself when nothing runs', async () => {
    const temporal = await ensureTemporalCli();
    const types = async () => (JSON.parse((await run(temporal, ['workflow', 'list', '--address', `127.0.0.1:${port}`, '-o', 'json'])).stdout) as { type: { name: string } }[]).map((w) => w.type.name);
    // The tests before listed, completed and signed off tasks and closed a round by the CLI: none of it ran as a workflow.
    expect(await types()).toContain('sweep');
    for (const type of ['taskAction', 'taskList', 'controlRound']) expect(await types()).not.toContain(type);
    expect((await stat(path.join(env.ARSHJUL_DATA_DIR!, 'arshjul.sock'))).mode & 0o777).toBe(0o600);

    const [task] = JSON.parse(await arshjul('tasks', 'list', '--rule', 'tax-return-check', '--state', 'open', '--json')) as TaskRow[];
    await interrupt(started);
    // Nothing runs: the CLI opens the embedded store itself, and Temporal is not needed.
    expect(await arshjul('tasks', 'complete', task!.task_id, '--outcome', 'ok', '--by', task!.assignee!)).toBe(`${task!.task_id}: klar\n`);
    const db = await openEmbedded(path.join(env.ARSHJUL_DATA_DIR!, 'store'));
    try {
      expect(await db.query('SELECT state FROM tasks WHERE task_id = $1', [task!.task_id])).toEqual([{ state: 'completed' }]);
      expect(await db.query("SELECT actor FROM task_events WHERE task_id = $1 AND kind = 'completed'", [task!.task_id])).toEqual([{ actor: task!.assignee }]);
    } finally {
      await db.close();
    }
  }, 120_000);
});
