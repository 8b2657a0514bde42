// Typed-in figures over a period: sums, the latest count and averages, each with its forecast for
// the whole period, as the figures stood at a moment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { typedMeasure } from '../../src/reports/typedFigures.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { enterFigure } from '../../src/store/unitFigures.js';
import { freshStore } from '../helpers/store.js';

const unit = syntheticUnit({ households: 5, seed: 1 });
const t1 = { unitId: unit.unit.id, from: '2027-01-01', to: '2027-04-30' };

describe('typed-in figures', () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshStore('embedded');
    await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-01-01' });
    const enter = (measure: string, month: string, value: number, at: string) => enterFigure(db, { unitId: unit.unit.id, measure, month, value, by: 'ec-01', at });
    await enter('complaintsAboutTreatment', '2027-01', 2, '2027-02-03T09:00:00Z');
    await enter('complaintsAboutTreatment', '2027-02', 1, '2027-03-03T09:00:00Z');
    await enter('complaintsAboutTreatment', '2027-02', 4, '2027-03-20T09:00:00Z');
    await enter('nonExecutedDecisions', '2027-01', 3, '2027-02-03T09:00:00Z');
    await enter('nonExecutedDecisions', '2027-03', 1, '2027-04-03T09:00:00Z');
    await enter('sickLeaveRate', '2027-01', 0.04, '2027-02-03T09:00:00Z');
    await enter('sickLeaveRate', '2027-02', 0.06, '2027-03-03T09:00:00Z');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('sums complaints over the months entered and scales the sum to the whole tertial', async () => {
    expect(await typedMeasure(db, { ...t1, measure: 'complaintsAboutTreatment', asOf: '2027-03-25T00:00:00Z' })).toEqual({ value: 6, forecast: 12 });
    // As the figures stood before February's correction.
    expect(await typedMeasure(db, { ...t1, measure: 'complaintsAboutTreatment', asOf: '2027-03-10T00:00:00Z' })).toEqual({ value: 3, forecast: 6 });
  });

  it('takes the latest month\'s count of non-executed decisions, and averages sick leave', async () => {
    expect(await typedMeasure(db, { ...t1, measure: 'nonExecutedDecisions', asOf: '2027-05-01T00:00:00Z' })).toEqual({ value: 1, forecast: 1 });
    const sick = await typedMeasure(db, { ...t1, measure: 'sickLeaveRate', asOf: '2027-05-01T00:00:00Z' });
    expect(sick.value).toBeCloseTo(0.05);
    expect(await typedMeasure(db, { ...t1, measure: 'workPlansAfterSecondMeeting', asOf: '2027-05-01T00:00:00Z' })).toEqual({ value: 0, forecast: 0 });
  });
});
