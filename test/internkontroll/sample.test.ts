// Samples: the same seed draws the same cases, stratification reaches every caseworker, a case is
// not drawn twice in a year until the population runs out; and the CLI as a deputy head uses it.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { drawSample, sizeFor, type Member } from '../../src/internkontroll/sample.js';
import { projectRoot } from '../../src/platform/paths.js';
import { cli } from '../helpers/arshjul.js';

const run = promisify(execFile);

const population: Member[] = Array.from({ length: 300 }, (_, i) => ({ caseId: `EB-${String(i).padStart(4, '0')}`, caseworker: `ss-${(i * 7) % 12}` }));

describe('drawSample', () => {
  it('draws the same cases from the same seed, and others from another', () => {
    const a = drawSample({ population, size: { count: 20 }, seed: 'frö-1', exclude: [] });
    expect(a).toHaveLength(20);
    expect(drawSample({ population, size: { count: 20 }, seed: 'frö-1', exclude: [] })).toEqual(a);
    expect(drawSample({ population, size: { count: 20 }, seed: 'frö-2', exclude: [] })).not.toEqual(a);
  });

  it('gives every caseworker at least one case when the size allows, the rest in proportion', () => {
    const sample = drawSample({ population, size: { count: 30 }, stratify: 'caseworker', seed: 's', exclude: [] });
    const byCaseworker = new Map<string, number>();
    for (const id of sample) {
      const caseworker = population.find((m) => m.caseId === id)!.caseworker;
      byCaseworker.set(caseworker, (byCaseworker.get(caseworker) ?? 0) + 1);
    }
    expect(sample).toHaveLength(30);
    expect(byCaseworker.size).toBe(12);
    expect(Math.min(...byCaseworker.values())).toBeGreaterThanOrEqual(2);
  });

  it('leaves out cases drawn earlier in the year until the population runs out', () => {
    const first = drawSample({ population, size: { count: 100 }, seed: 'a', exclude: [] });
    const second = drawSample({ population, size: { count: 100 }, seed: 'b', exclude: first });
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    const third = drawSample({ population, size: { count: 150 }, seed: 'c', exclude: [...first, ...second] });
    expect(third).toHaveLength(150);
  });

  it('takes a share with a minimum, never more than the population', () => {
    expect(sizeFor({ share: 0.02, minimum: 5 }, 612)).toBe(13);
    expect(sizeFor({ share: 0.02, minimum: 5 }, 100)).toBe(5);
    expect(sizeFor({ count: 10 }, 4)).toBe(4);
  });
});

describe('arshjul ik sample', () => {
  it('gives the same cases twice, verifies the stored sample, and another seed draws others', async () => {
    const env = { ...process.env, ARSHJUL_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'arshjul-ik-')), DATABASE_URL: '' };
    const arshjul = async (...args: string[]) => (await run(process.execPath, [cli, ...args], { cwd: projectRoot, env })).stdout;
    await arshjul('demo', '--households', '400');
    const args = ['ik', 'sample', '--unit', 'demo-eb', '--control', 'payout-sample', '--period', '2027-03'];
    const first = await arshjul(...args);
    const [, taken, of] = /^Stickprov demo-eb:payout-sample:2027-03: (\d+) av (\d+) ärenden \(frö [0-9a-f]{24}, arshjul-sample-v1\)/.exec(first)!;
    // The plan's 2 % with a minimum of five.
    expect(Number(taken)).toBe(Math.max(5, Math.ceil(0.02 * Number(of))));
    const cases = first.split('\n').slice(1).filter(Boolean);
    expect(cases).toHaveLength(Number(taken));
    const second = await arshjul(...args);
    expect(second.split('\n').slice(1).filter(Boolean)).toEqual(cases);
    expect(second).toContain('(redan taget)');
    expect(await arshjul('ik', 'sample', '--verify', 'demo-eb:payout-sample:2027-03')).toBe(`OK: demo-eb:payout-sample:2027-03 dras om till samma ${taken} ärenden.\n`);
    const other = await arshjul(...args, '--seed', 'ett-annat-frö', '--dry-run');
    expect(other).toContain('(provdragning, sparas inte)');
    expect(other.split('\n').slice(1).filter((l) => l.startsWith('  '))).not.toEqual(cases);
    // Reviews: one per sampled case; a deviation gives a corrective action; its closing shows in the status.
    const ok = ['--answer', 'ok', '--answer', 'ok', '--answer', 'ok', '--answer', 'na', '--answer', 'ok'];
    expect(await arshjul('ik', 'review', `demo-eb:payout-sample:2027-03:${cases[0]!.trim()}`, ...ok, '--by', 'bec-01')).toBe('Granskad utan avvikelse.\n');
    const deviation = ['--answer', 'ok', '--answer', 'avvikelse: Norm för fel hushållsstorlek.', '--answer', 'ok', '--answer', 'ok', '--answer', 'ok'];
    const reviewed = await arshjul('ik', 'review', `demo-eb:payout-sample:2027-03:${cases[1]!.trim()}`, ...deviation, '--by', 'bec-01');
    const corrective = /rättelse (\S+) till/.exec(reviewed)![1]!;
    const status = await arshjul('ik', 'status', '--unit', 'demo-eb', '--year', '2027', '--csv');
    expect(status.startsWith('\uFEFF')).toBe(true);
    expect(status).toContain(`Stickprov av utbetalningar;sample;1;${taken};2;1;50 %;1;0;0`);
    expect(await arshjul('ik', 'corrective', 'close', corrective, '--by', 'ss-01', '--note', 'Rättat.')).toBe(`Rättelsen ${corrective} är stängd.\n`);
    expect(await arshjul('ik', 'status', '--unit', 'demo-eb', '--year', '2027', '--csv')).toContain(`Stickprov av utbetalningar;sample;1;${taken};2;1;50 %;0;0;1`);

    // The next month leaves March's cases out.
    const april = (await arshjul('ik', 'sample', '--unit', 'demo-eb', '--control', 'payout-sample', '--period', '2027-04')).split('\n').slice(1).filter(Boolean);
    expect(april.filter((id) => cases.includes(id))).toEqual([]);
  });
});
