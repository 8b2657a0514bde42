// Parses and validates a rule pack. Pure: files in, rules and errors out; every error names the
// file, the JSON path and the line, and says what to do.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Engine, Rule as EngineRule } from 'json-rules-engine';
import ruleSchema from '../../rules/schema/rule.schema.json' with { type: 'json' };
import { Locator, type Located, type Segment } from '../json/locate.js';
import { ajv, parseAgainst, type SourceFile } from '../json/schema.js';
import { loadCalendars, type Events } from '../calendar/events.js';
import { loadPlans, type LoadedPlan } from '../internkontroll/plan.js';
import { loadIndicators, type LoadedIndicator } from '../reports/indicators.js';
import { swedishCalendar, taskDates } from '../planner/calendar.js';
import { parametersUsed } from './compile.js';
import { expectedValue } from './operators.js';
import { factParameters, loadParameters, valuesOn, type LoadedParameter } from './parameters.js';
import { isLeaf, isParameterValue, type Condition, type LoadedRule, type Rule } from './rule.js';
import { checkReference } from './sources.js';

export type { SourceFile };

export type RuleError = Located;

export interface RulePack {
  rules: LoadedRule[];
  /** Internal-control plans, one per year. */
  plans: LoadedPlan[];
  /** The calendar files' events: the dates that change every year. */
  events: Events;
  /** Indicators reported per tertial or year against their targets. */
  indicators: LoadedIndicator[];
  /** Dated thresholds (rules/parameters/): ages and month counts, with the dates they change. */
  parameters: LoadedParameter[];
  /** The files the pack was loaded from, in path order. */
  files: SourceFile[];
  /** Hash over every file's path and content: the pack version recorded with each sweep. */
  hash: string;
}

const validateSchema = ajv.compile<Rule>(ruleSchema);

export function formatError(error: RuleError): string {
  return `${error.file}:${error.line} ${error.path}: ${error.message}`;
}

function checkConditions(condition: Condition, segments: Segment[], locate: Locator, errors: RuleError[]): void {
  if (isLeaf(condition)) {
    const expected = expectedValue(condition.operator);
    const value = condition.value;
    // A parameter's value is a number, checked against the pack's parameters once they are loaded.
    const ok = isParameterValue(value)
      ? expected === 'number' || expected === 'scalar'
      : expected === 'array'
        ? Array.isArray(value)
        : expected === 'number'
          ? typeof value === 'number'
          : expected === 'date'
            ? typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
            : !Array.isArray(value) || condition.operator === 'equal' || condition.operator === 'notEqual';
    if (!ok) {
      const what = { array: 'en lista', number: 'ett tal', date: 'ett datum ÅÅÅÅ-MM-DD', scalar: 'ett enkelt värde' }[expected];
      errors.push(locate.error([...segments, 'value'], `operatorn ${condition.operator} kräver ${what} som värde`));
    }
    return;
  }
  if ('all' in condition) condition.all.forEach((c, i) => checkConditions(c, [...segments, 'all', i], locate, errors));
  else if ('any' in condition) condition.any.forEach((c, i) => checkConditions(c, [...segments, 'any', i], locate, errors));
  else checkConditions(condition.not, [...segments, 'not'], locate, errors);
}

const referenceEngine = new Engine([], { allowUndefinedFacts: true });

function checkRule(rule: Rule, file: string, locate: Locator, errors: RuleError[]): void {
  const name = path.basename(file, '.json');
  if (name !== rule.id && !name.startsWith(`${rule.id}@`)) {
    errors.push(locate.error(['id'], `id "${rule.id}" stämmer inte med filnamnet: döp filen till ${rule.id}.json (eller ${rule.id}@FRÅN-DATUM.json för en ny version)`));
  }
  if (rule.validFrom && rule.validTo && rule.validTo < rule.validFrom) {
    errors.push(locate.error(['validTo'], `validTo ${rule.validTo} är före validFrom ${rule.validFrom}`));
  }
  if (rule.scope !== 'case' && rule.conditions) {
    errors.push(locate.error(['conditions'], `en uppgift med scope ${rule.scope} har inga villkor om ärenden: ta bort conditions`));
  }
  if (rule.scope !== 'case' && 'once' in rule.when) {
    errors.push(locate.error(['when', 'once'], `en uppgift med scope ${rule.scope} görs inte en gång per ärende: ta bort "once"`));
  }
  if (rule.proposal && !rule.validFrom) {
    errors.push(locate.error(['proposal'], 'en regel som bygger på ett förslag gäller från förslagets datum: sätt validFrom'));
  }
  checkReference(rule.reference, ['reference'], locate, errors);
  if (rule.scope !== 'case' && 'anchor' in rule.when) {
    errors.push(locate.error(['when', 'anchor'], `en uppgift med scope ${rule.scope} kan inte förankras i ett ärendes datum`));
  }
  if ((rule.scope === 'staff') !== (rule.staffRoles !== undefined)) {
    errors.push(locate.error([rule.scope === 'staff' ? 'scope' : 'staffRoles'], 'scope staff och staffRoles hör ihop: ange vems genomgång det gäller med "staffRoles", eller ta bort fältet'));
  }
  if (rule.report && rule.scope !== 'unit') {
    errors.push(locate.error(['report'], 'en rapports analys är en enhetsuppgift: sätt "scope": "unit"'));
  }
  if (rule.report && !rule.completion.noteRequired) {
    errors.push(locate.error(['completion', 'noteRequired'], 'anteckningen är rapportens analystext: sätt "noteRequired": true'));
  }
  if (rule.createOn && 'businessDaysAfterCreate' in rule.createOn) {
    errors.push(locate.error(['createOn'], 'createOn kan inte räknas från sig själv: använd businessDay eller date'));
  }
  if ('businessDaysBeforeDue' in rule.dueOn) {
    errors.push(locate.error(['dueOn'], 'dueOn kan inte räknas från sig själv: businessDaysBeforeDue hör till createOn'));
  }
  if (rule.createOn && 'anchorDay' in rule.createOn) {
    errors.push(locate.error(['createOn'], 'anchorDay är en förfallodag: sätt den i dueOn och createOn till { "businessDaysBeforeDue": N }'));
  }
  if ('anchorDay' in rule.dueOn && !('anchor' in rule.when)) {
    errors.push(locate.error(['dueOn'], 'anchorDay räknas från ett ankardatum: sätt "when": { "anchor": …, "every": N } eller { … "at": N }'));
  }
  if (rule.createOn && 'businessDaysBeforeDue' in rule.createOn && 'businessDaysAfterCreate' in rule.dueOn) {
    errors.push(locate.error(['createOn'], 'createOn och dueOn räknas från varandra: ange förfallodagen på annat sätt'));
  }
  // The anchor's day can be the 1st, before the month's first business day: count back from it.
  if ('anchorDay' in rule.dueOn && !(rule.createOn && 'businessDaysBeforeDue' in rule.createOn)) {
    errors.push(locate.error(['createOn'], 'uppgiften kan förfalla innan den skapas: sätt "createOn": { "businessDaysBeforeDue": N }'));
  }
  const outcomes = new Set(rule.completion.outcomes.map((o) => o.id));
  rule.followUps?.forEach((followUp, i) => {
    if (!outcomes.has(followUp.outcome)) {
      errors.push(locate.error(['followUps', i, 'outcome'], `utfallet "${followUp.outcome}" finns inte i completion.outcomes (${[...outcomes].join(', ')})`));
    }
  });
  if (rule.conditions) {
    checkConditions(rule.conditions, ['conditions'], locate, errors);
    try {
      // json-rules-engine's own parse: what it refuses, the reference interpreter could not run.
      referenceEngine.addRule(new EngineRule({ name: rule.id, conditions: rule.conditions, event: { type: rule.id } }));
      referenceEngine.removeRule(rule.id);
    } catch (error) {
      errors.push(locate.error(['conditions'], `json-rules-engine kan inte läsa villkoren: ${(error as Error).message}`));
    }
  }
  rule.examples?.forEach((example, i) => {
    if (rule.scope === 'case' && !example.case) {
      errors.push(locate.error(['examples', i], 'exemplet saknar "case": ett ärende att pröva regeln mot'));
    }
  });
}

function parseRule(file: SourceFile, errors: RuleError[]): LoadedRule | undefined {
  const parsed = parseAgainst(file, validateSchema, errors);
  if (!parsed) return undefined;
  const before = errors.length;
  checkRule(parsed.data, file.path, parsed.locate, errors);
  if (errors.length > before) return undefined;
  const version = createHash('sha256').update(file.text).digest('hex').slice(0, 12);
  return { rule: parsed.data, file: file.path, version };
}

/** Which kind of file this is, by the schema it names; a rule unless it says otherwise. */
function kindOf(file: SourceFile): 'rule' | 'plan' | 'calendar' | 'indicator' | 'parameter' {
  const schema = /"\$schema"\s*:\s*"([^"]*)"/.exec(file.text)?.[1] ?? '';
  if (schema.endsWith('parameter.schema.json')) return 'parameter';
  if (schema.endsWith('internkontroll-plan.schema.json')) return 'plan';
  if (schema.endsWith('calendar.schema.json')) return 'calendar';
  if (schema.endsWith('indicator.schema.json')) return 'indicator';
  return 'rule';
}

function overlaps(a: Rule, b: Rule): boolean {
  return (a.validFrom ?? '0000-00-00') <= (b.validTo ?? '9999-99-99') && (b.validFrom ?? '0000-00-00') <= (a.validTo ?? '9999-99-99');
}

/** The pack's version: a hash over every file's path and content, cheap to compute before parsing. */
export function packHash(files: SourceFile[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) hash.update(file.path).update('\0').update(file.text).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** Parses and validates every file; the pack is usable only when errors is empty. */
export function loadRulePack(files: SourceFile[]): { pack: RulePack; errors: RuleError[] } {
  const errors: RuleError[] = [];
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  const rules: LoadedRule[] = [];
  const other = { plan: [] as SourceFile[], calendar: [] as SourceFile[], indicator: [] as SourceFile[], parameter: [] as SourceFile[] };
  for (const file of sorted) {
    const kind = kindOf(file);
    if (kind !== 'rule') {
      other[kind].push(file);
      continue;
    }
    const loaded = parseRule(file, errors);
    if (loaded) rules.push(loaded);
  }
  const texts = new Map(files.map((file) => [file.path, file.text]));
  for (const [i, loaded] of rules.entries()) {
    const locate = new Locator(loaded.file, texts.get(loaded.file)!);
    const twin = rules.slice(0, i).find((other) => other.rule.id === loaded.rule.id && overlaps(other.rule, loaded.rule));
    if (twin) {
      errors.push(locate.error(['id'], `id "${loaded.rule.id}" finns redan i ${twin.file} med överlappande giltighet: byt id eller sätt validFrom/validTo så att de inte överlappar`));
    }
    const sameReport = loaded.rule.report && rules.slice(0, i).find((other) => other.rule.report === loaded.rule.report && overlaps(other.rule, loaded.rule));
    if (sameReport) {
      errors.push(locate.error(['report'], `rapporten ${loaded.rule.report} har redan sin analys i ${sameReport.file}: en regel per rapport`));
    }
    loaded.rule.followUps?.forEach((followUp, j) => {
      const target = rules.find((other) => other.rule.id === followUp.rule);
      if (!target) {
        errors.push(locate.error(['followUps', j, 'rule'], `uppföljningen pekar på regeln "${followUp.rule}", som inte finns`));
      } else if (!('followUp' in target.rule.when)) {
        errors.push(locate.error(['followUps', j, 'rule'], `regeln "${followUp.rule}" skapas inte som uppföljning: sätt "when": { "followUp": true } i ${target.file}`));
      }
    });
  }
  const parameters = loadParameters(other.parameter, errors);
  // A parameter file with errors of its own is still known by name: its errors say what is wrong, not every rule that reads it.
  checkParameters(rules, new Set([...parameters.map((p) => p.parameter.id), ...other.parameter.map((f) => path.basename(f.path, '.json'))]), texts, errors);
  const plans = loadPlans(other.plan, new Set(rules.map((r) => r.rule.id)), errors);
  for (const loaded of plans) youngAdultAges(loaded, parameters, texts, errors);
  const events = loadCalendars(other.calendar, errors);
  const indicators = loadIndicators(other.indicator, errors);
  for (const loaded of rules) {
    for (const key of ['createOn', 'dueOn'] as const) {
      const expression = loaded.rule[key];
      if (expression && 'event' in expression && !events[expression.event]) {
        errors.push(
          new Locator(loaded.file, texts.get(loaded.file)!).error([key, 'event'], `händelsen "${expression.event}" finns inte i någon kalenderfil (rules/calendar/ÅÅÅÅ.json)`),
        );
      }
    }
  }
  for (const loaded of rules) {
    const problem = dueBeforeCreated(loaded.rule, events);
    if (problem) errors.push(new Locator(loaded.file, texts.get(loaded.file)!).error(['dueOn'], problem));
  }
  return { pack: { rules, plans, events, indicators, parameters, files: sorted, hash: packHash(sorted) }, errors };
}

/** Every parameter a condition names exists, and so does every parameter the facts read. */
function checkParameters(rules: LoadedRule[], known: Set<string>, texts: Map<string, string>, errors: RuleError[]): void {
  for (const loaded of rules) {
    const missing = [...parametersUsed(loaded.rule.conditions)].filter((id) => !known.has(id));
    if (missing.length === 0) continue;
    const locate = new Locator(loaded.file, texts.get(loaded.file)!);
    for (const id of missing) errors.push(locate.error(['conditions'], `parametern "${id}" finns inte: lägg till rules/parameters/${id}.json eller rätta id (finns: ${[...known].sort().join(', ')})`));
  }
  if (rules.some((r) => r.rule.scope === 'case')) {
    for (const id of factParameters.filter((p) => !known.has(p))) {
      errors.push({ file: `parameters/${id}.json`, path: '$', line: 1, message: `parametern "${id}" saknas: fakta om ärendena läser den; lägg filen i regelmappens parameters/` });
    }
  }
}

/** A control of young adults samples by the ages in force on the plan year's first day (rules/parameters/). */
function youngAdultAges(loaded: LoadedPlan, parameters: LoadedParameter[], texts: Map<string, string>, errors: RuleError[]): void {
  const values = valuesOn(parameters, `${loaded.plan.year}-01-01`);
  loaded.plan.risks.forEach((risk, r) => risk.controls.forEach((control, c) => {
    if (control.population !== 'closed-young-adults') return;
    const [min, max] = [values['young-adult-min-age'], values['young-adult-max-age']];
    if (min === undefined || max === undefined) {
      errors.push(new Locator(loaded.file, texts.get(loaded.file)!).error(['risks', r, 'controls', c, 'population'], 'unga vuxna räknas med parametrarna young-adult-min-age och young-adult-max-age: lägg till dem i rules/parameters/'));
    } else control.ages = { min, max };
  }));
}

/**
 * A task due before it is created is a rule that cannot be done: tried in every month the rule
 * plans, in every year the calendar files cover (and the rule's validity), with Swedish business days.
 */
function dueBeforeCreated(rule: Rule, events: Events): string | undefined {
  if ('followUp' in rule.when || 'anchor' in rule.when || 'once' in rule.when) return undefined;
  const years = new Set(Object.values(events).flat().map((date) => Number(date.slice(0, 4))));
  for (const date of [rule.validFrom, rule.validTo]) if (date) years.add(Number(date.slice(0, 4)));
  if (years.size === 0) years.add(2027);
  const months = rule.when.months === 'every' ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] : rule.when.months;
  for (const year of [...years].sort()) {
    for (const month of months) {
      const period = `${year}-${String(month).padStart(2, '0')}`;
      const dates = taskDates(rule, period, swedishCalendar, events);
      if (dates && dates.dueOn < dates.createOn) {
        return `uppgiften för ${period} skulle förfalla ${dates.dueOn}, före den skapas ${dates.createOn}: räkna createOn bakåt från förfallodagen ({ "businessDaysBeforeDue": N }) eller flytta dueOn`;
      }
    }
  }
  return undefined;
}
