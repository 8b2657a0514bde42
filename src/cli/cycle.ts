// `arshjul tasks …`, `rounds close`, `sweep` and `backfill`. Task changes, the task list and a
// round's close are store calls (through the running instance's private channel when it holds the
// embedded store); sweeps and digests run through Temporal, in the worker that holds the store.
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { commandLineAddress } from '../accessLog/log.js';
import { DateTime } from 'luxon';
import { TaskActionError, type TaskAction } from '../tasks/lifecycle.js';
import type { digests, settingsChange, sweep } from '../../workflows/index.js';
import type { SettingsChange } from '../notifications/settings.js';
import { today, zone } from '../calendar/businessDays.js';
import { isDate } from '../cases/validate.js';
import { ConfigError, type Config } from '../platform/config.js';
import { outboxDir } from '../platform/mail.js';
import { refusalMessage } from '../platform/refusal.js';
import { unitAttribute } from '../platform/searchAttributes.js';
import { workflowIds } from '../platform/workflowIds.js';
import type { TaskFilter, TaskRow, TaskState } from '../store/tasks.js';
import { stateNames } from '../tasks/lifecycle.js';
import { requireMonth } from './plan.js';
import { withClient, withOptionalClient } from './client.js';
import { absent, askInstance, localCalls, type LocalAnswer, type LocalInput, type LocalPath } from './localChannel.js';
import { withStore } from '../store/open.js';



// The states by their id or their Swedish name ("väntar på attest" or väntar-på-attest), and what is
// late: open past its due day, as the overview counts it.
const overdueWords = ['overdue', 'försenad', 'försenade', 'forsenad'];
const word = (s: string) => s.trim().toLowerCase().replaceAll(/[\s_]+/g, '-');

export function stateFilter(value: string | undefined, date: string): Pick<TaskFilter, 'state' | 'overdueOn'> {
  if (value === undefined) return {};
  const wanted = word(value);
  if (overdueWords.includes(wanted)) return { overdueOn: date };
  const state = (Object.entries(stateNames) as [TaskState, string][]).find(([id, name]) => id === wanted || word(name) === wanted)?.[0];
  if (state) return { state };
  throw new ConfigError(`--state ska vara ett av ${Object.values(stateNames).map((n) => word(n)).join(', ')} eller försenad (även ${Object.keys(stateNames).join(', ')}, overdue); fick ${JSON.stringify(value)}`);
}

/** A refusal from the task rules comes back as the workflow's failure: show its message, nothing else. */
export function refusal(error: unknown): never {
  const message = refusalMessage(error);
  if (message !== undefined) throw new ConfigError(message);
  throw error;
}

function requireStaff(by: string | undefined): string {
  if (!by) throw new ConfigError('ange vem som gör ändringen med --by PERSONAL-ID');
  return by;
}

export async function taskActionCommand(config: Config, sub: string, taskId: string | undefined, values: { outcome?: string; note?: string; reason?: string; to?: string; by?: string }): Promise<string> {
  if (!taskId) throw new ConfigError('ange uppgiftens id');
  const base = { taskId, actor: requireStaff(values.by), at: new Date().toISOString() };
  let action: TaskAction;
  if (sub === 'complete') {
    if (!values.outcome) throw new ConfigError('ange utfallet med --outcome');
    action = { kind: 'complete', ...base, outcome: values.outcome, note: values.note };
  } else if (sub === 'na') {
    action = { kind: 'not-applicable', ...base, reason: values.reason ?? '' };
  } else if (sub === 'reassign') {
    if (!values.to) throw new ConfigError('ange vem som tar över med --to PERSONAL-ID');
    action = { kind: 'reassign', ...base, to: values.to };
  } else if (sub === 'send-back') {
    action = { kind: 'send-back', ...base, reason: values.reason ?? '' };
  } else if (sub === 'reopen') {
    action = { kind: 'reopen', ...base, reason: values.reason ?? '' };
  } else {
    throw new ConfigError(`okänt kommando: tasks ${sub}`);
  }
  return `${taskId}: ${await actFromCli(config, action)}`;
}

/**
 * A store call from the CLI, with no workflow: through the running instance where it holds the
 * embedded store, else in the store itself (PostgreSQL, or the embedded store when nothing runs),
 * telling Temporal after a commit where it must hear and answers. A refusal is the user's message.
 */
async function storeCall<P extends LocalPath>(config: Config, url: P, input: LocalInput<P>): Promise<LocalAnswer<P>> {
  try {
    if (!config.databaseUrl) {
      const answered = await askInstance(config, url, input);
      if (answered !== absent) return answered;
    }
    return await withStore(config, (db) =>
      withOptionalClient(config, (client) => (localCalls({ db, client })[url] as (i: LocalInput<P>) => Promise<LocalAnswer<P>>)(input)),
    );
  } catch (error) {
    if (error instanceof TaskActionError) throw new ConfigError(error.message);
    throw error;
  }
}

async function actFromCli(config: Config, action: TaskAction): Promise<string> {
  return storeCall(config, '/tasks/act', action);
}

export async function taskListCommand(config: Config, values: { unit?: string; assignee?: string; rule?: string; period?: string; state?: string; json: boolean }): Promise<string> {
  const filter: TaskFilter = { unitId: values.unit, assignee: values.assignee, ruleId: values.rule, period: values.period, ...stateFilter(values.state, today()) };
  // The reading goes on the access log, with this machine's account, before the list is printed.
  const tasks: TaskRow[] = await storeCall(config, '/tasks/list', { filter, reader: commandLineAddress() });
  if (values.json) return JSON.stringify(tasks, null, 2);
  const lines = tasks.map((t) => `${t.due_on}  ${stateNames[t.state].padEnd(16)} ${(t.assignee ?? '–').padEnd(8)} ${t.task_id}`);
  return [...lines, `${tasks.length} uppgifter`].join('\n');
}

export async function closeRoundCommand(config: Config, values: { unit?: string; rule?: string; period?: string; by?: string }): Promise<string> {
  if (!values.unit || !values.rule) throw new ConfigError('ange --unit ENHET --rule REGEL --period ÅÅÅÅ-MM');
  const period = requireMonth('period', values.period);
  const by = requireStaff(values.by);
  await storeCall(config, '/rounds/close', { unitId: values.unit, ruleId: values.rule, period, by, at: new Date().toISOString() });
  return `Kontrollomgången ${values.rule} ${period} är stängd: inga fler påminnelser eller eskaleringar.`;
}

function requireDate(name: string, value: string | undefined): string {
  if (!value) throw new ConfigError(`--${name} saknas: ange ett datum ÅÅÅÅ-MM-DD, t.ex. --${name} 2027-03-02`);
  if (!isDate(value)) throw new ConfigError(`--${name} ska vara ett datum ÅÅÅÅ-MM-DD, fick ${JSON.stringify(value)}`);
  return value;
}

export async function sweepCommand(config: Config, values: { unit?: string; date?: string }): Promise<string> {
  if (!values.unit) throw new ConfigError('ange --unit ENHET');
  const date = values.date ? requireDate('date', values.date) : today();
  return withClient(config, async (client) => {
    const summary = await client.workflow.execute<typeof sweep>('sweep', {
      taskQueue: config.taskQueue,
      workflowId: workflowIds.manualSweep(values.unit!, date),
      args: [{ unitId: values.unit!, date }],
      // Found beside the schedule's own sweeps of the unit in the Web UI.
      typedSearchAttributes: [{ key: unitAttribute, value: values.unit! }],
    });
    if (summary.skipped) return `${date} är ingen bankdag: inget att göra.`;
    const steps = summary.steps ?? {};
    return `Svep ${values.unit} ${date} (regelpaket ${summary.packHash}): ${summary.planned} planerade, ${summary.created} nya, ${summary.cancelled} makulerade; `
      + `${steps['reminder-due'] ?? 0} påminnelser, ${steps.due ?? 0} förfallodagar, ${steps['escalation-due'] ?? 0} eskaleringar.`;
  });
}

export async function digestCommand(config: Config, values: { unit?: string; date?: string }): Promise<string> {
  if (!values.unit) throw new ConfigError('ange --unit ENHET');
  const date = values.date ? requireDate('date', values.date) : today();
  return withClient(config, async (client) => {
    const result = await client.workflow.execute<typeof digests>('digests', {
      taskQueue: config.taskQueue,
      workflowId: workflowIds.manualDigests(values.unit!, date),
      args: [{ unitId: values.unit!, date }],
    });
    return `Utskick ${values.unit} ${date}: ${result.sent} skickade${config.smtp ? '' : `, som .eml i ${outboxDir(config)}`}.`;
  });
}

export async function settingsCommand(
  config: Config,
  sub: string | undefined,
  values: { unit?: string; staff?: string; digest?: string; from?: string; 'subject-prefix'?: string; footer?: string },
): Promise<string> {
  if (!values.unit) throw new ConfigError('ange --unit ENHET');
  let change: SettingsChange;
  if (sub === 'digest') {
    if (!values.staff || (values.digest !== 'daily' && values.digest !== 'weekly')) throw new ConfigError('ange --staff ID och --digest daily eller weekly');
    change = { kind: 'digest', unitId: values.unit, staffId: values.staff, digest: values.digest };
  } else if (sub === 'mail') {
    change = { kind: 'mail', unitId: values.unit, sender: values.from, subjectPrefix: values['subject-prefix'], footer: values.footer };
  } else {
    throw new ConfigError('settings digest | settings mail');
  }
  return withClient(config, (client) =>
    client.workflow.execute<typeof settingsChange>('settingsChange', { taskQueue: config.taskQueue, workflowId: workflowIds.settingsChange(), args: [change] }).catch(refusal),
  );
}

/** Runs the schedule's missed sweeps between two dates; sweeps are idempotent, so nothing is made twice. */
export async function backfillCommand(config: Config, values: { unit?: string; from?: string; to?: string }): Promise<string> {
  if (!values.unit) throw new ConfigError('ange --unit ENHET');
  const from = requireDate('from', values.from);
  const to = requireDate('to', values.to ?? values.from);
  const start = DateTime.fromISO(from, { zone }).toJSDate();
  const end = DateTime.fromISO(to, { zone }).plus({ days: 1 }).toJSDate();
  return withClient(config, async (client) => {
    await client.schedule.getHandle(workflowIds.sweepSchedule(values.unit!)).backfill({ start, end, overlap: ScheduleOverlapPolicy.BUFFER_ALL });
    return `Efterkörning av svepen för ${values.unit} ${from}–${to} är beställd (schemat ${workflowIds.sweepSchedule(values.unit!)}).`;
  });
}
