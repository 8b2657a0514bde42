// `arshjul rules validate | test | diff`: the admin's tools for editing the rule pack.
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { CaseFile } from '../cases/caseFile.js';
import { readCaseFile } from '../cases/readCaseFile.js';
import { ConfigError } from '../platform/config.js';
import { plan } from '../planner/plan.js';
import { readRuleFiles, readRuleFilesAt, readRulePack } from '../rules/files.js';
import { formatError, loadRulePack, type RulePack } from '../rules/load.js';
import { requireMonth } from './plan.js';

export interface Outcome {
  ok: boolean;
  output: string;
}

export async function validateCommand(dir: string): Promise<Outcome> {
  const files = await readRuleFiles(dir);
  const { pack, errors } = loadRulePack(files);
  if (errors.length > 0) return { ok: false, output: [...errors.map(formatError), `${errors.length} fel i ${dir}`].join('\n') };
  const plans = pack.plans.length ? ` och ${pack.plans.length} internkontrollplan${pack.plans.length > 1 ? 'er' : ''}` : '';
  const indicators = pack.indicators.length ? `, ${pack.indicators.length} nyckeltal` : '';
  const parameters = pack.parameters.length ? `, ${pack.parameters.length} parametrar` : '';
  return { ok: true, output: `${pack.rules.length} regler${indicators}${parameters}${plans} i ${dir} är giltiga (paketversion ${pack.hash})` };
}

const exampleUnit = { id: 'exempel', name: 'Exempelenheten' };
/** One person of each role, so a rule that gives each caseworker a task has someone to give it to. */
const exampleStaff: CaseFile['staff'] = (['socialsekreterare', 'bidragshandlaggare', 'bitradande-enhetschef', 'enhetschef', 'administrativ-assistent'] as const).map((role, i) => ({
  id: `person-${i + 1}`, name: `Person ${i + 1}`, role, email: `person-${i + 1}@example.se`,
}));

/** Runs every rule's embedded examples through the planner: a task expected or not. */
export function runExamples(pack: RulePack): { failures: string[]; count: number } {
  const failures: string[] = [];
  let count = 0;
  for (const { rule, file } of pack.rules) {
    for (const example of rule.examples ?? []) {
      count++;
      const caseFile: Pick<CaseFile, 'unit' | 'staff' | 'cases'> = { unit: exampleUnit, staff: exampleStaff, cases: example.case ? [example.case] : [] };
      const single: RulePack = { ...pack, rules: pack.rules.filter((r) => r.rule === rule) };
      const planned = plan({ caseFile, pack: single, from: example.month, to: example.month }).length > 0;
      if (planned !== example.expect) {
        failures.push(`${file}: ${rule.id}, "${example.description}" (${example.month}): väntade ${example.expect ? 'en uppgift' : 'ingen uppgift'}, fick ${planned ? 'en' : 'ingen'}`);
      }
    }
  }
  return { failures, count };
}

export async function testCommand(dir: string): Promise<Outcome> {
  const pack = await readRulePack(dir);
  const { failures, count } = runExamples(pack);
  const summary = `${count - failures.length} stämmer, ${failures.length} stämmer inte`;
  return { ok: failures.length === 0, output: [...failures, `Exempel: ${summary}`].join('\n') };
}

async function basePack(base: string, dir: string): Promise<RulePack> {
  if (existsSync(base)) return readRulePack(base);
  const { pack, errors } = loadRulePack(await readRuleFilesAt(base, dir));
  if (errors.length > 0) throw new ConfigError(`regelpaketet vid ${base} har fel:\n${errors.map(formatError).join('\n')}`);
  return pack;
}

/** Which tasks a rule change adds and removes in a month, per rule. */
export async function diffCommand(options: { base?: string; cases?: string; month?: string; rules: string }): Promise<string> {
  if (!options.base) throw new ConfigError('ange --base: en git-referens (t.ex. HEAD~1) eller en mapp');
  if (!options.cases) throw new ConfigError('ange ärendefilen med --cases FIL');
  const month = requireMonth('month', options.month);
  const [caseFile, before, after] = await Promise.all([readCaseFile(options.cases), basePack(options.base, options.rules), readRulePack(options.rules)]);
  const ids = (pack: RulePack) => new Map(plan({ caseFile, pack, from: month, to: month }).map((t) => [t.taskId, t]));
  const [old, now] = [ids(before), ids(after)];
  const byRule = new Map<string, { added: string[]; removed: string[] }>();
  const entry = (ruleId: string) => byRule.get(ruleId) ?? byRule.set(ruleId, { added: [], removed: [] }).get(ruleId)!;
  for (const [id, task] of now) if (!old.has(id)) entry(task.ruleId).added.push(task.caseId ?? '(enheten)');
  for (const [id, task] of old) if (!now.has(id)) entry(task.ruleId).removed.push(task.caseId ?? '(enheten)');
  if (byRule.size === 0) return `Ingen skillnad i ${month} mellan ${options.base} och ${path.normalize(options.rules)}.`;
  const lines = [...byRule.keys()].sort().flatMap((ruleId) => {
    const { added, removed } = byRule.get(ruleId)!;
    return [
      `${ruleId}: +${added.length} −${removed.length}`,
      ...(added.length ? [`  tillkommer: ${added.join(', ')}`] : []),
      ...(removed.length ? [`  försvinner: ${removed.join(', ')}`] : []),
    ];
  });
  return [`Skillnad i ${month}, ${options.base} → ${path.normalize(options.rules)}:`, ...lines].join('\n');
}
