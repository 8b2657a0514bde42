// Parses and validates a rule pack. Pure: files in, rules and errors out; every error names the
// file, the JSON path and the line, and says what to do.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { Engine, Rule as EngineRule } from 'json-rules-engine';
import ruleSchema from '../../rules/schema/rule.schema.json' with { type: 'json' };
import { lineAt, Locator, type Located, type Segment } from '../json/locate.js';
import { expectedValue } from './operators.js';
import { isLeaf, type Condition, type LoadedRule, type Rule } from './rule.js';

export interface SourceFile {
  path: string;
  text: string;
}

export type RuleError = Located;

export interface RulePack {
  rules: LoadedRule[];
  /** The files the pack was loaded from, in path order. */
  files: SourceFile[];
  /** Hash over every file's path and content: the pack version recorded with each sweep. */
  hash: string;
}

// verbose: errors carry the offending value, which the messages quote.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const validateSchema = ajv.compile<Rule>(ruleSchema);

export function formatError(error: RuleError): string {
  return `${error.file}:${error.line} ${error.path}: ${error.message}`;
}

function pointerSegments(pointer: string, data: unknown): Segment[] {
  if (!pointer) return [];
  const segments: Segment[] = [];
  let current = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(current) ? Number(key) : key;
    segments.push(segment);
    current = (current as Record<string, unknown> | undefined)?.[segment as string];
  }
  return segments;
}

function schemaMessage(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return `fältet "${(error.params as { missingProperty: string }).missingProperty}" saknas: lägg till det`;
    case 'additionalProperties':
      return `okänt fält "${(error.params as { additionalProperty: string }).additionalProperty}": ta bort det eller rätta stavningen`;
    case 'enum':
      return `okänt värde ${JSON.stringify(error.data)}: tillåtna är ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'const':
      return `måste vara ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
    case 'pattern':
      return `${JSON.stringify(error.data)} har fel form (${error.parentSchema?.description ?? `mönster ${(error.params as { pattern: string }).pattern}`})`;
    case 'type':
      return `ska vara av typen ${(error.params as { type: string }).type}`;
    default:
      return error.message ?? error.keyword;
  }
}

/**
 * ajv reports every branch of a oneOf that failed. Keep what a person can act on: the errors at the
 * deepest paths, and a oneOf's own message only where nothing deeper explains it.
 */
function relevantSchemaErrors(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
  const deepest = specific.filter(
    (e) => !specific.some((other) => other !== e && other.instancePath.startsWith(e.instancePath + '/')),
  );
  // Within a oneOf over object shapes, the branch that got furthest names the fields it knows;
  // "missing field" errors from the other branches are noise when a deeper error exists.
  const kept = deepest.length > 0 ? deepest : errors;
  const seen = new Set<string>();
  return kept.filter((e) => {
    const key = `${e.instancePath} ${schemaMessage(e)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function checkConditions(condition: Condition, segments: Segment[], locate: Locator, errors: RuleError[]): void {
  if (isLeaf(condition)) {
    const expected = expectedValue(condition.operator);
    const value = condition.value;
    const ok =
      expected === 'array'
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
  if (rule.scope === 'unit' && rule.conditions) {
    errors.push(locate.error(['conditions'], 'en enhetsuppgift (scope unit) har inga villkor om ärenden: ta bort conditions'));
  }
  if (rule.scope === 'unit' && 'anchor' in rule.when) {
    errors.push(locate.error(['when', 'anchor'], 'en enhetsuppgift kan inte förankras i ett ärendes datum'));
  }
  if (rule.createOn && 'businessDaysAfterCreate' in rule.createOn) {
    errors.push(locate.error(['createOn'], 'createOn kan inte räknas från sig själv: använd businessDay eller date'));
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

function parseFile(file: SourceFile, errors: RuleError[]): LoadedRule | undefined {
  let data: unknown;
  try {
    data = JSON.parse(file.text);
  } catch {
    const parseErrors: ParseError[] = [];
    parseTree(file.text, parseErrors, { disallowComments: true, allowTrailingComma: false });
    const first = parseErrors[0];
    errors.push({
      file: file.path,
      path: '$',
      line: lineAt(file.text, first?.offset ?? 0),
      message: `ogiltig JSON (${first ? printParseErrorCode(first.error) : 'kan inte läsas'}): rätta syntaxen`,
    });
    return undefined;
  }
  const locate = new Locator(file.path, file.text);
  if (!validateSchema(data)) {
    for (const error of relevantSchemaErrors(validateSchema.errors ?? [])) {
      const segments = pointerSegments(error.instancePath, data);
      if (error.keyword === 'additionalProperties') segments.push((error.params as { additionalProperty: string }).additionalProperty);
      errors.push(locate.error(segments, schemaMessage(error)));
    }
    return undefined;
  }
  const before = errors.length;
  checkRule(data, file.path, locate, errors);
  if (errors.length > before) return undefined;
  const version = createHash('sha256').update(file.text).digest('hex').slice(0, 12);
  return { rule: data, file: file.path, version };
}

function overlaps(a: Rule, b: Rule): boolean {
  return (a.validFrom ?? '0000-00-00') <= (b.validTo ?? '9999-99-99') && (b.validFrom ?? '0000-00-00') <= (a.validTo ?? '9999-99-99');
}

/** Parses and validates every file; the pack is usable only when errors is empty. */
export function loadRulePack(files: SourceFile[]): { pack: RulePack; errors: RuleError[] } {
  const errors: RuleError[] = [];
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  const rules: LoadedRule[] = [];
  for (const file of sorted) {
    const loaded = parseFile(file, errors);
    if (loaded) rules.push(loaded);
  }
  const texts = new Map(files.map((file) => [file.path, file.text]));
  for (const [i, loaded] of rules.entries()) {
    const locate = new Locator(loaded.file, texts.get(loaded.file)!);
    const twin = rules.slice(0, i).find((other) => other.rule.id === loaded.rule.id && overlaps(other.rule, loaded.rule));
    if (twin) {
      errors.push(locate.error(['id'], `id "${loaded.rule.id}" finns redan i ${twin.file} med överlappande giltighet: byt id eller sätt validFrom/validTo så att de inte överlappar`));
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
  const hash = createHash('sha256');
  for (const file of sorted) hash.update(file.path).update('\0').update(file.text).update('\0');
  return { pack: { rules, files: sorted, hash: hash.digest('hex').slice(0, 16) }, errors };
}
