// `arshjul rules validate | test | diff`: the admin's tools for editing the rule pack.
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { CaseFile } from '../cases/caseFile.js';
import { readCaseFile } from '../cases/readCaseFile.js';
import { ConfigError } from '../platform/config.js';
import { plan, type PlannedTask } from '../planner/plan.js';
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

/** What changed in the dated parameters: values added or dropped, per parameter. */
function parameterChanges(before: RulePack, after: RulePack): string[] {
  const values = (pack: RulePack) => new Map(pack.parameters.map((p) => [p.parameter.id, p.parameter.values.map((v) => `${v.value} från ${v.from}`)]));
  const [old, now] = [values(before), values(after)];
  const lines: string[] = [];
  for (const id of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const [was, is] = [old.get(id) ?? [], now.get(id) ?? []];
    const added = is.filter((v) => !was.includes(v));
    const dropped = was.filter((v) => !is.includes(v));
    if (added.length || dropped.length) lines.push(`  ${id}: ${[...added.map((v) => `nytt värde ${v}`), ...dropped.map((v) => `borttaget värde ${v}`)].join(', ')}`);
  }
  return lines.length ? ['Parametrar som ändrats:', ...lines] : [];
}

/**
 * Which tasks a change of rules or parameters adds, removes and moves, per rule, in a month or a
 * range of months: a task of the same rule and case in another month has moved.
 */
export async function diffCommand(options: { base?: string; cases?: string; month?: string; from?: string; to?: string; rules: string }): Promise<string> {
  if (!options.base) throw new ConfigError('ange --base: en git-referens (t.ex. HEAD~1) eller en mapp');
  if (!options.cases) throw new ConfigError('ange ärendefilen med --cases FIL');
  const from = options.month || !options.from ? requireMonth('month', options.month) : requireMonth('from', options.from);
  const to = options.month || !options.from ? from : requireMonth('to', options.to ?? options.from);
  const [caseFile, before, after] = await Promise.all([readCaseFile(options.cases), basePack(options.base, options.rules), readRulePack(options.rules)]);
  const ids = (pack: RulePack) => new Map(plan({ caseFile, pack, from, to }).map((t) => [t.taskId, t]));
  const [old, now] = [ids(before), ids(after)];
  const byRule = new Map<string, { added: PlannedTask[]; removed: PlannedTask[] }>();
  const entry = (ruleId: string) => byRule.get(ruleId) ?? byRule.set(ruleId, { added: [], removed: [] }).get(ruleId)!;
  for (const [id, task] of now) if (!old.has(id)) entry(task.ruleId).added.push(task);
  for (const [id, task] of old) if (!now.has(id)) entry(task.ruleId).removed.push(task);
  const span = from === to ? from : `${from}–${to}`;
  const header = parameterChanges(before, after);
  if (byRule.size === 0) return [...header, `Ingen skillnad i ${span} mellan ${options.base} och ${path.normalize(options.rules)}.`].join('\n');
  const subject = (t: PlannedTask) => t.caseId ?? '(enheten)';
  const lines = [...byRule.keys()].sort().flatMap((ruleId) => {
    const { added, removed } = byRule.get(ruleId)!;
    // A removed task whose case has an added task of the same rule in another month has moved.
    const moved: string[] = [];
    for (const gone of [...removed]) {
      const match = added.findIndex((t) => t.caseId === gone.caseId && t.period !== gone.period);
      if (match < 0) continue;
      moved.push(`${subject(gone)} ${gone.period} → ${added[match]!.period}`);
      added.splice(match, 1);
      removed.splice(removed.indexOf(gone), 1);
    }
    return [
      `${ruleId}: +${added.length} −${removed.length}${moved.length ? ` ~${moved.length}` : ''}`,
      ...(added.length ? [`  tillkommer: ${added.map(subject).join(', ')}`] : []),
      ...(removed.length ? [`  försvinner: ${removed.map(subject).join(', ')}`] : []),
      ...(moved.length ? [`  flyttas: ${moved.join(', ')}`] : []),
    ];
  });
  return [...header, `Skillnad i ${span}, ${options.base} → ${path.normalize(options.rules)}:`, ...lines].join('\n');
}
