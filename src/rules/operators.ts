// The condition operators: json-rules-engine's built-ins, mirrored exactly so compiled rules and
// the reference interpreter agree, plus Årshjul's own date and month operators.
import type { Operator } from './rule.js';

type Test = (factValue: unknown, value: unknown) => boolean;

// json-rules-engine's test, with a fast path for numbers that gives the same answer without allocating.
const isNumber = (x: unknown) => (typeof x === 'number' ? !Number.isNaN(x) : Number.parseFloat(x as string).toString() !== 'NaN');
const isDate = (x: unknown) => typeof x === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(x);

/** As json-rules-engine evaluates: the fact value must pass the validator, then the test. */
function guarded(validator: (x: unknown) => boolean, test: Test): Test {
  return (a, b) => validator(a) && test(a, b);
}

export const builtInOperators = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  in: (a, b) => (b as unknown[]).indexOf(a) > -1,
  notIn: (a, b) => (b as unknown[]).indexOf(a) === -1,
  contains: guarded(Array.isArray, (a, b) => (a as unknown[]).indexOf(b) > -1),
  doesNotContain: guarded(Array.isArray, (a, b) => (a as unknown[]).indexOf(b) === -1),
  lessThan: guarded(isNumber, (a, b) => (a as number) < (b as number)),
  lessThanInclusive: guarded(isNumber, (a, b) => (a as number) <= (b as number)),
  greaterThan: guarded(isNumber, (a, b) => (a as number) > (b as number)),
  greaterThanInclusive: guarded(isNumber, (a, b) => (a as number) >= (b as number)),
} satisfies Record<string, Test>;

export const customOperators = {
  /** A date fact (YYYY-MM-DD) on or before the given date; an empty date never matches. */
  dateOnOrBefore: guarded(isDate, (a, b) => (a as string) <= (b as string)),
  dateOnOrAfter: guarded(isDate, (a, b) => (a as string) >= (b as string)),
  /** A month count that is a whole multiple of the value, e.g. every third month. */
  multipleOf: guarded(isNumber, (a, b) => (a as number) % (b as number) === 0),
} satisfies Record<string, Test>;

export const operators: Record<Operator, Test> = { ...builtInOperators, ...customOperators };
export const operatorNames = Object.keys(operators) as Operator[];

/** Which type of value each operator expects; validation checks a condition's value against it. */
export function expectedValue(operator: Operator): 'array' | 'number' | 'date' | 'scalar' {
  if (operator === 'in' || operator === 'notIn') return 'array';
  if (operator === 'dateOnOrBefore' || operator === 'dateOnOrAfter') return 'date';
  if (operator in customOperators || operator.startsWith('lessThan') || operator.startsWith('greaterThan')) return 'number';
  return 'scalar';
}
