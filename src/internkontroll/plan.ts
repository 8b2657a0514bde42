// The internal-control plan as code (rules/internkontroll/plan-YYYY.json): risks scored for
// likelihood and consequence, and the controls that meet them. Parsed and checked like the rules.
import path from 'node:path';
import planSchema from '../../rules/schema/internkontroll-plan.schema.json' with { type: 'json' };
import type { Located } from '../json/locate.js';
import { ajv, parseAgainst, type SourceFile } from '../json/schema.js';
import { checkReference } from '../rules/sources.js';

export type SampleSize = { count: number } | { perCaseworker: number } | { share: number; minimum: number };

export interface Control {
  id: string;
  title: string;
  /** management: a unit task of the årshjul (ruleId) is the control; nothing is sampled. */
  method: 'sample' | 'round-review' | 'population' | 'management';
  ruleId?: string;
  frequency: 'monthly' | 'tertial' | 'yearly';
  sampleSize?: SampleSize;
  stratify?: 'caseworker';
  /**
   * What is sampled: cases active in the period (default), closed in it (after-checks), closed with a
   * young adult; or the period's records of the access log that showed cases (loggkontroll).
   */
  population?: 'active' | 'closed' | 'closed-young-adults' | 'access-records';
  /** The young adults' ages, from the parameters in force on the plan year's first day (set when the pack loads). */
  ages?: { min: number; max: number };
  /** A yearly sample's month (default November). */
  month?: number;
  /** An analysis of each round, written when its reviews are done. */
  analysis?: boolean;
  responsibleRole: 'bitradande-enhetschef' | 'enhetschef' | 'fut-utredare';
  /** Who reviews when the unit has nobody of the responsible role. */
  fallbackRole?: 'bitradande-enhetschef' | 'enhetschef';
  checklist: string[];
  correctiveDueBusinessDays?: number;
}

export interface Risk {
  id: string;
  title: string;
  description?: string;
  reference?: string[];
  likelihood: number;
  consequence: number;
  controls: Control[];
}

export interface Plan {
  year: number;
  title: string;
  /** The units the plan belongs to; without it, every unit. A unit's own plan comes before the common one. */
  units?: string[];
  /** Where the plan's risks and controls come from. */
  reference: string[];
  risks: Risk[];
}

export interface LoadedPlan {
  plan: Plan;
  file: string;
}

const validatePlan = ajv.compile<Plan>(planSchema);

/** Likelihood × consequence: the risk value units present in a 5 × 5 matrix. */
export function riskValue(risk: Risk): number {
  return risk.likelihood * risk.consequence;
}

export function controlsOf(plan: Plan): (Control & { risk: Risk })[] {
  return plan.risks.flatMap((risk) => risk.controls.map((control) => ({ ...control, risk })));
}

/** Whether a control samples the access log's records (loggkontroll) rather than cases. */
export const samplesRecords = (control: Pick<Control, 'population'>): boolean => control.population === 'access-records';

export function loadPlans(files: SourceFile[], ruleIds: Set<string>, errors: Located[]): LoadedPlan[] {
  const plans: LoadedPlan[] = [];
  for (const file of files) {
    const parsed = parseAgainst(file, validatePlan, errors);
    if (!parsed) continue;
    const { data: plan, locate } = parsed;
    checkReference(plan.reference, ['reference'], locate, errors);
    const before = errors.length;
    const names = [`plan-${plan.year}`, ...(plan.units ?? []).map((unit) => `plan-${plan.year}-${unit}`)];
    if (!names.includes(path.basename(file.path, '.json'))) {
      errors.push(locate.error(['year'], plan.units
        ? `enhetens plan för ${plan.year} ska ligga i filen ${names.slice(1).map((n) => `${n}.json`).join(' eller ')}`
        : `planen för ${plan.year} ska ligga i filen plan-${plan.year}.json`));
    }
    const seen = new Set<string>();
    plan.risks.forEach((risk, r) => {
      if (seen.has(risk.id)) errors.push(locate.error(['risks', r, 'id'], `risken "${risk.id}" finns redan i planen`));
      seen.add(risk.id);
      risk.controls.forEach((control, c) => {
        const at = ['risks', r, 'controls', c];
        if (seen.has(control.id)) errors.push(locate.error([...at, 'id'], `id "${control.id}" finns redan i planen`));
        seen.add(control.id);
        if (control.responsibleRole === 'fut-utredare' && !control.fallbackRole) {
          errors.push(locate.error([...at, 'responsibleRole'], 'en enhet utan FUT-utredare behöver någon annan som granskar: sätt "fallbackRole": "bitradande-enhetschef"'));
        }
        if (control.month !== undefined && control.frequency !== 'yearly') {
          errors.push(locate.error([...at, 'month'], 'month gäller stickprov som dras en gång om året: ta bort det eller sätt "frequency": "yearly"'));
        }
        if (control.method === 'management') {
          if (!control.ruleId) errors.push(locate.error(at, 'metoden management kräver ruleId: enhetsuppgiften i årshjulet som är kontrollen'));
          if (control.sampleSize) errors.push(locate.error([...at, 'sampleSize'], 'ledningens kontroll har inget stickprov: ta bort sampleSize'));
          if (control.ruleId && !ruleIds.has(control.ruleId)) errors.push(locate.error([...at, 'ruleId'], `regeln "${control.ruleId}" finns inte i regelpaketet`));
          return;
        }
        if (control.population === 'access-records') {
          // A sample of the access log's records: drawn when the period is over, of records, not cases.
          if (control.method !== 'sample') errors.push(locate.error([...at, 'method'], 'åtkomstloggens poster granskas som ett stickprov: sätt "method": "sample"'));
          if (control.stratify) errors.push(locate.error([...at, 'stratify'], 'åtkomstloggens poster fördelas inte på handläggare: ta bort stratify'));
          if (control.ruleId) errors.push(locate.error([...at, 'ruleId'], 'en granskning av åtkomstloggen granskar ingen regel: ta bort ruleId'));
          if (control.month !== undefined) errors.push(locate.error([...at, 'month'], 'åtkomstloggens stickprov dras när perioden är slut: ta bort month'));
        }
        if (control.method !== 'population' && !control.sampleSize) {
          errors.push(locate.error(at, `metoden ${control.method} kräver sampleSize: ett antal eller en andel med minsta antal`));
        }
        if (control.sampleSize && 'perCaseworker' in control.sampleSize && control.stratify !== 'caseworker') {
          errors.push(locate.error([...at, 'sampleSize'], 'perCaseworker kräver "stratify": "caseworker"'));
        }
        if (control.method === 'round-review' && control.population === 'closed') {
          errors.push(locate.error([...at, 'population'], 'en granskning av en kontroll i årshjulet har årshjulets ärenden: ta bort population'));
        }
        if (control.method === 'round-review' && !control.ruleId) {
          errors.push(locate.error(at, 'metoden round-review kräver ruleId: kontrollen i årshjulet som granskas'));
        } else if (control.ruleId && !ruleIds.has(control.ruleId)) {
          errors.push(locate.error([...at, 'ruleId'], `regeln "${control.ruleId}" finns inte i regelpaketet`));
        }
      });
    });
    const twin = plans.find((p) => p.plan.year === plan.year && (p.plan.units === undefined) === (plan.units === undefined)
      && (!plan.units || plan.units.some((unit) => p.plan.units!.includes(unit))));
    if (twin) {
      const shared = plan.units?.filter((unit) => twin.plan.units!.includes(unit));
      errors.push(locate.error(plan.units ? ['units'] : ['year'], shared ? `det finns redan en plan för ${plan.year} för ${shared.join(', ')}` : `det finns redan en plan för ${plan.year}`));
    }
    if (errors.length === before) plans.push({ plan, file: file.path });
  }
  // The common plans first, each unit's own after them.
  return [...plans.filter((p) => !p.plan.units), ...plans.filter((p) => p.plan.units)];
}

/** Whether a plan holds for a unit: a common plan for every unit, a unit's own for it alone. */
export function planHolds(plan: Plan, unitId: string): boolean {
  return !plan.units || plan.units.includes(unitId);
}

/** The unit's plan for a year: its own where it has one, else the common plan; undefined when neither. */
export function planFor(plans: readonly LoadedPlan[], year: number, unitId: string): Plan | undefined {
  const held = plans.filter((p) => p.plan.year === year && planHolds(p.plan, unitId));
  return (held.find((p) => p.plan.units) ?? held[0])?.plan;
}

/** The years the unit has a plan for, in order. */
export function planYears(plans: readonly LoadedPlan[], unitId: string): number[] {
  return [...new Set(plans.filter((p) => planHolds(p.plan, unitId)).map((p) => p.plan.year))].sort((a, b) => a - b);
}
