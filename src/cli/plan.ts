// `arshjul plan`: a dry run of the planner, as a table or as the contract's JSON. From the store,
// the cases it prints go on the access log first, with the machine's account.
import { commandLineAddress, recordAccess } from '../accessLog/log.js';
import { isMonth } from '../calendar/months.js';
import { readCaseFile } from '../cases/readCaseFile.js';
import { ConfigError, type Config } from '../platform/config.js';
import { readCaseFileFromStore } from '../store/cases.js';
import { withStore } from '../store/open.js';
import { singleUnit } from './import.js';
import { plan, type PlannedTask } from '../planner/plan.js';
import { readRulePack } from '../rules/files.js';

export function requireMonth(name: string, value: string | undefined): string {
  if (!value) throw new ConfigError(`--${name} saknas: ange en månad ÅÅÅÅ-MM, t.ex. --${name} 2027-03`);
  if (!isMonth(value)) throw new ConfigError(`--${name} ska vara en månad ÅÅÅÅ-MM, fick ${JSON.stringify(value)}`);
  return value;
}

export function formatTable(tasks: PlannedTask[]): string {
  const header = ['förfaller', 'skapas', 'period', 'regel', 'ärende', 'roll', 'tilldelad'];
  const rows = tasks.map((t) => [t.dueOn, t.createOn, t.period, t.ruleId, t.caseId ?? '(enheten)', t.assigneeRole, t.assignee ?? '–']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), `${tasks.length} uppgifter`].join('\n');
}

export async function planCommand(
  config: Config,
  options: { cases?: string; unit?: string; from?: string; to?: string; rules: string; json: boolean },
): Promise<string> {
  const from = requireMonth('from', options.from);
  const to = requireMonth('to', options.to ?? options.from);
  if (to < from) throw new ConfigError(`--to ${to} är före --from ${from}`);
  const pack = await readRulePack(options.rules);
  const format = (tasks: PlannedTask[]) => (options.json ? JSON.stringify(tasks, null, 2) : formatTable(tasks));
  if (options.cases) return format(plan({ caseFile: await readCaseFile(options.cases), pack, from, to }));
  // The cases from the store: the --unit, or its only unit.
  return withStore(config, async (db) => {
    const caseFile = await readCaseFileFromStore(db, options.unit ?? (await singleUnit(db)));
    const tasks = plan({ caseFile, pack, from, to });
    await recordAccess(db, {
      unitId: caseFile.unit.id, staffId: null, view: 'plan-cli', caseIds: tasks.map((t) => t.caseId), query: `från=${from}; till=${to}`, address: commandLineAddress(), at: new Date(),
    });
    return format(tasks);
  });
}
