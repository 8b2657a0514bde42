// Security finding 4 of the review, replayed against a running `arshjul start`: after the first
// sweep, a completion with a note in the web app and a reassignment by the CLI, no workflow history
// on the Temporal server holds a case id, a personnummer or the note in clear (`temporal workflow
// show` over every workflow). The payloads are there, encrypted. And a client without the key
// cannot start a workflow in clear to act for someone (security review, finding 1).
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { EncryptionCodec, payloadKeys } from '../../src/platform/payloadCodec.js';
import { filesHolding, numbersInFolder } from '../helpers/personnummer.js';
import { ensureTemporalCli } from '../../src/platform/tools.js';
import { cli, interrupt, run, startArshjul, type Started } from '../helpers/arshjul.js';
import { freePort } from '../helpers/ports.js';

interface ListedTask { task_id: string; ref: string; case_id: string | null; assignee: string | null; assignee_role: string; state: string }

const demo = syntheticUnit({ households: 730, seed: 2027 });
const note = 'Kontrollerad mot Infotorg, 19890304-2383 hemlig anteckning';

describe('Temporal sees no case data (finding 4)', () => {
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let started: Started;
  let address: string;
  let web: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-codec-'));
    const [port, uiPort, webPort] = [await freePort(), await freePort(), await freePort()];
    address = `127.0.0.1:${port}`;
    web = `http://127.0.0.1:${webPort}`;
    env = { ...process.env, ARSHJUL_DATA_DIR: dataDir, ARSHJUL_TEMPORAL_PORT: String(port), ARSHJUL_TEMPORAL_UI_PORT: String(uiPort), ARSHJUL_WEB_PORT: String(webPort), TEMPORAL_ADDRESS: '', DATABASE_URL: '', ARSHJUL_DEMO_YEAR: 'off' };
    started = await startArshjul(env);
  }, 120_000);
  afterAll(async () => {
    if (started) await interrupt(started);
    await rm(dataDir, { recursive: true, force: true });
  });

  const arshjul = async (...args: string[]) => (await run(process.execPath, [cli, ...args], { env })).stdout;
  const cookieOf = (response: Response, name: string) => /^([^=]+)=([^;]*)/.exec(response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`)) ?? '')?.[2];

  /** A change in the web app as a person makes it: the sign-in form, signing in, the task's page, its form. */
  async function completeInWeb(task: ListedTask): Promise<void> {
    const form = await fetch(`${web}/logga-in`);
    const login = cookieOf(form, 'arshjul_login')!;
    const token = /name="_login" value="([^"]+)"/.exec(await form.text())![1]!;
    const signedIn = await fetch(`${web}/logga-in`, {
      method: 'POST', redirect: 'manual', headers: { cookie: `arshjul_login=${login}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ enhet: 'demo-eb', anvandare: task.assignee!, losenord: 'arshjul-demo', _login: token }),
    });
    const session = cookieOf(signedIn, 'arshjul_session')!;
    const url = `${web}/uppgifter/${task.ref}`;
    const page = await (await fetch(url, { headers: { cookie: `arshjul_session=${session}` } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const outcome = /<select id="utfall" name="utfall"><option value="([^"]+)"/.exec(page)![1]!;
    const done = await fetch(`${url}/klar`, {
      method: 'POST', redirect: 'manual', headers: { cookie: `arshjul_session=${session}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, utfall: outcome, anteckning: note }),
    });
    expect(done.headers.get('location')).toMatch(/\?klart=/);
  }

  it('keeps case ids, personnummer and notes out of every workflow history', async () => {
    const open = JSON.parse(await arshjul('tasks', 'list', '--state', 'open', '--json')) as ListedTask[];
    const forWeb = open.find((t) => t.case_id !== null && t.assignee_role === 'socialsekreterare')!;
    const forCli = open.find((t) => t.case_id !== null && t !== forWeb)!;
    await completeInWeb(forWeb);
    const other = demo.staff.find((s) => s.role === forCli.assignee_role && s.id !== forCli.assignee)!.id;
    expect(await arshjul('tasks', 'reassign', forCli.task_id, '--to', other, '--by', 'bec-01')).toContain('överlämnad');
    const completed = JSON.parse(await arshjul('tasks', 'list', '--assignee', forWeb.assignee!, '--json')) as ListedTask[];
    expect(completed.find((t) => t.task_id === forWeb.task_id)?.state).toBe('completed');

    const temporal = await ensureTemporalCli();
    const workflows = JSON.parse((await run(temporal, ['workflow', 'list', '--address', address, '-o', 'json'])).stdout) as { execution: { workflowId: string; runId: string } }[];
    expect(workflows.length).toBeGreaterThan(5);
    let histories = '';
    const encrypted = Buffer.from('binary/encrypted').toString('base64');
    let encryptedPayloads = 0;
    // An encrypted payload's bytes are random: its base64 can hold twelve digits between a '/' and a '+'
    // by chance. Those bytes are left out of the search; everything else is searched as it is.
    const withoutCiphertext = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(withoutCiphertext);
      if (typeof node !== 'object' || node === null) return node;
      const record = node as Record<string, unknown>;
      if ((record.metadata as Record<string, unknown> | undefined)?.encoding === encrypted) {
        encryptedPayloads++;
        return { ...record, data: '' };
      }
      return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, withoutCiphertext(value)]));
    };
    for (const { execution } of workflows) {
      const shown = (await run(temporal, ['workflow', 'show', '-w', execution.workflowId, '-r', execution.runId, '--address', address, '-o', 'json'], { maxBuffer: 64 << 20 })).stdout;
      histories += JSON.stringify(withoutCiphertext(JSON.parse(shown)));
    }
    // The payloads are there, encrypted ("binary/encrypted", base64 in the JSON).
    expect(encryptedPayloads).toBeGreaterThan(10);
    const caseIds = new Set(demo.cases.map((c) => c.caseId));
    expect([...caseIds].filter((id) => histories.includes(id))).toEqual([]);
    expect(histories.match(/\b(19|20)\d{6}-?\d{4}\b/g) ?? []).toEqual([]);
    expect(histories).not.toContain('hemlig anteckning');
    // The key stays in the data folder, its owner's alone.
    expect((await stat(path.join(dataDir, 'payload-key'))).mode & 0o077).toBe(0);
  }, 180_000);

  it('refuses a workflow started in clear by a client without the key: nobody acts as someone else, and no mail settings change', async () => {
    const open = JSON.parse(await arshjul('tasks', 'list', '--state', 'open', '--json')) as ListedTask[];
    const target = open.find((t) => t.case_id !== null && t.assignee !== null)!;
    // An attacker's client: Temporal's port, no payload key, so plain JSON payloads.
    const codec = new EncryptionCodec(await payloadKeys({ dataDir, payloadKeyFile: undefined }));
    const connection = await Connection.connect({ address });
    const client = new Client({ connection });
    const forged = [
      await client.workflow.start('taskAction', { taskQueue: 'arshjul', workflowId: `forge-${Date.now()}`, args: [{ kind: 'complete', taskId: target.task_id, outcome: 'ok', note: 'x', actor: target.assignee, at: new Date().toISOString() }] }),
      await client.workflow.start('settingsChange', { taskQueue: 'arshjul', workflowId: `forge-mail-${Date.now()}`, args: [{ kind: 'mail', unitId: 'demo-eb', sender: 'IT-support <it@example.org>', footer: 'Logga in här: http://example.org' }] }),
    ];
    for (const handle of forged) {
      // The worker fails the workflow task at the codec, before any workflow code runs: the
      // history shows the failure, and the workflow never gets to an activity.
      // The failure's text is sealed like every payload; the key opens it.
      const failure = async () => {
        const failed = (await handle.fetchHistory()).events?.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes?.failure;
        if (!failed?.encodedAttributes) return '';
        const [opened] = await codec.decode([failed.encodedAttributes]);
        return Buffer.from(opened!.data!).toString('utf8');
      };
      await expect.poll(failure, { timeout: 30_000 }).toMatch(/inte krypterad/);
      const history = await handle.fetchHistory();
      expect(history.events?.some((e) => e.activityTaskScheduledEventAttributes)).toBe(false);
      expect((await handle.describe()).status.name).toBe('RUNNING');
      await handle.terminate('test: förfalskad start');
    }
    await connection.close();
    const after = JSON.parse(await arshjul('tasks', 'list', '--assignee', target.assignee!, '--json')) as ListedTask[];
    expect(after.find((t) => t.task_id === target.task_id)?.state).toBe('open');
  }, 120_000);

  it('keeps no demo personnummer in clear in any file of the data folder: store, Temporal\'s database, outbox', async () => {
    const numbers = new Set(demo.cases.flatMap((c) => c.members.map((m) => m.personId!)));
    expect(await numbersInFolder(dataDir, numbers)).toEqual([]);
    // The search reads what the store wrote: the case ids, kept in clear, are there.
    const caseIds = await filesHolding(dataDir, demo.cases[0]!.caseId);
    expect(caseIds.some((file) => file.startsWith('store'))).toBe(true);
  });
});
