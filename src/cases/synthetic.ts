// A synthetic unit that looks like the ones docs/domain.md describes: 730 households, about 45 per
// socialsekreterare and 80 per bidragshandläggare, children, gymnasium youths, F-skatt, kosttillskott,
// umgänge. Seeded, so the same options always give the same unit. Personnummer are synthetic with
// valid check digits.
import type { Case, CaseFile, Member, Staff } from './caseFile.js';
import { personnummer } from './personnummer.js';
import { mulberry32 } from '../random/mulberry32.js';

export interface SyntheticOptions {
  households?: number;
  socialsekreterare?: number;
  bidragshandlaggare?: number;
  deputies?: number;
  /** Cases are drawn around 1 January of this year. */
  year?: number;
  seed?: number;
  unitId?: string;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function syntheticUnit(options: SyntheticOptions = {}): CaseFile {
  const households = options.households ?? 730;
  const year = options.year ?? 2027;
  const unitId = options.unitId ?? 'demo-eb';
  const rnd = mulberry32(options.seed ?? 2027);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const chance = (p: number) => rnd() < p;
  const dayIn = (fromYear: number, toYear: number) => {
    const y = fromYear + Math.floor(rnd() * (toYear - fromYear + 1));
    return `${y}-${pad(1 + Math.floor(rnd() * 12))}-${pad(1 + Math.floor(rnd() * 28))}`;
  };
  let serial = 200;
  const person = (birthDate: string, role: Member['role'], school?: Member['school']): Member => ({
    personId: personnummer(birthDate, serial++ % 1000),
    role,
    birthDate,
    ...(school ? { school } : {}),
  });

  const staff: Staff[] = [];
  const add = (count: number, prefix: string, role: Staff['role'], title: string) => {
    for (let i = 1; i <= count; i++) {
      const id = `${prefix}-${pad(i)}`;
      staff.push({ id, name: `${title} ${i}`, role, email: `${id}@example.se` });
    }
  };
  add(options.socialsekreterare ?? 20, 'ss', 'socialsekreterare', 'Socialsekreterare');
  add(options.bidragshandlaggare ?? 9, 'bh', 'bidragshandlaggare', 'Bidragshandläggare');
  add(options.deputies ?? 2, 'bec', 'bitradande-enhetschef', 'Biträdande enhetschef');
  add(1, 'ec', 'enhetschef', 'Enhetschef');
  add(1, 'adm', 'administrativ-assistent', 'Administrativ assistent');
  // With more than one deputy head, each has a share of the caseworkers: the first ones the first deputy, and so on.
  const deputies = staff.filter((s) => s.role === 'bitradande-enhetschef').map((s) => s.id);
  if (deputies.length > 1) {
    for (const role of ['socialsekreterare', 'bidragshandlaggare'] as const) {
      const caseworkers = staff.filter((s) => s.role === role);
      caseworkers.forEach((s, i) => (s.reportsTo = deputies[Math.floor((i * deputies.length) / caseworkers.length)]));
    }
  }
  const ss = staff.filter((s) => s.role === 'socialsekreterare').map((s) => s.id);
  const bh = staff.filter((s) => s.role === 'bidragshandlaggare').map((s) => s.id);

  const cases: Case[] = [];
  for (let i = 1; i <= households; i++) {
    const members: Member[] = [person(dayIn(year - 65, year - 20), 'applicant')];
    if (chance(0.14)) members.push(person(dayIn(year - 65, year - 20), 'co-applicant'));
    if (chance(0.36)) {
      const count = 1 + Math.floor(rnd() * 3);
      for (let c = 0; c < count; c++) {
        const born = dayIn(year - 19, year - 1);
        const age = year - Number(born.slice(0, 4));
        // Gymnasium from 16 to 19; graduation in June of the year the youth turns 19.
        const school = age >= 16 && chance(0.85) ? { type: 'gymnasium', expectedGraduation: `${Number(born.slice(0, 4)) + 19}-06-${pad(8 + Math.floor(rnd() * 7))}` } : undefined;
        members.push(person(born, 'child', school));
      }
    }
    if (chance(0.06)) members.push(person(dayIn(year - 15, year - 3), 'visiting-child'));
    const incomes = new Set<string>();
    for (const [kind, p] of [
      ['lon', 0.15], ['sjukersattning', 0.1], ['aktivitetsersattning', 0.03], ['sjukpenning', 0.08],
      ['pension', 0.03], ['foraldrapenning', 0.05], ['a-kassa', 0.08],
    ] as const) if (chance(p)) incomes.add(kind);
    if (members.some((m) => m.role === 'child') && chance(0.3)) incomes.add('underhallsstod');
    const openedOn = dayIn(year - 4, year);
    cases.push({
      caseId: `${unitId.toUpperCase()}-${String(i).padStart(5, '0')}`,
      openedOn,
      closedOn: chance(0.1) ? dayIn(year, year) : null,
      socialsekreterare: pick(ss),
      bidragshandlaggare: pick(bh),
      members,
      incomes: [...incomes],
      flags: { fSkatt: chance(0.02), kosttillskott: chance(0.04), passportCheck: chance(0.03) },
      ...(chance(0.7) ? { workPlan: { establishedOn: dayIn(year - 1, year) } } : {}),
      unemployedSince: chance(0.6) ? dayIn(year - 2, year) : null,
    });
  }
  // A case opened after it closed would be no export's truth: keep them in order.
  for (const c of cases) if (c.closedOn && c.closedOn < c.openedOn) c.closedOn = null;
  // Homelessness from a generator of its own, so the draws above (and every unit made before it) stay as they were.
  const later = mulberry32((options.seed ?? 2027) ^ 0x5bd1e995);
  for (const c of cases) if (later() < 0.04) c.flags = { ...c.flags, homeless: true };
  return { version: 1, unit: { id: unitId, name: 'Demoenheten för ekonomiskt bistånd' }, staff, cases };
}
