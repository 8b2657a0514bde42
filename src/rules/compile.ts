// Compiles json-rules-engine condition trees into plain functions. json-rules-engine stays the
// reference interpreter (reference.ts); a differential test keeps the two in step.
import type { Facts } from './facts.js';
import { operators } from './operators.js';
import type { ParameterValues } from './parameters.js';
import { isLeaf, isParameterValue, type Condition, type TopLevelCondition } from './rule.js';

/** Whether a case's facts in a month meet the conditions, with the parameters in force that month. */
export type Predicate = (facts: Facts, params: ParameterValues) => boolean;

const always: Predicate = () => true;

/**
 * The planner evaluates millions of comparisons of a number fact with a number: those run without
 * the operator's validator call (json-rules-engine's own answer for any other fact value).
 */
function numericLeaf(fact: keyof Facts, operator: string, value: unknown): Predicate | undefined {
  // json-rules-engine's equal is ===, with no validator.
  if (operator === 'equal' && (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string')) return (facts) => facts[fact] === value;
  if (typeof value !== 'number') return undefined;
  const slow = operators[operator as keyof typeof operators];
  switch (operator) {
    case 'greaterThanInclusive':
      return (facts) => { const a = facts[fact]; return typeof a === 'number' ? a >= value : slow(a, value); };
    case 'greaterThan':
      return (facts) => { const a = facts[fact]; return typeof a === 'number' ? a > value : slow(a, value); };
    case 'lessThanInclusive':
      return (facts) => { const a = facts[fact]; return typeof a === 'number' ? a <= value : slow(a, value); };
    case 'lessThan':
      return (facts) => { const a = facts[fact]; return typeof a === 'number' ? a < value : slow(a, value); };
    default:
      return undefined;
  }
}

export function compileCondition(condition: Condition): Predicate {
  if (isLeaf(condition)) {
    const { fact, value } = condition;
    const test = operators[condition.operator];
    if (isParameterValue(value)) {
      const id = value.params.id;
      return (facts, params) => test(facts[fact], params[id]);
    }
    return numericLeaf(fact, condition.operator, value) ?? ((facts) => test(facts[fact], value));
  }
  if ('all' in condition) {
    const parts = condition.all.map(compileCondition);
    // As json-rules-engine: an empty all or any holds.
    if (parts.length === 0) return always;
    // Plain loops: no closure per evaluation (the planner evaluates millions).
    return (facts, params) => {
      for (const part of parts) if (!part(facts, params)) return false;
      return true;
    };
  }
  if ('any' in condition) {
    const parts = condition.any.map(compileCondition);
    if (parts.length === 0) return always;
    return (facts, params) => {
      for (const part of parts) if (part(facts, params)) return true;
      return false;
    };
  }
  const inner = compileCondition(condition.not);
  return (facts, params) => !inner(facts, params);
}

export function compileConditions(conditions: TopLevelCondition | undefined): Predicate {
  return conditions ? compileCondition(conditions) : always;
}

/** Every parameter a condition tree reads as a value. */
export function parametersUsed(condition: Condition | undefined, into: Set<string> = new Set()): Set<string> {
  if (!condition) return into;
  if (isLeaf(condition)) {
    if (isParameterValue(condition.value)) into.add(condition.value.params.id);
  } else if ('all' in condition) condition.all.forEach((c) => parametersUsed(c, into));
  else if ('any' in condition) condition.any.forEach((c) => parametersUsed(c, into));
  else parametersUsed(condition.not, into);
  return into;
}

/** Every fact a condition tree reads, in order of first use: the facts a task's `because` explains. */
export function factsUsed(condition: Condition | undefined, into: Set<keyof Facts> = new Set()): Set<keyof Facts> {
  if (!condition) return into;
  if (isLeaf(condition)) into.add(condition.fact);
  else if ('all' in condition) condition.all.forEach((c) => factsUsed(c, into));
  else if ('any' in condition) condition.any.forEach((c) => factsUsed(c, into));
  else factsUsed(condition.not, into);
  return into;
}
