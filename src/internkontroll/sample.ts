// Random samples anyone can recompute: a seeded generator, a population in a fixed order, and an
// algorithm with a version. Stored together, they give the same cases (or access-log records)
// again (`ik sample --verify`).
import { mulberry32 } from '../random/mulberry32.js';
import type { SampleSize } from './plan.js';

export const sampleAlgorithm = 'arshjul-sample-v1';

export interface Member {
  caseId: string;
  /** The stratum: the case's responsible caseworker. */
  caseworker: string;
}

export interface SampleInput {
  /** Sorted by case id. */
  population: Member[];
  size: SampleSize;
  stratify?: 'caseworker';
  seed: string;
  /** Cases sampled for this control earlier in the year: left out unless the population runs out. */
  exclude: string[];
}

/** FNV-1a: the seed string as the generator's 32-bit state. */
function seedNumber(seed: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

export function sizeFor(size: SampleSize, population: number, caseworkers = 1): number {
  const wanted = 'count' in size ? size.count : 'perCaseworker' in size ? size.perCaseworker * caseworkers : Math.max(size.minimum, Math.ceil(size.share * population));
  return Math.min(wanted, population);
}

/** The first n of a seeded Fisher–Yates shuffle. */
function pick<T>(items: T[], n: number, next: () => number): T[] {
  const copy = [...items];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(next() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/**
 * Draws the sample: the size from the plan; with stratification every caseworker gets at least one
 * case where the size allows, the rest shared in proportion (largest remainder), or, per caseworker,
 * the same number from each. Returns case ids, sorted.
 */
export function drawSample(input: SampleInput): string[] {
  const next = mulberry32(seedNumber(input.seed));
  const excluded = new Set(input.exclude);
  const fresh = input.population.filter((m) => !excluded.has(m.caseId));
  const n = sizeFor(input.size, input.population.length, new Set(input.population.map((m) => m.caseworker)).size);
  // Population exhausted for the year: earlier cases may come back.
  const pool = fresh.length >= n ? fresh : input.population;
  if (!input.stratify) return pick(pool, n, next).map((m) => m.caseId).sort();

  const strata = new Map<string, Member[]>();
  for (const member of pool) strata.set(member.caseworker, [...(strata.get(member.caseworker) ?? []), member]);
  const names = [...strata.keys()].sort();
  const quota = new Map<string, number>();
  if ('perCaseworker' in input.size) {
    // The same number of files from each caseworker (all of one who has fewer).
    for (const name of names) quota.set(name, Math.min(input.size.perCaseworker, strata.get(name)!.length));
  } else if (n < names.length) {
    for (const name of pick(names, n, next)) quota.set(name, 1);
  } else {
    const rest = n - names.length;
    const shares = names.map((name) => ({ name, exact: (rest * strata.get(name)!.length) / pool.length }));
    for (const { name, exact } of shares) quota.set(name, Math.min(strata.get(name)!.length, 1 + Math.floor(exact)));
    let left = n - [...quota.values()].reduce((a, b) => a + b, 0);
    for (const { name } of [...shares].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || a.name.localeCompare(b.name))) {
      if (left <= 0) break;
      if (quota.get(name)! < strata.get(name)!.length) {
        quota.set(name, quota.get(name)! + 1);
        left--;
      }
    }
  }
  return names.flatMap((name) => pick(strata.get(name)!, quota.get(name) ?? 0, next).map((m) => m.caseId)).sort();
}

/**
 * Draws records of the access log: the same generator and shuffle as for cases, over the records'
 * places in their unit's chain in ascending order; no strata, and no record can come back (a
 * period's records are no other period's). Returns places, ascending.
 */
export function drawRecords(input: { population: number[]; size: SampleSize; seed: string }): number[] {
  const next = mulberry32(seedNumber(input.seed));
  return pick(input.population, sizeFor(input.size, input.population.length), next).sort((a, b) => a - b);
}
