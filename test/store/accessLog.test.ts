// The access log in the store, on both engines: appended in order under concurrency, searched by
// case, person and time, never changed or removed (the triggers refuse, whatever the SQL), and
// purged from the oldest end with the chain still whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeAccessLog, recordAccess, retentionCutoff, searchAccess, verifyAccessLog } from '../../src/accessLog/log.js';
import type { Db } from '../../src/store/db.js';
import { engines, freshStore } from '../helpers/store.js';

describe.each(engines)('the access log (%s)', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await freshStore(engine);
  });
  afterAll(async () => {
    await db?.close();
  });

  const at = (iso: string) => new Date(iso);

  it('appends one chain per unit, in order and without gaps, also when many write at once', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) =>
      recordAccess(db, { unitId: 'u-busy', staffId: `ss-${i % 3}`, view: 'task', caseIds: [`EB-${i}`], at: at('2027-05-03T08:00:00Z'), session: 's', address: '10.0.0.1' })));
    await recordAccess(db, { unitId: 'u-other', staffId: 'ss-1', view: 'inbox', caseIds: [], at: at('2027-05-03T08:00:00Z') });
    const { records, total } = await searchAccess(db, { unitId: 'u-busy', limit: 100 });
    expect(total).toBe(20);
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 20 - i));
    expect(new Set(records.map((r) => r.caseIds[0])).size).toBe(20);
    expect(await verifyAccessLog(db)).toEqual([
      expect.objectContaining({ unitId: 'u-busy', ok: true, count: 20 }),
      expect.objectContaining({ unitId: 'u-other', ok: true, count: 1 }),
    ]);
  });

  it('finds records by case, by person and by time', async () => {
    const unitId = 'u-search';
    await recordAccess(db, { unitId, staffId: 'bec-01', view: 'working-view', caseIds: ['EB-7', 'EB-12'], query: 'ärende=EB-', at: at('2027-03-01T10:00:00.123Z') });
    await recordAccess(db, { unitId, staffId: 'ss-01', view: 'task', caseIds: ['EB-7'], at: at('2027-03-02T10:00:00Z') });
    await recordAccess(db, { unitId, staffId: 'ss-01', view: 'inbox', caseIds: ['EB-1'], at: at('2027-04-02T10:00:00Z') });
    const seqs = async (search: Parameters<typeof searchAccess>[1]) => (await searchAccess(db, search)).records.map((r) => r.seq);
    expect(await seqs({ unitId, caseId: 'EB-7', limit: 10 })).toEqual([2, 1]);
    expect(await seqs({ unitId, caseId: 'EB-', limit: 10 })).toEqual([]);
    expect(await seqs({ unitId, staffId: 'ss-01', limit: 10 })).toEqual([3, 2]);
    expect(await seqs({ unitId, from: '2027-03-02T00:00:00Z', to: '2027-04-01T00:00:00Z', limit: 10 })).toEqual([2]);
    expect(await seqs({ unitId, caseId: 'EB-7', staffId: 'ss-01', limit: 10 })).toEqual([2]);
    const [first] = (await searchAccess(db, { unitId, caseId: 'EB-12', limit: 10 })).records;
    expect(first).toMatchObject({ unitId, seq: 1, at: '2027-03-01T10:00:00.123Z', staffId: 'bec-01', view: 'working-view', caseIds: ['EB-12', 'EB-7'], query: 'ärende=EB-' });
  });

  it('refuses to change, remove or empty a record, whatever the SQL', async () => {
    const unitId = 'u-fixed';
    await recordAccess(db, { unitId, staffId: 'ss-01', view: 'task', caseIds: ['EB-3'], at: at('2027-05-03T08:00:00Z') });
    await expect(db.query("UPDATE access_log SET staff_id = 'ec-01' WHERE unit_id = $1", [unitId])).rejects.toThrow(/ändras aldrig/);
    await expect(db.query('DELETE FROM access_log WHERE unit_id = $1', [unitId])).rejects.toThrow(/ändras aldrig/);
    await expect(db.exec('TRUNCATE access_log')).rejects.toThrow(/ändras aldrig/);
    // The purge's setting names one unit and places: another unit's records, or later ones, stay.
    await expect(db.transaction(async (tx) => {
      await tx.query("SELECT set_config('arshjul.access_log_purge_unit', 'u-busy', true), set_config('arshjul.access_log_purge_through', '100', true)");
      await tx.query('DELETE FROM access_log WHERE unit_id = $1', [unitId]);
    })).rejects.toThrow(/ändras aldrig/);
    expect((await searchAccess(db, { unitId, limit: 10 })).total).toBe(1);
    expect(await verifyAccessLog(db, unitId)).toEqual([expect.objectContaining({ ok: true, count: 1 })]);
  });

  it('purges what is older than the retention, leaves the chain whole from its new anchor, and logs the purge', async () => {
    const unitId = 'u-old';
    for (const day of ['2021-05-01', '2022-05-02', '2022-05-03', '2022-05-04']) {
      await recordAccess(db, { unitId, staffId: 'ss-01', view: 'task', caseIds: ['EB-1'], at: at(`${day}T10:00:00Z`) });
    }
    // Five years before 3 May 2027 is midnight 3 May 2022 in Stockholm.
    expect(retentionCutoff('2027-05-03', 5)).toBe('2022-05-02T22:00:00.000Z');
    expect(await purgeAccessLog(db, { unitId, date: '2027-05-03', retentionYears: 5, now: at('2027-05-03T04:00:00Z') })).toBe(2);
    const { records } = await searchAccess(db, { unitId, limit: 10 });
    expect(records.map((r) => [r.seq, r.view])).toEqual([[5, 'purge'], [4, 'task'], [3, 'task']]);
    expect(records[0]).toMatchObject({ staffId: null, caseIds: [], query: expect.stringContaining('2 poster äldre än 2022-05-03') as unknown });
    expect(await verifyAccessLog(db, unitId)).toEqual([expect.objectContaining({ ok: true, count: 3, from: 3 })]);
    // Nothing more to purge: nothing written; after the purge's transaction its setting is gone.
    expect(await purgeAccessLog(db, { unitId, date: '2027-05-03', retentionYears: 5, now: at('2027-05-03T04:00:00Z') })).toBe(0);
    await expect(db.query('DELETE FROM access_log WHERE unit_id = $1', [unitId])).rejects.toThrow(/ändras aldrig/);
    await expect(db.query("UPDATE access_log_anchors SET hash = 'x' WHERE unit_id = $1", [unitId])).rejects.toThrow(/ändras aldrig/);
    await expect(db.query('DELETE FROM access_log_anchors WHERE unit_id = $1', [unitId])).rejects.toThrow(/ändras aldrig/);
    // Everything purged: the next record follows the anchor.
    expect(await purgeAccessLog(db, { unitId, date: '2032-06-01', retentionYears: 5, now: at('2032-06-01T04:00:00Z') })).toBe(3);
    expect(await verifyAccessLog(db, unitId)).toEqual([expect.objectContaining({ ok: true, count: 1, from: 6 })]);
  });

  it('finds a record changed behind the triggers\' back, and names it', async () => {
    const unitId = 'u-tampered';
    for (let i = 0; i < 4; i++) await recordAccess(db, { unitId, staffId: 'ss-01', view: 'task', caseIds: [`EB-${i}`], at: at('2027-05-03T08:00:00Z') });
    await db.transaction(async (tx) => {
      await tx.exec('ALTER TABLE access_log DISABLE TRIGGER access_log_append_only');
      await tx.query("UPDATE access_log SET case_ids = '{EB-99}' WHERE unit_id = $1 AND seq = 3", [unitId]);
      await tx.exec('ALTER TABLE access_log ENABLE TRIGGER access_log_append_only');
    });
    expect(await verifyAccessLog(db, unitId)).toEqual([expect.objectContaining({ ok: false, count: 2, broken: expect.objectContaining({ seq: 3 }) as unknown })]);
  });
});
