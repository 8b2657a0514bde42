// Reviews of sampled cases: a deviation gives the caseworker a corrective action, and closing it
// shows in the compilation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { controlsOf, type Plan } from '../../src/internkontroll/plan.js';
import { reportCsv } from '../../src/internkontroll/report.js';
import { answerReview, closeCorrective, controlStatus } from '../../src/internkontroll/reviews.js';
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
    expect(csv[0]).toBe('risk;riskvärde;kontroll;metod;stickprov;ärenden;granskade;avvikelser;avvikelsegrad;rättelser öppna;rättelser försenade;rättelser stängda');
    expect(csv[1]).toBe(`Fel bistånd till fel person;15;Stickprov av utbetalningar;sample;1;${sample.cases.length};2;1;50 %;0;0;1`);
    expect(csv).toHaveLength(controlsOf(plan).length + 2);
    expect(csv.join('\n')).not.toContain(caseId);
  });
});
