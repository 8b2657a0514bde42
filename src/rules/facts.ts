// Facts: what a rule may ask about a case in a month. Derived once per case and month, so rules
// never compute ages, dates or household composition themselves (shared/domain/arshjul.md).
import type { Case, Member } from '../cases/caseFile.js';
import { lastDayOfMonth, monthFromIndex, monthIndex } from '../calendar/months.js';

export interface Facts {
  /** Kinds of income the household has. */
  incomes: string[];
  pensionOrSocialInsuranceIncome: boolean;
  membersInLastGymnasiumYear: number;
  membersGraduatingInJune: number;
  adultsInGymnasium: number;
  visitingChildren: number;
  children: number;
  adults: number;
  fSkatt: boolean;
  kosttillskott: boolean;
  passportCheck: boolean;
  monthsSinceWorkPlan: number | null;
  monthsUnemployed: number | null;
  monthsSinceOpened: number;
  applicantAge: number | null;
  homeless: boolean;
  monthsOnAssistanceLast12: number;
  childrenInSchoolYears4To9: number;
  youthsForSummerJobs: number;
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

/** A member of the household norm in gymnasium: a child on a visit (umgänge) belongs to another household's. */
function inGymnasium(member: Member): boolean {
  return member.school?.type === 'gymnasium' && member.role !== 'visiting-child';
}

/** The last day of the school term the month falls in: 30 June for spring, 31 December for autumn. */
const termEnd = (month: string) => `${month.slice(0, 4)}-${Number(month.slice(5, 7)) <= 6 ? '06-30' : '12-31'}`;

/**
 * A child's school year (årskurs) in the term the month falls in: school starts in the autumn of the
 * year a child turns seven, so in the autumn term of year Y a child born in year B is in year Y − B − 6.
 */
export function schoolYear(birthDate: string, month: string): number {
  const autumn = Number(month.slice(5, 7)) >= 8;
  return Number(month.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (autumn ? 6 : 7);
}

const inSchoolYears4To9 = (birthDate: string, month: string) => {
  const year = schoolYear(birthDate, month);
  return year >= 4 && year <= 9;
};

/** Turns 16 to 18 in the month's year: the ages municipal summer jobs (feriearbete) are for. */
const summerJobAge = (member: Member, month: string) => {
  const age = Number(month.slice(0, 4)) - Number(member.birthDate.slice(0, 4));
  return member.role !== 'visiting-child' && age >= 16 && age <= 18;
};

/** Months with assistance among the twelve before the month: paid months when the file has them, else months the case was open. */
function monthsOnAssistance(c: Case, month: string): number {
  const now = monthIndex(month);
  const paid = c.assistanceMonths ? new Set(c.assistanceMonths) : null;
  let count = 0;
  for (let i = now - 12; i < now; i++) {
    const m = monthFromIndex(i);
    if (paid ? paid.has(m) : activeIn(c, `${m}-01`, lastDayOfMonth(m))) count++;
  }
  return count;
}

/** All facts of a case in a month; ages and membership are taken on the month's first day. */
export function caseFacts(c: Case, month: string): Facts {
  const firstDay = `${month}-01`;
  const year = month.slice(0, 4);
  const june = `${year}-06`;
  let membersInLastGymnasiumYear = 0;
  let membersGraduatingInJune = 0;
  let adultsInGymnasium = 0;
  let visitingChildren = 0;
  let children = 0;
  let adults = 0;
  for (const member of c.members) {
    if (member.role === 'visiting-child') visitingChildren++;
    else if (member.role === 'child') children++;
    else adults++;
    if (!inGymnasium(member)) continue;
    const graduation = member.school?.expectedGraduation ?? '';
    if (graduation.startsWith(year)) membersInLastGymnasiumYear++;
    if (graduation.startsWith(june)) membersGraduatingInJune++;
    // Adult for the term: one who turns 18 before it ends counts already (the study plan in September).
    if (graduation > firstDay && ageOn(member.birthDate, termEnd(month)) >= 18) adultsInGymnasium++;
  }
  const incomes = c.incomes ?? [];
  const now = monthIndex(month);
  const workPlan = c.workPlan?.establishedOn;
  const applicant = c.members.find((m) => m.role === 'applicant');
  return {
    incomes,
    pensionOrSocialInsuranceIncome: incomes.some((income) => socialInsuranceIncomes.has(income)),
    membersInLastGymnasiumYear,
    membersGraduatingInJune,
    adultsInGymnasium,
    visitingChildren,
    children,
    adults,
    fSkatt: c.flags?.fSkatt === true,
    kosttillskott: c.flags?.kosttillskott === true,
    passportCheck: c.flags?.passportCheck === true,
    monthsSinceWorkPlan: workPlan ? now - monthIndex(workPlan) : null,
    monthsUnemployed: c.unemployedSince ? now - monthIndex(c.unemployedSince) : null,
    monthsSinceOpened: now - monthIndex(c.openedOn),
    applicantAge: applicant ? ageOn(applicant.birthDate, firstDay) : null,
    homeless: c.flags?.homeless === true,
    monthsOnAssistanceLast12: monthsOnAssistance(c, month),
    childrenInSchoolYears4To9: c.members.filter((m) => m.role === 'child' && inSchoolYears4To9(m.birthDate, month)).length,
    youthsForSummerJobs: c.members.filter((m) => summerJobAge(m, month)).length,
    openedOn: c.openedOn,
    closedOn: c.closedOn ?? null,
  };
}

/** A case is active in a month when opened on or before its last day and not closed before its first. */
export function activeIn(c: Case, firstDay: string, lastDay: string): boolean {
  return c.openedOn <= lastDay && (!c.closedOn || c.closedOn >= firstDay);
}

interface FactDefinition {
  type: FactType;
  /** What the fact means, in Swedish, for `why` and the admin view. */
  label: string;
  /** Why the fact holds for this case, in Swedish, for a task's `because`. */
  explain(c: Case, month: string, facts: Facts): string[];
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

function gymnasiumMembers(c: Case, test: (graduation: string, member: Member) => boolean): string[] {
  return c.members
    .filter((m) => inGymnasium(m) && test(m.school?.expectedGraduation ?? '', m))
    .map((m) => `${memberWord(m)} fött ${m.birthDate} väntas ta studenten ${m.school?.expectedGraduation}`);
}

function yesNo(holds: boolean, text: string): string[] {
  return [holds ? text : `inte ${text}`];
}

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
  adultsInGymnasium: {
    type: 'number',
    label: 'medlemmar som går på gymnasiet och är 18 år eller fyller 18 under terminen',
    explain: (c, m) =>
      gymnasiumMembers(c, (g, member) => g > `${m}-01` && ageOn(member.birthDate, termEnd(m)) >= 18).map((text) => `${text} och är 18 år eller fyller 18 under terminen`),
  },
  visitingChildren: {
    type: 'number',
    label: 'barn som vistas i hushållet genom umgänge',
    explain: (_c, _m, f) => [`${f.visitingChildren} barn på umgänge`],
  },
  children: { type: 'number', label: 'barn i hushållet', explain: (_c, _m, f) => [`${f.children} barn i hushållet`] },
  adults: { type: 'number', label: 'vuxna i hushållet', explain: (_c, _m, f) => [`${f.adults} vuxna i hushållet`] },
  fSkatt: { type: 'boolean', label: 'F-skatt under året', explain: (_c, _m, f) => yesNo(f.fSkatt, 'flaggat för F-skatt') },
  kosttillskott: { type: 'boolean', label: 'beviljat kosttillskott', explain: (_c, _m, f) => yesNo(f.kosttillskott, 'beviljat kosttillskott') },
  passportCheck: { type: 'boolean', label: 'flaggat för passkontroll', explain: (_c, _m, f) => yesNo(f.passportCheck, 'flaggat för passkontroll') },
  monthsSinceWorkPlan: {
    type: 'number',
    label: 'hela månader sedan arbetsplanen upprättades',
    explain: (c, _m, f) => [f.monthsSinceWorkPlan === null ? 'ingen arbetsplan' : `arbetsplanen upprättades ${c.workPlan?.establishedOn}, ${f.monthsSinceWorkPlan} månader sedan`],
  },
  monthsUnemployed: {
    type: 'number',
    label: 'hela månader sedan arbetslösheten började',
    explain: (c, _m, f) => [f.monthsUnemployed === null ? 'inte arbetslös' : `arbetslös sedan ${c.unemployedSince}, ${f.monthsUnemployed} månader`],
  },
  monthsSinceOpened: {
    type: 'number',
    label: 'hela månader sedan ärendet öppnades',
    explain: (c, _m, f) => [`ärendet öppnades ${c.openedOn}, ${f.monthsSinceOpened} månader sedan`],
  },
  applicantAge: {
    type: 'number',
    label: 'sökandens ålder i hela år',
    explain: (_c, _m, f) => [f.applicantAge === null ? 'ingen sökande i hushållet' : `sökanden är ${f.applicantAge} år`],
  },
  homeless: { type: 'boolean', label: 'hushållet är hemlöst', explain: (_c, _m, f) => yesNo(f.homeless, 'flaggat som hemlöst') },
  monthsOnAssistanceLast12: {
    type: 'number',
    label: 'månader med bistånd av de tolv senaste',
    explain: (c, _m, f) => [`bistånd ${f.monthsOnAssistanceLast12} av de tolv senaste månaderna${c.assistanceMonths ? '' : ' (månader då ärendet var öppet)'}`],
  },
  childrenInSchoolYears4To9: {
    type: 'number',
    label: 'barn i årskurs 4–9 (efter födelseår)',
    explain: (_c, _m, f) => [`${f.childrenInSchoolYears4To9} barn i årskurs 4–9`],
  },
  youthsForSummerJobs: {
    type: 'number',
    label: 'ungdomar som fyller 16–18 år i år (feriearbete)',
    explain: (_c, _m, f) => [`${f.youthsForSummerJobs} ungdomar som fyller 16–18 år i år`],
  },
  openedOn: { type: 'date', label: 'datum då ärendet öppnades', explain: (c) => [`ärendet öppnades ${c.openedOn}`] },
  closedOn: { type: 'date', label: 'datum då ärendet avslutades', explain: (c) => [c.closedOn ? `ärendet avslutas ${c.closedOn}` : 'ärendet är inte avslutat'] },
};

export const factNames = Object.keys(factDefinitions) as FactName[];
