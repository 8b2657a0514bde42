// Reviews of sampled cases: a deviation gives the caseworker a corrective action, and closing it
// shows in the compilation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { controlsOf, type Plan } from '../../src/internkontroll/plan.js';
import { reportCsv } from '../../src/internkontroll/report.js';
import { finishedRounds, writeAnalysis } from '../../src/internkontroll/analyses.js';
import { answerReview, closeCorrective, controlStatus } from '../../src/internkontroll/reviews.js';
import { storeReport } from '../../src/internkontroll/year.js';
import { takeSample } from '../../src/internkontroll/samples.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { TaskActionError } from '../../src/tasks/lifecycle.js';
import { referencePack } from '../helpers/rules.js';
import { engines, freshStore } from '../helpers/store.js';

const unit = syntheticUnit({ households: 200, seed: 12 });

describe.each(engines)('internal-control reviews, store on %s', (engine) => {
  let db: Db;
  let plan: Plan;
  beforeEach(async () => {
    db = await freshStore(engine);
    plan = (await referencePack()).plans[0]!.plan;
    await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-03-01' });
  });
  afterEach(async () => {
    await db.close();
  });

  it('reviews each sampled case; a deviation gives a corrective action; closing it shows in the compilation', async () => {
    const { sample } = await takeSample(db, { unitId: unit.unit.id, plan, controlId: 'payout-sample', period: '2027-03', seed: 'test', takenOn: '2027-03-01' });
    const reviews = await db.query<{ id: string; reviewer: string; due_on: string }>('SELECT id, reviewer, due_on FROM ik_reviews ORDER BY id');
    expect(reviews.map((r) => r.id)).toEqual(sample.cases.map((c) => `${sample.id}:${c}`).sort());
    // Twenty business days from 1 March; långfredagen and annandag påsk do not count.
    expect(reviews.every((r) => r.reviewer === 'bec-01' && r.due_on === '2027-03-31')).toBe(true);

    const checklist = controlsOf(plan).find((c) => c.id === 'payout-sample')!.checklist;
    const ok = checklist.map(() => ({ verdict: 'ok' as const }));
    const deviation = checklist.map((_, i) => (i === 1 ? { verdict: 'deviation' as const, note: 'Inkomst saknas i beräkningen.' } : { verdict: 'ok' as const }));
    await expect(answerReview(db, { reviewId: reviews[0]!.id, answers: checklist.map(() => ({ verdict: 'deviation' as const, note: ' ' })), by: 'bec-01', at: '2027-03-10T09:00:00Z', checklist })).rejects.toThrow(TaskActionError);
    expect((await answerReview(db, { reviewId: reviews[0]!.id, answers: ok, by: 'bec-01', at: '2027-03-10T09:00:00Z', checklist })).corrective).toBeNull();
    const { corrective } = await answerReview(db, { reviewId: reviews[1]!.id, answers: deviation, by: 'bec-01', at: '2027-03-10T09:00:00Z', checklist });
    const caseId = sample.cases[1]!;
    const owner = unit.cases.find((c) => c.caseId === caseId)!.socialsekreterare;
    expect(await db.query('SELECT assignee, due_on, state, deviation FROM ik_corrective WHERE id = $1', [corrective])).toEqual([
      { assignee: owner, due_on: '2027-03-24', state: 'open', deviation: `${checklist[1]} Inkomst saknas i beräkningen.` },
    ]);

    const before = (await controlStatus(db, unit.unit.id, 2027, '2027-03-25'))[0]!;
    expect(before).toMatchObject({ controlId: 'payout-sample', samples: 1, sampled: sample.cases.length, reviewed: 2, deviations: 1, deviationRate: 0.5, correctiveOpen: 1, correctiveOverdue: 1, correctiveClosed: 0 });

    await closeCorrective(db, { id: corrective!, by: owner, at: '2027-03-26T10:00:00Z', note: 'Beräkningen rättad och återkrav utrett.' });
    const after = await controlStatus(db, unit.unit.id, 2027, '2027-10-01');
    expect(after[0]).toMatchObject({ correctiveOpen: 0, correctiveOverdue: 0, correctiveClosed: 1 });
    const csv = reportCsv(plan, after).split('\n');
    expect(csv[0]).toBe('risk;riskvärde;kontroll;metod;stickprov;ärenden/poster;granskade;avvikelser;avvikelsegrad;rättelser öppna;rättelser försenade;rättelser stängda');
    expect(csv[1]).toBe(`Fel bistånd till fel person;15;Stickprov av utbetalningar;sample;1;${sample.cases.length};2;1;50 %;0;0;1`);
    expect(csv).toHaveLength(controlsOf(plan).length + 2);
    expect(csv.join('\n')).not.toContain(caseId);
  });

  it('audits files per caseworker, after-checks cases closed in the tertial, and takes an analysis once each round is reviewed', async () => {
    const { sample: audit } = await takeSample(db, { unitId: unit.unit.id, plan, controlId: 'file-audit', period: '2027', seed: 'aktgranskning', takenOn: '2027-11-01' });
    const caseworkerOf = new Map(unit.cases.map((c) => [c.caseId, c.socialsekreterare]));
    const perCaseworker = new Map<string, number>();
    for (const caseId of audit.cases) perCaseworker.set(caseworkerOf.get(caseId)!, (perCaseworker.get(caseworkerOf.get(caseId)!) ?? 0) + 1);
    // Two files from every caseworker with cases.
    expect([...perCaseworker.keys()].sort()).toEqual([...new Set(unit.cases.map((c) => c.socialsekreterare))].sort());
    expect([...perCaseworker.values()].every((n) => n === 2)).toBe(true);

    const { sample: fut } = await takeSample(db, { unitId: unit.unit.id, plan, controlId: 'fut-after-check', period: '2027-T1', seed: 'fut', takenOn: '2027-05-03' });
    const closedInT1 = unit.cases.filter((c) => c.closedOn && c.closedOn >= '2027-01-01' && c.closedOn <= '2027-04-30').map((c) => c.caseId).sort();
    expect(closedInT1.length).toBeGreaterThan(0);
    expect(fut.population.map((m) => m.caseId)).toEqual(closedInT1);
    expect(fut.cases.every((c) => closedInT1.includes(c))).toBe(true);

    // The analysis waits for the round's last review, is written once, and goes into the compilation.
    const write = (text: string) => writeAnalysis(db, { unitId: unit.unit.id, plan, sampleId: fut.id, text, by: 'bec-01', at: '2027-05-20T09:00:00Z' });
    await expect(write('För tidigt.')).rejects.toThrow(/granskningar kvar/);
    const checklist = controlsOf(plan).find((c) => c.id === 'fut-after-check')!.checklist;
    for (const review of await db.query<{ id: string }>('SELECT id FROM ik_reviews WHERE sample_id = $1', [fut.id])) {
      await answerReview(db, { reviewId: review.id, answers: checklist.map(() => ({ verdict: 'ok' as const })), by: 'bec-01', at: '2027-05-19T09:00:00Z', checklist });
    }
    expect((await finishedRounds(db, unit.unit.id, plan)).map((r) => [r.controlId, r.analysis])).toEqual([['fut-after-check', null]]);
    await expect(write('  ')).rejects.toThrow(/skriv analysen/);
    await write('Inga felaktiga utbetalningar hittades; rutinen för avslut fungerar.');
    await expect(write('En gång till.')).rejects.toThrow(/redan skriven/);
    // Another unit's head cannot write into this unit's round.
    await expect(writeAnalysis(db, { unitId: 'annan-enhet', plan, sampleId: fut.id, text: 'Intrång.', by: 'bec-01', at: '2027-05-20T09:00:00Z' })).rejects.toThrow(TaskActionError);
    const id = await storeReport(db, { unitId: unit.unit.id, plan, report: 'compilation', date: '2027-10-29', at: '2027-10-29T05:30:00Z' });
    const [report] = await db.query<{ html: string }>('SELECT html FROM ik_reports WHERE id = $1', [id]);
    expect(report!.html).toContain('<h3>Efterkontroll i avslutade ärenden (FUT), 2027-T1</h3><p>Inga felaktiga utbetalningar hittades; rutinen för avslut fungerar.</p>');
    for (const caseId of fut.cases) expect(report!.html).not.toContain(caseId);
  });

  it('samples young adults whose case closed in the tertial, and gives FUT work to the FUT-utredare, else the deputy head', async () => {
    const { sample } = await takeSample(db, { unitId: unit.unit.id, plan, controlId: 'young-adult-contact', period: '2027-T1', seed: 'unga', takenOn: '2027-05-03' });
    // Recounted from the case file: closed January–April with an applicant or co-applicant aged 18–24 that day.
    const age = (birth: string, on: string) => Number(on.slice(0, 4)) - Number(birth.slice(0, 4)) - (on.slice(5) < birth.slice(5) ? 1 : 0);
    const young = unit.cases.filter((c) => c.closedOn && c.closedOn >= '2027-01-01' && c.closedOn <= '2027-04-30'
      && c.members.some((m) => (m.role === 'applicant' || m.role === 'co-applicant') && age(m.birthDate, c.closedOn!) >= 18 && age(m.birthDate, c.closedOn!) <= 24));
    expect(sample.population.map((m) => m.caseId)).toEqual(young.map((c) => c.caseId).sort());
    // No FUT-utredare in the unit: the deputy head reviews the FUT sample.
    const { sample: fut } = await takeSample(db, { unitId: unit.unit.id, plan, controlId: 'fut-sample-check', period: '2027-T1', seed: 'fut', takenOn: '2027-05-03' });
    const reviewers = async (sampleId: string) => [...new Set((await db.query<{ reviewer: string }>('SELECT reviewer FROM ik_reviews WHERE sample_id = $1', [sampleId])).map((r) => r.reviewer))];
    expect(await reviewers(fut.id)).toEqual(['bec-01']);
    // With one, the FUT-utredare does.
    await importCaseFile(db, { ...unit, staff: [...unit.staff, { id: 'fut-01', name: 'FUT-utredare Ett', role: 'fut-utredare', email: 'fut-01@example.se' }] },
      { fileName: 'y', fileHash: 'y', importedBy: 'test', full: false, exportDate: '2027-09-01' });
    const { sample: after } = await takeSample(db, { unitId: unit.unit.id, plan, controlId: 'fut-after-check', period: '2027-T2', seed: 'fut2', takenOn: '2027-09-01' });
    expect(await reviewers(after.id)).toEqual(['fut-01']);
  });
});
