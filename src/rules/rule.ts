// The rule format (rules/schema/rule.schema.json is its JSON Schema).
import type { Case, StaffRole } from '../cases/caseFile.js';
import type { FactName } from './facts.js';

export type DateExpression =
  | { businessDay: 'first' | 'last'; month?: number }
  | { businessDaysAfterCreate: number }
  | { date: string; roll?: 'next' | 'previous' }
  /** An event of the year's calendar file (rules/calendar/YYYY.json) in the task's month, less N business days. */
  | { event: string; businessDaysBefore?: number }
  /** Due only: the anchor's day of the month in the task's month (its last day when shorter), back to a business day. */
  | { anchorDay: true }
  /** Create only: so many business days before the due day (which may fall in the month before the task's). */
  | { businessDaysBeforeDue: number };

export type Anchor = 'monthsSinceWorkPlan' | 'monthsUnemployed' | 'monthsSinceOpened' | 'monthsSinceActivityPlan';

export type When =
  | { months: number[] | 'every' }
  | { anchor: Anchor; every: number }
  | { anchor: Anchor; at: number }
  /** Once: the month, N or more months after the anchor, in which the conditions start to hold. */
  | { anchor: Anchor; from: number }
  /** Once per case: the first month its conditions hold (not the month before, when the case was active and the rule in force). */
  | { once: true }
  | { followUp: true };

export type Operator =
  | 'equal'
  | 'notEqual'
  | 'lessThan'
  | 'lessThanInclusive'
  | 'greaterThan'
  | 'greaterThanInclusive'
  | 'in'
  | 'notIn'
  | 'contains'
  | 'doesNotContain'
  | 'dateOnOrBefore'
  | 'dateOnOrAfter'
  | 'multipleOf';

export type Scalar = string | number | boolean | null;

/** A dated parameter of rules/parameters/ as a condition's value, in json-rules-engine's own form (a fact with params). */
export interface ParameterValue {
  fact: 'parameter';
  params: { id: string };
}

export const isParameterValue = (value: unknown): value is ParameterValue =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && (value as ParameterValue).fact === 'parameter';

export interface LeafCondition {
  fact: FactName;
  operator: Operator;
  value: Scalar | Scalar[] | ParameterValue;
  name?: string;
}

export type Condition = LeafCondition | { all: Condition[] } | { any: Condition[] } | { not: Condition };
export type TopLevelCondition = { all: Condition[] } | { any: Condition[] } | { not: Condition };

export interface Example {
  description: string;
  month: string;
  case?: Case;
  expect: boolean;
}

export interface Rule {
  id: string;
  title: string;
  /** Where the rule comes from: a source document, a law, a proposal, or "Årshjulets val: why". */
  reference: string[];
  /** The proposal the rule rests on while it is not law. */
  proposal?: string;
  instructions: string;
  /** case: one task per active case; unit: one for the unit; staff: one per person of `staffRoles` (a deputy head's review with each caseworker). */
  scope: 'case' | 'unit' | 'staff';
  staffRoles?: StaffRole[];
  when: When;
  createOn?: DateExpression;
  dueOn: DateExpression;
  /** The role that does it; `fallback` when the unit has nobody of that role (FUT-utredare → biträdande enhetschef). */
  assignee: { role: StaffRole; fallback?: StaffRole };
  completion: { outcomes: { id: string; label: string }[]; noteRequired?: boolean; secondSignOff?: boolean };
  followUps?: { outcome: string; rule: string }[];
  /** This unit task is a report's analysis: its completion note is the report's analysis text. */
  report?: 'T1' | 'T2' | 'VB';
  /** Business days from the due date to the round's reminder and escalation; defaults in roundDates. */
  round?: { remindBusinessDaysBefore?: number; escalateBusinessDaysAfter?: number };
  validFrom?: string;
  validTo?: string;
  conditions?: TopLevelCondition;
  examples?: Example[];
}

/** A rule as loaded: where it came from and the hash of its file, which is the task's ruleVersion. */
export interface LoadedRule {
  rule: Rule;
  file: string;
  version: string;
}

export function isLeaf(condition: Condition): condition is LeafCondition {
  return 'fact' in condition;
}
