// Validates a case file (version 1) completely before anything is written: dates, personnummer,
// roles, staff references, duplicate ids. Pure: data in, every problem with its JSON path out.
import type { Segment } from '../json/locate.js';
import { isMonth } from '../calendar/months.js';
import { isValidPersonnummer } from './personnummer.js';

export interface Problem {
  segments: Segment[];
  message: string;
}

export const staffRoles = ['socialsekreterare', 'bidragshandlaggare', 'bitradande-enhetschef', 'enhetschef', 'administrativ-assistent', 'fut-utredare', 'arbetskonsulent'];
export const memberRoles = ['applicant', 'co-applicant', 'child', 'visiting-child'];
const flagNames = ['fSkatt', 'kosttillskott', 'passportCheck', 'homeless'];

/** A real calendar date written YYYY-MM-DD. */
export function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** The birth date a personnummer encodes; samordningsnummer add 60 to the day. */
function birthDateOf(personId: string): string {
  const day = Number(personId.slice(6, 8));
  return `${personId.slice(0, 4)}-${personId.slice(4, 6)}-${String(day > 60 ? day - 60 : day).padStart(2, '0')}`;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export function caseFileProblems(data: unknown): Problem[] {
  const problems: Problem[] = [];
  const problem = (segments: Segment[], message: string) => problems.push({ segments, message });
  if (!isObject(data)) return [{ segments: [], message: 'filen ska vara ett JSON-objekt med version, unit, staff och cases' }];
  if (data.version !== 1) problem(['version'], `version ${JSON.stringify(data.version)} stöds inte: ärendefilen ska ha "version": 1`);
  const unit = data.unit;
  if (!isObject(unit) || typeof unit.id !== 'string' || unit.id === '') problem(['unit', 'id'], 'enhetens id saknas');
  else if (!/^[a-z0-9][a-z0-9-]*$/.test(unit.id)) problem(['unit', 'id'], `enhetens id "${unit.id}" får bara ha små bokstäver, siffror och bindestreck`);

  const staffRole = new Map<string, string>();
  if (!Array.isArray(data.staff)) problem(['staff'], 'staff ska vara en lista över personal');
  else
    data.staff.forEach((person: unknown, i) => {
      if (!isObject(person)) return problem(['staff', i], 'ska vara ett objekt');
      if (typeof person.id !== 'string' || person.id === '') problem(['staff', i, 'id'], 'id saknas');
      else if (staffRole.has(person.id)) problem(['staff', i, 'id'], `id "${person.id}" förekommer två gånger`);
      else staffRole.set(person.id, String(person.role));
      if (!staffRoles.includes(person.role as string)) problem(['staff', i, 'role'], `okänd roll ${JSON.stringify(person.role)}: tillåtna är ${staffRoles.join(', ')}`);
      if (typeof person.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(person.email)) problem(['staff', i, 'email'], `${JSON.stringify(person.email)} är ingen e-postadress`);
    });

  // A caseworker's deputy head (optional): someone on the staff with that role.
  if (Array.isArray(data.staff)) data.staff.forEach((person: unknown, i) => {
    if (!isObject(person) || person.reportsTo === undefined) return;
    const to = person.reportsTo;
    if (typeof to !== 'string' || to === '') problem(['staff', i, 'reportsTo'], 'reportsTo ska vara id:t för en biträdande enhetschef bland personalen');
    else if (!staffRole.has(to)) problem(['staff', i, 'reportsTo'], `"${to}" finns inte bland personalen (staff)`);
    else if (staffRole.get(to) !== 'bitradande-enhetschef') problem(['staff', i, 'reportsTo'], `"${to}" har rollen ${staffRole.get(to)}, inte bitradande-enhetschef`);
  });

  if (!Array.isArray(data.cases)) {
    problem(['cases'], 'cases ska vara en lista över ärenden');
    return problems;
  }
  const seen = new Map<string, number>();
  data.cases.forEach((c: unknown, i) => {
    const at = (...rest: Segment[]) => ['cases', i, ...rest];
    if (!isObject(c)) return problem(at(), 'ska vara ett objekt');
    if (typeof c.caseId !== 'string' || c.caseId === '') problem(at('caseId'), 'caseId saknas');
    else if (seen.has(c.caseId)) problem(at('caseId'), `ärendet ${c.caseId} förekommer redan som nummer ${seen.get(c.caseId)! + 1} i filen`);
    else seen.set(c.caseId, i);
    if (!isDate(c.openedOn)) problem(at('openedOn'), `${JSON.stringify(c.openedOn)} är inget datum ÅÅÅÅ-MM-DD`);
    if (c.closedOn != null) {
      if (!isDate(c.closedOn)) problem(at('closedOn'), `${JSON.stringify(c.closedOn)} är inget datum ÅÅÅÅ-MM-DD`);
      else if (isDate(c.openedOn) && c.closedOn < c.openedOn) problem(at('closedOn'), `avslutat ${c.closedOn} före öppnat ${c.openedOn}`);
    }
    for (const role of ['socialsekreterare', 'bidragshandlaggare'] as const) {
      const id = c[role];
      if (typeof id !== 'string' || id === '') problem(at(role), `ansvarig ${role} saknas`);
      else if (!staffRole.has(id)) problem(at(role), `"${id}" finns inte bland personalen (staff)`);
      else if (staffRole.get(id) !== role) problem(at(role), `"${id}" har rollen ${staffRole.get(id)}, inte ${role}`);
    }
    if (!Array.isArray(c.members) || c.members.length === 0) problem(at('members'), 'ett ärende har minst en medlem (sökanden)');
    else
      c.members.forEach((m: unknown, j) => {
        if (!isObject(m)) return problem(at('members', j), 'ska vara ett objekt');
        if (typeof m.personId !== 'string' || !isValidPersonnummer(m.personId)) {
          problem(at('members', j, 'personId'), 'ogiltigt personnummer (ÅÅÅÅMMDD-NNNN med rätt kontrollsiffra)');
        } else if (isDate(m.birthDate) && birthDateOf(m.personId.replace('-', '')) !== m.birthDate) {
          problem(at('members', j, 'birthDate'), 'födelsedatumet stämmer inte med personnumret');
        }
        if (!memberRoles.includes(m.role as string)) problem(at('members', j, 'role'), `okänd roll ${JSON.stringify(m.role)}: tillåtna är ${memberRoles.join(', ')}`);
        if (!isDate(m.birthDate)) problem(at('members', j, 'birthDate'), `${JSON.stringify(m.birthDate)} är inget datum ÅÅÅÅ-MM-DD`);
        if (m.school != null) {
          if (!isObject(m.school) || typeof m.school.type !== 'string') problem(at('members', j, 'school'), 'school ska ha en type');
          else if (m.school.expectedGraduation != null && !isDate(m.school.expectedGraduation)) {
            problem(at('members', j, 'school', 'expectedGraduation'), `${JSON.stringify(m.school.expectedGraduation)} är inget datum ÅÅÅÅ-MM-DD`);
          }
        }
      });
    if (c.incomes !== undefined && (!Array.isArray(c.incomes) || c.incomes.some((x) => typeof x !== 'string'))) problem(at('incomes'), 'incomes ska vara en lista av inkomstslag');
    if (c.flags != null) {
      if (!isObject(c.flags)) problem(at('flags'), 'flags ska vara ett objekt');
      else for (const [flag, value] of Object.entries(c.flags)) {
        if (!flagNames.includes(flag)) continue; // unknown flags are kept and ignored
        if (typeof value !== 'boolean') problem(at('flags', flag), 'ska vara true eller false');
      }
    }
    if (c.workPlan != null && isObject(c.workPlan) && c.workPlan.establishedOn != null && !isDate(c.workPlan.establishedOn)) {
      problem(at('workPlan', 'establishedOn'), `${JSON.stringify(c.workPlan.establishedOn)} är inget datum ÅÅÅÅ-MM-DD`);
    }
    if (c.activityPlan != null && (!isObject(c.activityPlan) || (c.activityPlan.establishedOn != null && !isDate(c.activityPlan.establishedOn)))) {
      problem(at('activityPlan', 'establishedOn'), `${JSON.stringify(isObject(c.activityPlan) ? c.activityPlan.establishedOn : c.activityPlan)} är inget datum ÅÅÅÅ-MM-DD`);
    }
    if (c.assistanceMonths != null && (!Array.isArray(c.assistanceMonths) || c.assistanceMonths.some((m) => typeof m !== 'string' || !isMonth(m)))) {
      problem(at('assistanceMonths'), 'assistanceMonths ska vara en lista av månader ÅÅÅÅ-MM då bistånd betalades ut');
    }
    if (c.unemployedSince != null && !isDate(c.unemployedSince)) problem(at('unemployedSince'), `${JSON.stringify(c.unemployedSince)} är inget datum ÅÅÅÅ-MM-DD`);
  });
  return problems;
}
