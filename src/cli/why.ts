// `arshjul why`: why a rule did or did not fire for a case in a month, step by step, with
// json-rules-engine's verdict on each condition.
import { lastDayOfMonth } from '../calendar/months.js';
import { readCaseFile } from '../cases/readCaseFile.js';
import { ConfigError } from '../platform/config.js';
import { anchorHolds, compilePack, plan, plannedIn, monthName } from '../planner/plan.js';
import { readRulePack } from '../rules/files.js';
import type { LoadedParameter } from '../rules/parameters.js';
import { isParameterValue } from '../rules/rule.js';
import { activeIn, caseFacts, factContext, factDefinitions, type FactName } from '../rules/facts.js';
import { explainReference } from '../rules/reference.js';
import { requireMonth } from './plan.js';

const yes = (holds: boolean) => (holds ? 'ja' : 'nej');

/** A condition's value; a parameter with its value in force, the date it took effect and where it comes from. */
function parameterText(value: unknown, valueResult: unknown, parameters: LoadedParameter[], firstDay: string): string {
  if (!isParameterValue(value)) return JSON.stringify(value);
  const found = parameters.find((p) => p.parameter.id === value.params.id);
  const entry = found?.parameter.values.filter((v) => v.from <= firstDay).at(-1);
  const source = found && (entry?.reference ?? found.parameter.reference).join('; ');
  return `parametern ${value.params.id} = ${JSON.stringify(valueResult)}${found && entry ? ` (från ${entry.from}; ${found.file}; källa: ${source})` : ''}`;
}

export async function whyCommand(options: { cases?: string; case?: string; rule?: string; month?: string; rules: string }): Promise<string> {
  if (!options.cases) throw new ConfigError('ange ärendefilen med --cases FIL');
  if (!options.case || !options.rule) throw new ConfigError('ange --case ÄRENDE och --rule REGEL');
  const month = requireMonth('month', options.month);
  const [caseFile, pack] = await Promise.all([readCaseFile(options.cases), readRulePack(options.rules)]);
  const c = caseFile.cases.find((candidate) => candidate.caseId === options.case);
  if (!c) throw new ConfigError(`ärendet ${options.case} finns inte i ${options.cases}`);
  const firstDay = `${month}-01`;
  const candidates = compilePack(pack).filter((r) => r.rule.id === options.rule);
  if (candidates.length === 0) throw new ConfigError(`regeln ${options.rule} finns inte i ${options.rules}`);
  // Of several versions of a rule, the one valid in the month; else the first, to say why none is.
  const compiled = candidates.find((r) => plannedIn(r, Number(month.slice(5)), firstDay)) ?? candidates[0]!;
  const { rule } = compiled;

  const lines = [`${rule.id} (${rule.title}), version ${compiled.loaded.version}, ärende ${c.caseId}, ${monthName(month)}`];
  lines.push(`  källa: ${rule.reference.join('; ')} (${compiled.loaded.file})`);
  if (rule.proposal) lines.push(`  bygger på ett förslag, inte lag: ${rule.proposal}`);
  const valid = (!rule.validFrom || firstDay >= rule.validFrom) && (!rule.validTo || firstDay <= rule.validTo);
  lines.push(`  giltig i månaden: ${yes(valid)} (från ${rule.validFrom ?? '–'}, till ${rule.validTo ?? '–'})`);
  const when = rule.when;
  const whenText =
    'months' in when
      ? when.months === 'every' ? 'varje månad' : `månader ${when.months.join(', ')}`
      : 'followUp' in when ? 'bara som uppföljning' : 'once' in when ? 'en gång, första månaden villkoren gäller' : `förankrad i ${when.anchor}`;
  lines.push(`  planeras i månaden: ${yes(plannedIn(compiled, Number(month.slice(5)), firstDay))} (${whenText})`);
  const active = activeIn(c, firstDay, lastDayOfMonth(month));
  lines.push(`  ärendet aktivt: ${yes(active)} (öppnat ${c.openedOn}, ${c.closedOn ? `avslutat ${c.closedOn}` : 'inte avslutat'})`);
  const facts = caseFacts(c, month, pack.parameters);
  const { params } = factContext(pack.parameters, firstDay);
  if ('anchor' in when) {
    const text = 'every' in when ? `var ${when.every}:e månad` : 'at' in when ? `när ${when.at} månader har gått` : `från ${when.from} månader, första månaden villkoren gäller`;
    lines.push(`  ankare ${when.anchor} = ${JSON.stringify(facts[when.anchor])}, ${text}: ${yes(anchorHolds(rule, facts))}`);
  }
  const verdict = await explainReference(rule, facts, params);
  if (verdict.conditions.length === 0) lines.push('  villkor: inga (alla aktiva ärenden)');
  else lines.push('  villkor (json-rules-engine):');
  for (const condition of verdict.conditions) {
    const label = factDefinitions[condition.fact as FactName]?.label ?? condition.fact;
    const mark = condition.result === undefined ? '·' : condition.result ? '✓' : '✗';
    lines.push(
      `  ${'  '.repeat(condition.depth + 1)}${mark} ${condition.fact} (${label}) = ${JSON.stringify(condition.factValue ?? facts[condition.fact as FactName])} ${condition.operator} ${parameterText(condition.value, condition.valueResult, pack.parameters, firstDay)}${condition.result === undefined ? ' (inte prövat)' : ''}`,
    );
  }
  const task = plan({ caseFile: { ...caseFile, cases: [c] }, pack: { ...pack, rules: [compiled.loaded] }, from: month, to: month })[0];
  lines.push(
    task
      ? `  Resultat: uppgift ${task.taskId}, skapas ${task.createOn}, förfaller ${task.dueOn}, tilldelas ${task.assignee ?? '–'}\n  därför att: ${task.because.join('; ')}`
      : '  Resultat: ingen uppgift',
  );
  return lines.join('\n');
}
