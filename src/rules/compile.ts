// Compiles json-rules-engine condition trees into plain functions. json-rules-engine stays the
// reference interpreter (reference.ts); a differential test keeps the two in step.
import type { Facts } from './facts.js';
import { operators } from './operators.js';
import { isLeaf, type Condition, type TopLevelCondition } from './rule.js';

export type Predicate = (facts: Facts) => boolean;

const always: Predicate = () => true;

export function compileCondition(condition: Condition): Predicate {
  if (isLeaf(condition)) {
    const { fact, value } = condition;
    const test = operators[condition.operator];
    return (facts) => test(facts[fact], value);
  }
  if ('all' in condition) {
    const parts = condition.all.map(compileCondition);
    // As json-rules-engine: an empty all or any holds.
    if (parts.length === 0) return always;
    return (facts) => parts.every((part) => part(facts));
  }
  if ('any' in condition) {
    const parts = condition.any.map(compileCondition);
    if (parts.length === 0) return always;
    return (facts) => parts.some((part) => part(facts));
  }
  const inner = compileCondition(condition.not);
  return (facts) => !inner(facts);
}

export function compileConditions(conditions: TopLevelCondition | undefined): Predicate {
  return conditions ? compileCondition(conditions) : always;
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
