// Typed-in figures over a period: sums, the latest count and averages, each with its forecast for
// the whole period, as the figures stood at a moment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { indicatorsSvg } from '../../src/reports/charts.js';
import type { IndicatorFigure, ReportFigures } from '../../src/reports/figures.js';
import { parseReportPeriod } from '../../src/reports/period.js';
import { reportCsv, reportHtml } from '../../src/reports/render.js';
import { typedMeasure } from '../../src/reports/typedFigures.js';
import { reportFigures } from '../../src/reports/figures.js';
import { percentNumber } from '../../src/reports/format.js';
import { measure } from '../../src/reports/measure.js';
import { referencePack } from '../helpers/rules.js';
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
    // Nobody entered it: missing, not 0.
    expect(await typedMeasure(db, { ...t1, from: '2027-05-01', to: '2027-08-31', measure: 'complaintsAboutTreatment', asOf: '2027-09-01T00:00:00Z' })).toEqual({ value: null, forecast: null });
  });

  it('gives a count as a share of the population typed in for the year, and no share where none is', async () => {
    const pack = await referencePack();
    const t1 = parseReportPeriod('2027-T1');
    const asOf = '2027-05-10T06:00:00Z';
    const before = await reportFigures(db, { unitId: unit.unit.id, period: t1, pack, asOf });
    expect(before.indicators.find((i) => i.id === 'children-in-households')!.share).toEqual({ of: 'childResidents', label: 'Barn i stadsdelen (under 18 år)', value: null });
    await enterFigure(db, { unitId: unit.unit.id, measure: 'childResidents', month: '2027-01', value: 400, by: 'ec-01', at: '2027-02-01T09:00:00Z' });
    const figures = await reportFigures(db, { unitId: unit.unit.id, period: t1, pack, asOf });
    const children = figures.indicators.find((i) => i.id === 'children-in-households')!;
    // By hand: the children counted (a monthly average, January to April) over the 400 typed in.
    const counted = await measure(db, { unitId: unit.unit.id, measure: 'childrenInHouseholds', from: '2027-01-01', to: '2027-04-30', asOf });
    expect(counted).toBeGreaterThan(0);
    expect(children.value).toBe(counted);
    expect(children.share!.value).toBeCloseTo(counted! / 400, 12);
    expect(reportCsv(figures)).toContain(`nyckeltal;children-in-households;Barn i hushåll med ekonomiskt bistånd;2027-T1;andel av barn i stadsdelen (under 18 år);${percentNumber(counted! / 400)};%`);
    // The adults' population was not entered: their share is missing, not 0.
    expect(figures.indicators.find((i) => i.id === 'long-term-dependent')!.share!.value).toBeNull();
    expect(reportHtml(figures, { version: 1 })).toContain('<h3>Andel av befolkningen</h3>');
  });

  it('shows a figure nobody entered as "ej inrapporterat", never 0, and never counts it as a target met', () => {
    const figure = (id: string, value: number | null, meets: boolean | null): IndicatorFigure => ({
      id, title: `Nyckeltal ${id}`, unit: 'st', rate: false, value, target: { value: 4, direction: 'at-most' }, meetsTarget: meets,
    });
    const figures: ReportFigures = {
      unitId: 'u', unitName: 'Enheten', period: parseReportPeriod('2027-T1'), asOf: '2027-05-10T06:00:00Z', preliminary: false,
      indicators: [figure('entered', 3, true), figure('missing', null, null)], completion: { rate: 0, controls: [] }, internalControl: [],
    };
    const csv = reportCsv(figures);
    expect(csv).toContain('nyckeltal;missing;Nyckeltal missing;2027-T1;värde;ej inrapporterat;st');
    expect(csv).toContain('nyckeltal;missing;Nyckeltal missing;2027-T1;uppfyllt;kan inte bedömas;');
    expect(csv).not.toMatch(/missing;[^\n]*;värde;0;/);
    const html = reportHtml(figures, { version: 1 });
    expect(html).toContain('Nyckeltal som når årsmålet: 1 av 2 (1 ej inrapporterat).');
    expect(html).toContain('<td>Nyckeltal missing</td><td class="n">ej inrapporterat</td>');
    expect(html).toContain('inga uppgifter under perioden');
    // The chart draws no bar for it, and says so.
    expect(indicatorsSvg(figures.indicators).match(/<rect /g)).toHaveLength(1);
    expect(indicatorsSvg(figures.indicators)).toContain('>ej inrapporterat</text>');
  });
});
