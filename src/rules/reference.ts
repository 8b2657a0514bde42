// json-rules-engine as the reference interpreter of rule conditions: `arshjul why` shows its
// verdict condition by condition, and the differential test holds the compiled planner to it.
import { Engine, Operator, type RuleResult } from 'json-rules-engine';
import type { Facts } from './facts.js';
import { customOperators } from './operators.js';
import type { ParameterValues } from './parameters.js';
import type { Condition, Rule } from './rule.js';

export interface ConditionVerdict {
  fact: string;
  operator: string;
  value: unknown;
  factValue: unknown;
  /** The value compared with, when it is a parameter: its value in force in the month. */
  valueResult?: unknown;
  /** Undefined where json-rules-engine short-circuited and never looked. */
  result: boolean | undefined;
  /** Nesting: all / any / not above this leaf. */
  depth: number;
}

function engineFor(rule: Rule): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, test] of Object.entries(customOperators)) {
    // The custom tests carry their own fact-value guards, so no extra validator is needed here.
    engine.addOperator(new Operator(name, test));
  }
  engine.addRule({ name: rule.id, conditions: rule.conditions ?? { all: [] }, event: { type: rule.id } });
  return engine;
}

const engines = new WeakMap<Rule, Engine>();

async function run(rule: Rule, facts: Facts, params: ParameterValues): Promise<RuleResult> {
  let engine = engines.get(rule);
  if (!engine) engines.set(rule, (engine = engineFor(rule)));
  // A parameter is json-rules-engine's dynamic fact with params: { "fact": "parameter", "params": { "id": … } }.
  const parameter = (args: { id: string }) => params[args.id];
  const { results, failureResults } = await engine.run({ ...facts, parameter });
  return (results[0] ?? failureResults[0])!;
}

export async function referenceHolds(rule: Rule, facts: Facts, params: ParameterValues): Promise<boolean> {
  return (await run(rule, facts, params)).result === true;
}

type EvaluatedCondition = Condition & { factResult?: unknown; valueResult?: unknown; result?: boolean };

function leaves(condition: EvaluatedCondition, depth: number, into: ConditionVerdict[]): ConditionVerdict[] {
  if ('fact' in condition) {
    into.push({
      fact: condition.fact,
      operator: condition.operator,
      value: condition.value,
      factValue: condition.factResult,
      ...(typeof condition.value === 'object' && condition.value !== null && !Array.isArray(condition.value) ? { valueResult: condition.valueResult } : {}),
      result: condition.result,
      depth,
    });
  } else if ('all' in condition) condition.all.forEach((c) => leaves(c, depth + 1, into));
  else if ('any' in condition) condition.any.forEach((c) => leaves(c, depth + 1, into));
  else leaves(condition.not, depth + 1, into);
  return into;
}

/** The rule's verdict and each leaf condition with the fact's value, as json-rules-engine saw them. */
export async function explainReference(rule: Rule, facts: Facts, params: ParameterValues): Promise<{ result: boolean; conditions: ConditionVerdict[] }> {
  const result = await run(rule, facts, params);
  const conditions = result.conditions as unknown as EvaluatedCondition;
  return { result: result.result === true, conditions: leaves(conditions, -1, []) };
}
