// `arshjul plan`: a dry run of the planner, as a table or as the contract's JSON.
import { isMonth } from '../calendar/months.js';
import type { CaseFile } from '../cases/caseFile.js';
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

/** The cases from --cases FILE, or from the store (the --unit, or its only unit). */
export async function casesFor(config: Config, options: { cases?: string; unit?: string }): Promise<CaseFile> {
  if (options.cases) return readCaseFile(options.cases);
  return withStore(config, async (db) => readCaseFileFromStore(db, options.unit ?? (await singleUnit(db))));
}

export async function planCommand(
  config: Config,
  options: { cases?: string; unit?: string; from?: string; to?: string; rules: string; json: boolean },
): Promise<string> {
  const from = requireMonth('from', options.from);
  const to = requireMonth('to', options.to ?? options.from);
  if (to < from) throw new ConfigError(`--to ${to} är före --from ${from}`);
  const [caseFile, pack] = await Promise.all([casesFor(config, options), readRulePack(options.rules)]);
  const tasks = plan({ caseFile, pack, from, to });
  return options.json ? JSON.stringify(tasks, null, 2) : formatTable(tasks);
}
