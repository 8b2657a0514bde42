// Facts: what a rule may ask about a case in a month, so rules never compute ages, dates or
// household composition themselves (docs/domain.md, "Definitions the pack uses").
// A case is read once into a profile (dates as month numbers, members' birth dates as numbers);
// each month's facts are then arithmetic on it, with the parameters in force on the month's
// first day (rules/parameters/).
import type { Case, Member } from '../cases/caseFile.js';
import { monthFromIndex, monthIndex } from '../calendar/months.js';
import { factParameters, valueOn, valuesOn, type LoadedParameter, type ParameterValues } from './parameters.js';

export interface Facts {
  /** Kinds of income the household has. */
  incomes: string[];
  pensionOrSocialInsuranceIncome: boolean;
  membersInLastGymnasiumYear: number;
  membersGraduatingInJune: number;
  /** Members in gymnasium whose expected graduation is after the month's first day, whatever their age. */
  gymnasiumYouths: number;
  visitingChildren: number;
  /** Members of role child under the child age (parameter child-age). */
  children: number;
  /** All members of the household but visiting children. */
  members: number;
  /** Applicants and co-applicants. */
  adults: number;
  /** Members, visiting children aside, from the child age up to (not including) the riktålder. */
  adultsOfWorkingAge: number;
  fSkatt: boolean;
  kosttillskott: boolean;
  passportCheck: boolean;
  homeless: boolean;
  /** A work plan established on or before the month's first day. */
  hasWorkPlan: boolean;
  monthsSinceWorkPlan: number | null;
  /** An individual plan of the activity requirement established on or before the month's first day. */
  hasActivityPlan: boolean;
  monthsSinceActivityPlan: number | null;
  monthsUnemployed: number | null;
  monthsSinceOpened: number;
  applicantAge: number | null;
  /** Months from this month to the month an applicant or co-applicant reaches the riktålder in force then. */
  monthsUntilRiktalder: number | null;
  monthsOnAssistanceLast12: number;
  /** Members of role child who turn holiday-job-min-age to holiday-job-max-age during the year. */
  youthsForHolidayJobs: number;
  openedOn: string;
  closedOn: string | null;
}

export type FactName = keyof Facts;
export type FactType = 'boolean' | 'number' | 'string' | 'date' | 'list';

const socialInsuranceIncomes = new Set(['pension', 'sjukersattning', 'aktivitetsersattning', 'sjukpenning', 'foraldrapenning']);

/** Age in whole years on date (both ISO). */
export function ageOn(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

interface MemberProfile {
  role: Member['role'];
  birthYear: number;
  /** 1–12. */
  birthMonth: number;
  /** The month index from which the age on a month's first day counts a year more: the birth month, or the next when born after the 1st. */
  ageKey: number;
  /** Expected graduation from gymnasium, for members in gymnasium of the household norm. */
  graduation: string | undefined;
}

/** A case read once: what every month's facts are computed from. */
export interface CaseProfile {
  c: Case;
  opened: number;
  /** Month index of closing; Infinity while open. */
  closed: number;
  members: MemberProfile[];
  incomes: string[];
  pensionOrSocialInsuranceIncome: boolean;
  workPlanOn: string | undefined;
  workPlan: number | undefined;
  activityPlanOn: string | undefined;
  activityPlan: number | undefined;
  flags: { fSkatt: boolean; kosttillskott: boolean; passportCheck: boolean; homeless: boolean };
  unemployed: number | undefined;
  /** The months assistance was paid, when the file has them. */
  paid: Set<number> | undefined;
  /** Per riktålder timeline: the month each adult reaches it; filled on first use. */
  riktalderMonths?: { key: string; months: number[] };
}

/** A month's index (year × 12 + month − 1) from 'YYYY-MM' or a date. */
const indexOf = (date: string) => monthIndex(date);

export function caseProfile(c: Case): CaseProfile {
  const incomes = c.incomes ?? [];
  return {
    c,
    opened: indexOf(c.openedOn),
    closed: c.closedOn ? indexOf(c.closedOn) : Infinity,
    members: c.members.map((m) => ({
      role: m.role,
      birthYear: Number(m.birthDate.slice(0, 4)),
      birthMonth: Number(m.birthDate.slice(5, 7)),
      ageKey: indexOf(m.birthDate) + (Number(m.birthDate.slice(8, 10)) > 1 ? 1 : 0),
      // A child on a visit (umgänge) belongs to another household's norm.
      graduation: m.school?.type === 'gymnasium' && m.role !== 'visiting-child' ? (m.school.expectedGraduation ?? '') : undefined,
    })),
    incomes,
    pensionOrSocialInsuranceIncome: incomes.some((income) => socialInsuranceIncomes.has(income)),
    workPlanOn: c.workPlan?.establishedOn ?? undefined,
    workPlan: c.workPlan?.establishedOn ? indexOf(c.workPlan.establishedOn) : undefined,
    activityPlanOn: c.activityPlan?.establishedOn ?? undefined,
    activityPlan: c.activityPlan?.establishedOn ? indexOf(c.activityPlan.establishedOn) : undefined,
    flags: { fSkatt: c.flags?.fSkatt === true, kosttillskott: c.flags?.kosttillskott === true, passportCheck: c.flags?.passportCheck === true, homeless: c.flags?.homeless === true },
    unemployed: c.unemployedSince ? indexOf(c.unemployedSince) : undefined,
    paid: c.assistanceMonths ? new Set(c.assistanceMonths.map(indexOf)) : undefined,
  };
}

/** Age in whole years on the first day of month index `month`: whole years since the age key. */
const ageOnFirstDay = (m: MemberProfile, month: number): number => Math.floor((month - m.ageKey) / 12);

function missingParameter(params: ParameterValues): never {
  const id = factParameters.find((p) => params[p] === undefined);
  throw new Error(`parametern ${id} har inget värde för månaden: lägg till ett värde i rules/parameters/${id}.json`);
}

/**
 * The month an adult (applicant or co-applicant) reaches the riktålder: the first month in which they
 * turn the age that is the riktålder in force that month (66 until 2025, 67 from 2026).
 */
function riktalderMonths(profile: CaseProfile, riktalderOn: (month: number) => number): number[] {
  const months: number[] = [];
  for (const m of profile.members) {
    if (m.role !== 'applicant' && m.role !== 'co-applicant') continue;
    for (let age = 55; age <= 80; age++) {
      const month = (m.birthYear + age) * 12 + m.birthMonth - 1;
      if (age >= riktalderOn(month)) {
        months.push(month);
        break;
      }
    }
  }
  return months;
}

/** What the facts need beyond the profile: the month's parameters, and the riktålder of any month. */
export interface FactContext {
  params: ParameterValues;
  /** The riktålder in force in a month (index); its timeline's key caches the reach months per case. */
  riktalder: { key: string; on: (month: number) => number };
  /** What every case's facts in the month read, worked out once for the month. */
  month: { year: string; june: string; childAge: number; riktalder: number; jobMin: number; jobMax: number } | undefined;
}

const contexts = new WeakMap<LoadedParameter[], Map<string, FactContext>>();

/** The facts' context for a month's first day, from a pack's parameters (cached per pack and day). */
export function factContext(parameters: LoadedParameter[], firstDay: string): FactContext {
  let byDay = contexts.get(parameters);
  if (!byDay) contexts.set(parameters, (byDay = new Map<string, FactContext>()));
  let context = byDay.get(firstDay);
  if (!context) {
    const riktalder = parameters.find((p) => p.parameter.id === 'riktalder')?.parameter;
    const cache = new Map<number, number>();
    const on = (month: number) => {
      let value = cache.get(month);
      if (value === undefined) cache.set(month, (value = (riktalder && valueOn(riktalder, `${monthFromIndex(month)}-01`)) ?? Infinity));
      return value;
    };
    const params = valuesOn(parameters, firstDay);
    const year = firstDay.slice(0, 4);
    // Undefined when a parameter the facts read has no value yet: factsAt then says which.
    const values = factParameters.map((id) => params[id]);
    const month = values.every((v) => v !== undefined)
      ? { year, june: `${year}-06`, childAge: params['child-age']!, riktalder: params['riktalder']!, jobMin: params['holiday-job-min-age']!, jobMax: params['holiday-job-max-age']! }
      : undefined;
    context = { params, riktalder: { key: JSON.stringify(riktalder?.values ?? null), on }, month };
    byDay.set(firstDay, context);
  }
  return context;
}

/** The facts of a case in a month ('YYYY-MM') under a pack's parameters: for `why`, the examples and tests. */
export function caseFacts(c: Case, month: string, parameters: LoadedParameter[]): Facts {
  const firstDay = `${month}-01`;
  return factsAt(caseProfile(c), monthIndex(month), firstDay, factContext(parameters, firstDay));
}

function monthsOnAssistance(profile: CaseProfile, now: number): number {
  if (profile.paid) {
    let count = 0;
    for (let i = now - 12; i < now; i++) if (profile.paid.has(i)) count++;
    return count;
  }
  // Months the case was active among the twelve before.
  const from = Math.max(now - 12, profile.opened);
  const to = Math.min(now - 1, profile.closed);
  return Math.max(0, to - from + 1);
}

/** All facts of a case in a month (index), with `firstDay` its first day; ages and membership are taken on that day. */
export function factsAt(profile: CaseProfile, month: number, firstDay: string, context: FactContext, into?: Facts): Facts {
  const { year, june, childAge, riktalder, jobMin, jobMax } = context.month ?? missingParameter(context.params);
  const yearNumber = Math.floor(month / 12);
  let membersInLastGymnasiumYear = 0;
  let membersGraduatingInJune = 0;
  let gymnasiumYouths = 0;
  let visitingChildren = 0;
  let children = 0;
  let adults = 0;
  let adultsOfWorkingAge = 0;
  let youthsForHolidayJobs = 0;
  let applicantAge: number | null = null;
  for (const m of profile.members) {
    if (m.role === 'visiting-child') {
      visitingChildren++;
      continue;
    }
    const age = ageOnFirstDay(m, month);
    if (m.role === 'child') {
      if (age < childAge) children++;
      const turns = yearNumber - m.birthYear;
      if (turns >= jobMin && turns <= jobMax) youthsForHolidayJobs++;
    } else {
      adults++;
      if (m.role === 'applicant' && applicantAge === null) applicantAge = age;
    }
    if (age >= childAge && age < riktalder) adultsOfWorkingAge++;
    const graduation = m.graduation;
    if (graduation === undefined) continue;
    if (graduation.startsWith(year)) membersInLastGymnasiumYear++;
    if (graduation.startsWith(june)) membersGraduatingInJune++;
    if (graduation > firstDay) gymnasiumYouths++;
  }
  const c = profile.c;
  let cached = profile.riktalderMonths;
  if (!cached || cached.key !== context.riktalder.key) cached = profile.riktalderMonths = { key: context.riktalder.key, months: riktalderMonths(profile, context.riktalder.on) };
  let monthsUntilRiktalder: number | null = null;
  for (const reach of cached.months) if (reach >= month && (monthsUntilRiktalder === null || reach - month < monthsUntilRiktalder)) monthsUntilRiktalder = reach - month;
  const workPlan = profile.workPlanOn;
  const activityPlan = profile.activityPlanOn;
  // Written into the given object when there is one: a case's facts are computed every month, and
  // reusing two objects per case (this month's and the month before) spares the garbage collector.
  const facts = into ?? ({} as Facts);
  facts.incomes = profile.incomes;
  facts.pensionOrSocialInsuranceIncome = profile.pensionOrSocialInsuranceIncome;
  facts.membersInLastGymnasiumYear = membersInLastGymnasiumYear;
  facts.membersGraduatingInJune = membersGraduatingInJune;
  facts.gymnasiumYouths = gymnasiumYouths;
  facts.visitingChildren = visitingChildren;
  facts.children = children;
  facts.members = profile.members.length - visitingChildren;
  facts.adults = adults;
  facts.adultsOfWorkingAge = adultsOfWorkingAge;
  facts.fSkatt = profile.flags.fSkatt;
  facts.kosttillskott = profile.flags.kosttillskott;
  facts.passportCheck = profile.flags.passportCheck;
  facts.homeless = profile.flags.homeless;
  facts.hasWorkPlan = workPlan !== undefined && workPlan <= firstDay;
  facts.monthsSinceWorkPlan = profile.workPlan === undefined ? null : month - profile.workPlan;
  facts.hasActivityPlan = activityPlan !== undefined && activityPlan <= firstDay;
  facts.monthsSinceActivityPlan = profile.activityPlan === undefined ? null : month - profile.activityPlan;
  facts.monthsUnemployed = profile.unemployed === undefined ? null : month - profile.unemployed;
  facts.monthsSinceOpened = month - profile.opened;
  facts.applicantAge = applicantAge;
  facts.monthsUntilRiktalder = monthsUntilRiktalder;
  facts.monthsOnAssistanceLast12 = monthsOnAssistance(profile, month);
  facts.youthsForHolidayJobs = youthsForHolidayJobs;
  facts.openedOn = c.openedOn;
  facts.closedOn = c.closedOn ?? null;
  return facts;
}

/** A case is active in a month when opened on or before its last day and not closed before its first. */
export function activeIn(c: Case, firstDay: string, lastDay: string): boolean {
  return c.openedOn <= lastDay && (!c.closedOn || c.closedOn >= firstDay);
}

/** The same, on a profile and a month index. */
export const activeInMonth = (profile: CaseProfile, month: number): boolean => profile.opened <= month && profile.closed >= month;

interface FactDefinition {
  type: FactType;
  /** What the fact means, in Swedish, for `why` and the admin view. */
  label: string;
  /** Why the fact holds for this case, in Swedish, for a task's `because`. */
  explain(c: Case, month: string, facts: Facts, params: ParameterValues): string[];
}

const incomeNames: Record<string, string> = {
  lon: 'lön',
  pension: 'pension',
  sjukersattning: 'sjukersättning',
  aktivitetsersattning: 'aktivitetsersättning',
  sjukpenning: 'sjukpenning',
  'a-kassa': 'a-kassa',
  foraldrapenning: 'föräldrapenning',
  underhallsstod: 'underhållsstöd',
};

/** Income kinds in words, in alphabetical order: the order a case system lists them in says nothing. */
function incomeList(kinds: string[]): string {
  return kinds.map((i) => incomeNames[i] ?? i).sort((a, b) => a.localeCompare(b, 'sv')).join(', ');
}

function memberWord(member: Member): string {
  return member.role === 'child' || member.role === 'visiting-child' ? 'ett barn' : 'en vuxen';
}

function gymnasiumMembers(c: Case, test: (graduation: string) => boolean): string[] {
  return c.members
    .filter((m) => m.school?.type === 'gymnasium' && m.role !== 'visiting-child' && test(m.school?.expectedGraduation ?? ''))
    .map((m) => `${memberWord(m)} fött ${m.birthDate} väntas ta studenten ${m.school?.expectedGraduation}`);
}

function yesNo(holds: boolean, text: string): string[] {
  return [holds ? text : `inte ${text}`];
}

const monthWord = (n: number) => (n === 1 ? '1 månad' : `${n} månader`);

export const factDefinitions: Record<FactName, FactDefinition> = {
  incomes: {
    type: 'list',
    label: 'hushållets inkomstslag',
    explain: (_c, _m, f) => [f.incomes.length ? `hushållet har ${incomeList(f.incomes)}` : 'hushållet har ingen registrerad inkomst'],
  },
  pensionOrSocialInsuranceIncome: {
    type: 'boolean',
    label: 'pension eller ersättning från socialförsäkringen',
    explain: (_c, _m, f) => {
      const kinds = f.incomes.filter((i) => socialInsuranceIncomes.has(i));
      return [kinds.length ? `hushållet har ${incomeList(kinds)}` : 'hushållet har ingen pension eller ersättning från socialförsäkringen'];
    },
  },
  membersInLastGymnasiumYear: {
    type: 'number',
    label: 'medlemmar i sista året på gymnasiet',
    explain: (c, m) => gymnasiumMembers(c, (g) => g.startsWith(m.slice(0, 4))),
  },
  membersGraduatingInJune: {
    type: 'number',
    label: 'medlemmar som tar studenten i juni i år',
    explain: (c, m) => gymnasiumMembers(c, (g) => g.startsWith(`${m.slice(0, 4)}-06`)),
  },
  gymnasiumYouths: {
    type: 'number',
    label: 'medlemmar som går på gymnasiet (oavsett ålder)',
    explain: (c, m) => gymnasiumMembers(c, (g) => g > `${m}-01`),
  },
  visitingChildren: {
    type: 'number',
    label: 'barn som vistas i hushållet genom umgänge',
    explain: (_c, _m, f) => [`${f.visitingChildren} barn på umgänge`],
  },
  children: {
    type: 'number',
    label: 'barn i hushållet (under barnåldern, parametern child-age)',
    explain: (_c, _m, f, p) => [`${f.children} barn under ${p['child-age']} år i hushållet`],
  },
  members: { type: 'number', label: 'personer i hushållet (barn på umgänge oräknade)', explain: (_c, _m, f) => [`${f.members} personer i hushållet`] },
  adults: { type: 'number', label: 'vuxna i hushållet (sökande och medsökande)', explain: (_c, _m, f) => [`${f.adults} vuxna i hushållet`] },
  adultsOfWorkingAge: {
    type: 'number',
    label: 'medlemmar från 18 år till riktåldern för pension',
    explain: (_c, _m, f, p) => [`${f.adultsOfWorkingAge} ${f.adultsOfWorkingAge === 1 ? 'medlem' : 'medlemmar'} från ${p['child-age']} år och under riktåldern ${p['riktalder']} år`],
  },
  fSkatt: { type: 'boolean', label: 'F-skatt under året', explain: (_c, _m, f) => yesNo(f.fSkatt, 'flaggat för F-skatt') },
  kosttillskott: { type: 'boolean', label: 'beviljat kosttillskott', explain: (_c, _m, f) => yesNo(f.kosttillskott, 'beviljat kosttillskott') },
  passportCheck: { type: 'boolean', label: 'flaggat för passkontroll', explain: (_c, _m, f) => yesNo(f.passportCheck, 'flaggat för passkontroll') },
  homeless: { type: 'boolean', label: 'hushållet är hemlöst', explain: (_c, _m, f) => yesNo(f.homeless, 'flaggat som hemlöst') },
  hasWorkPlan: {
    type: 'boolean',
    label: 'har en arbetsplan upprättad senast månadens första dag',
    explain: (c, _m, f) => [f.hasWorkPlan ? `arbetsplanen upprättades ${c.workPlan?.establishedOn}` : 'ingen arbetsplan upprättad'],
  },
  monthsSinceWorkPlan: {
    type: 'number',
    label: 'hela månader sedan arbetsplanen upprättades',
    explain: (c, _m, f) => [f.monthsSinceWorkPlan === null ? 'ingen arbetsplan' : `arbetsplanen upprättades ${c.workPlan?.establishedOn}, ${monthWord(f.monthsSinceWorkPlan)} sedan`],
  },
  hasActivityPlan: {
    type: 'boolean',
    label: 'har en individuell plan för aktivitetskravet upprättad senast månadens första dag',
    explain: (c, _m, f) => [f.hasActivityPlan ? `planen för aktivitetskravet upprättades ${c.activityPlan?.establishedOn}` : 'ingen plan för aktivitetskravet'],
  },
  monthsSinceActivityPlan: {
    type: 'number',
    label: 'hela månader sedan planen för aktivitetskravet upprättades',
    explain: (c, _m, f) => [f.monthsSinceActivityPlan === null ? 'ingen plan för aktivitetskravet' : `planen för aktivitetskravet upprättades ${c.activityPlan?.establishedOn}, ${monthWord(f.monthsSinceActivityPlan)} sedan`],
  },
  monthsUnemployed: {
    type: 'number',
    label: 'hela månader sedan arbetslösheten började',
    explain: (c, _m, f) => [f.monthsUnemployed === null ? 'inte arbetslös' : `arbetslös sedan ${c.unemployedSince}, ${monthWord(f.monthsUnemployed)}`],
  },
  monthsSinceOpened: {
    type: 'number',
    label: 'hela månader sedan ärendet öppnades',
    explain: (c, _m, f) => [`ärendet öppnades ${c.openedOn}, ${monthWord(f.monthsSinceOpened)} sedan`],
  },
  applicantAge: {
    type: 'number',
    label: 'sökandens ålder i hela år',
    explain: (_c, _m, f) => [f.applicantAge === null ? 'ingen sökande i hushållet' : `sökanden är ${f.applicantAge} år`],
  },
  monthsUntilRiktalder: {
    type: 'number',
    label: 'månader tills sökande eller medsökande når riktåldern för pension',
    explain: (_c, _m, f) => [f.monthsUntilRiktalder === null ? 'ingen vuxen når riktåldern för pension' : `en vuxen når riktåldern för pension om ${monthWord(f.monthsUntilRiktalder)}`],
  },
  monthsOnAssistanceLast12: {
    type: 'number',
    label: 'månader med bistånd av de tolv senaste',
    explain: (c, _m, f) => [`bistånd ${f.monthsOnAssistanceLast12} av de tolv senaste månaderna${c.assistanceMonths ? '' : ' (månader då ärendet var öppet)'}`],
  },
  youthsForHolidayJobs: {
    type: 'number',
    label: 'ungdomar som fyller 15–18 år i år (ferie- och jullovsarbete)',
    explain: (_c, _m, f, p) => [`${f.youthsForHolidayJobs} ${f.youthsForHolidayJobs === 1 ? 'ungdom' : 'ungdomar'} som fyller ${p['holiday-job-min-age']}–${p['holiday-job-max-age']} år i år`],
  },
  openedOn: { type: 'date', label: 'datum då ärendet öppnades', explain: (c) => [`ärendet öppnades ${c.openedOn}`] },
  closedOn: { type: 'date', label: 'datum då ärendet avslutades', explain: (c) => [c.closedOn ? `ärendet avslutas ${c.closedOn}` : 'ärendet är inte avslutat'] },
};

export const factNames = Object.keys(factDefinitions) as FactName[];
