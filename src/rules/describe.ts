// A rule in plain Swedish for the admin's view: when it makes tasks, for whom, when they are due
// and on which conditions. Pure; the words follow the rule file's fields one for one.
import type { StaffRole } from '../cases/caseFile.js';
import { factDefinitions } from './facts.js';
import { isLeaf, isParameterValue, type Condition, type DateExpression, type Rule, type When } from './rule.js';

const monthNames = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];
const anchors: Record<string, string> = {
  monthsSinceWorkPlan: 'arbetsplanens datum', monthsUnemployed: 'arbetslöshetens början', monthsSinceOpened: 'ärendets öppnande', monthsSinceActivityPlan: 'planen för aktivitetskravet',
};
export const roleNames: Record<StaffRole, string> = {
  socialsekreterare: 'socialsekreterare',
  bidragshandlaggare: 'bidragshandläggare',
  'bitradande-enhetschef': 'biträdande enhetschef',
  enhetschef: 'enhetschef',
  'administrativ-assistent': 'administrativ assistent',
  'fut-utredare': 'FUT-utredare',
  arbetskonsulent: 'arbetskonsulent',
};
const operators: Record<string, string> = {
  equal: 'är', notEqual: 'är inte', lessThan: 'är mindre än', lessThanInclusive: 'är högst', greaterThan: 'är större än', greaterThanInclusive: 'är minst',
  in: 'är en av', notIn: 'är ingen av', contains: 'innehåller', doesNotContain: 'innehåller inte', dateOnOrBefore: 'är senast', dateOnOrAfter: 'är tidigast', multipleOf: 'är en multipel av',
};

/** The reference pack's events by name; an installation's own events show by id. */
const eventNames: Record<string, string> = { 'board-meeting': 'nämndens sammanträde', 'cooperation-meeting': 'samverkansmötet', 'staff-meeting': 'arbetsplatsträffen' };

const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} och ${items.at(-1)}`);

export function describeWhen(when: When): string {
  if ('months' in when) return when.months === 'every' ? 'varje månad' : `i ${list(when.months.map((m) => monthNames[m - 1]!))}`;
  if ('followUp' in when) return 'som uppföljning när en annan kontroll avslutas med ett visst utfall';
  if ('once' in when) return 'en gång per ärende, den första månaden då villkoren gäller';
  if ('every' in when) return `var ${when.every}:e månad räknat från ${anchors[when.anchor]}`;
  if ('from' in when) return `en gång, den första månaden från ${when.from} månader efter ${anchors[when.anchor]} då villkoren gäller`;
  return `en gång, ${when.at} månader efter ${anchors[when.anchor]}`;
}

export function describeDate(date: DateExpression): string {
  if ('businessDay' in date) return `${date.businessDay === 'first' ? 'första' : 'sista'} bankdagen i ${date.month ? monthNames[date.month - 1] : 'månaden'}`;
  if ('businessDaysAfterCreate' in date) return `${date.businessDaysAfterCreate} bankdagar efter att uppgiften skapats`;
  if ('event' in date) return `${date.businessDaysBefore ?? 0} bankdagar före ${eventNames[date.event] ?? `händelsen ${date.event}`} (kalenderfilen)`;
  if ('anchorDay' in date) return 'samma dag i månaden som ankardatumet (månadens sista dag om den är kortare; helgdag: bankdagen före)';
  if ('businessDaysBeforeDue' in date) return `${date.businessDaysBeforeDue} bankdagar före förfallodagen`;
  const [month, day] = date.date.split('-').map(Number) as [number, number];
  return `den ${day} ${monthNames[month - 1]} (helgdag: ${date.roll === 'previous' ? 'bankdagen före' : 'bankdagen efter'})`;
}

export function describeCondition(condition: Condition): string {
  if (isLeaf(condition)) {
    const value = isParameterValue(condition.value) ? `parametern ${condition.value.params.id}` : typeof condition.value === 'boolean' ? (condition.value ? 'ja' : 'nej') : JSON.stringify(condition.value);
    // The fact by what it means ("beviljat kosttillskott är ja"), not by its name in the file.
    return `${factDefinitions[condition.fact]?.label ?? condition.fact} ${operators[condition.operator] ?? condition.operator} ${value}`;
  }
  if ('all' in condition) return `(${condition.all.map(describeCondition).join(' och ')})`;
  if ('any' in condition) return `(${condition.any.map(describeCondition).join(' eller ')})`;
  return `inte ${describeCondition(condition.not)}`;
}

export function describeRule(rule: Rule): { when: string; who: string; due: string; conditions: string } {
  const who = rule.assignee.fallback ? `${roleNames[rule.assignee.role]} (saknar enheten en: ${roleNames[rule.assignee.fallback]})` : roleNames[rule.assignee.role];
  return {
    when: `${rule.scope === 'unit' ? 'En enhetsuppgift' : rule.scope === 'staff' ? `En uppgift per ${rule.staffRoles?.join(' och ')}` : 'En uppgift per ärende'} ${describeWhen(rule.when)}${rule.createOn ? `, skapas ${describeDate(rule.createOn)}` : ', skapas första bankdagen'}`,
    who,
    due: describeDate(rule.dueOn),
    conditions: rule.conditions ? describeCondition(rule.conditions) : rule.scope === 'case' ? 'alla aktiva ärenden' : '–',
  };
}
