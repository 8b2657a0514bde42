// Samples: the same seed draws the same cases (or access-log records), stratification reaches every
// caseworker, a case is not drawn twice in a year until the population runs out; and the CLI as a
// deputy head uses it, its printed cases on the access log with the machine's account.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { drawRecords, drawSample, sizeFor, type Member } from '../../src/internkontroll/sample.js';
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

describe('drawRecords', () => {
  // A month's places in the chain: not contiguous, since sign-ins and pages without cases are left out.
  const places = Array.from({ length: 400 }, (_, i) => 1000 + i * 3);

  it('draws the same records from the same seed, in place order, and others from another seed', () => {
    const a = drawRecords({ population: places, size: { count: 10 }, seed: '5f1c0a9d2e' });
    expect(a).toHaveLength(10);
    expect(new Set(a).size).toBe(10);
    expect(a.every((seq) => places.includes(seq))).toBe(true);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    // Reproducible from what a sample keeps: the seed, the population in its order and the size.
    expect(drawRecords({ population: [...places], size: { count: 10 }, seed: '5f1c0a9d2e' })).toEqual(a);
    expect(drawRecords({ population: places, size: { count: 10 }, seed: 'ett-annat-frö' })).not.toEqual(a);
  });

  it('takes the records of the case draw\'s generator: the same seed picks the same positions', () => {
    const asCases = places.map((seq) => ({ caseId: String(seq).padStart(8, '0'), caseworker: 'alla' }));
    const cases = drawSample({ population: asCases, size: { count: 10 }, seed: 'samma', exclude: [] });
    expect(drawRecords({ population: places, size: { count: 10 }, seed: 'samma' })).toEqual(cases.map(Number));
  });

  it('takes every record of a month with fewer than the size, and none of an empty one', () => {
    expect(drawRecords({ population: [7, 3, 5], size: { count: 10 }, seed: 'x' })).toEqual([3, 5, 7]);
    expect(drawRecords({ population: [], size: { count: 10 }, seed: 'x' })).toEqual([]);
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

    // Each command that printed case ids from the store put them on the access log first, as the
    // machine's account (nobody signs in on the command line): the samples and the dry run here.
    const planned = JSON.parse(await arshjul('plan', '--unit', 'demo-eb', '--from', '2027-03', '--json')) as { caseId: string | null }[];
    type Logged = { staffId: string | null; view: string; viewName: string; caseIds: string[]; query: string; address: string };
    const log = JSON.parse(await arshjul('log', '--unit', 'demo-eb', '--json')) as Logged[];
    const account = `kommandorad: ${os.userInfo().username}@${os.hostname()}`;
    const samples = log.filter((r) => r.view === 'sample-cli');
    expect(samples.map((r) => r.query).reverse()).toEqual([
      'kontroll=payout-sample; period=2027-03', 'kontroll=payout-sample; period=2027-03',
      'kontroll=payout-sample; period=2027-03; provdragning', 'kontroll=payout-sample; period=2027-04',
    ]);
    expect(samples.at(-1)).toEqual(expect.objectContaining({ staffId: null, viewName: 'Stickprov på kommandoraden', caseIds: cases.map((c) => c.trim()).sort(), address: account }));
    const plan = log.find((r) => r.view === 'plan-cli')!;
    expect(plan).toEqual(expect.objectContaining({ staffId: null, query: 'från=2027-03; till=2027-03', address: account }));
    expect(plan.caseIds).toEqual([...new Set(planned.flatMap((t) => (t.caseId ? [t.caseId] : [])))].sort());
    // The verification printed no case, so it is not there.
    expect(log.some((r) => r.query.includes('dras om'))).toBe(false);
    // Some ten CLI runs, each a process of its own: on a busy two-core machine this takes more than a minute.
  }, 240_000);
});
