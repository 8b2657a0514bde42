// The case file, version 1 (docs/contracts.md): what an export from the case system looks like.
// Unknown fields are kept and ignored by the rules.

export type StaffRole =
  | 'socialsekreterare'
  | 'bidragshandlaggare'
  | 'bitradande-enhetschef'
  | 'enhetschef'
  | 'administrativ-assistent'
  /** Fraud investigator (FUT-utredare): återkrav, police reports, sample checks and after-checks. */
  | 'fut-utredare'
  | 'arbetskonsulent';

export interface Staff {
  id: string;
  name: string;
  role: StaffRole;
  email: string;
  /** The deputy head (bitradande-enhetschef) a caseworker reports to: their escalations go to that deputy alone. Optional. */
  reportsTo?: string;
}

export type MemberRole = 'applicant' | 'co-applicant' | 'child' | 'visiting-child';

export interface Member {
  /** The personnummer in a case file; read back from the store, its keyed ref (or none): the store never keeps the number. */
  personId?: string;
  role: MemberRole;
  birthDate: string;
  school?: { type: string; expectedGraduation?: string | null } | null;
}

export interface Case {
  caseId: string;
  openedOn: string;
  closedOn?: string | null;
  socialsekreterare: string;
  bidragshandlaggare: string;
  members: Member[];
  incomes?: string[];
  flags?: { fSkatt?: boolean; kosttillskott?: boolean; passportCheck?: boolean; homeless?: boolean };
  workPlan?: { establishedOn?: string | null } | null;
  unemployedSince?: string | null;
  /** The individual plan of the activity requirement (aktivitetskrav, from 1 July 2026). */
  activityPlan?: { establishedOn?: string | null } | null;
  /** The months ('YYYY-MM') assistance was paid; without it, the months the case was open count. */
  assistanceMonths?: string[] | null;
}

export interface Unit {
  id: string;
  name: string;
}

export interface CaseFile {
  version: 1;
  unit: Unit;
  staff: Staff[];
  cases: Case[];
}
