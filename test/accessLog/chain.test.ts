// The access log's hash chain, pure: each record's hash is sha256 of the previous hash and its
// canonical content, and the check names the first record that does not hold.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChainCheck, canonical, chain, chainHash, genesis, normalCaseIds, verifyChain, type ChainedRecord } from '../../src/accessLog/chain.js';

const base = { unitId: 'u1', staffId: 'bec-01', view: 'task', query: '', session: 'abc', address: '10.0.0.7' };

function build(n: number, anchor = genesis): ChainedRecord[] {
  const records: ChainedRecord[] = [];
  let head = anchor;
  for (let i = 0; i < n; i++) {
    const record = chain(head, { ...base, at: new Date(Date.UTC(2027, 4, 3, 8, 0, i)).toISOString(), caseIds: [`EB-${i}`] });
    records.push(record);
    head = { seq: record.seq, hash: record.hash };
  }
  return records;
}

describe('the access log\'s hash chain', () => {
  it('hashes the previous hash followed by the canonical content, with sha256', () => {
    const [first] = build(1) as [ChainedRecord];
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe('0'.repeat(64));
    expect(canonical(first)).toBe('["u1",1,"2027-05-03T08:00:00.000Z","bec-01","task",["EB-0"],"","abc","10.0.0.7"]');
    expect(first.hash).toBe(createHash('sha256').update(`${'0'.repeat(64)}${canonical(first)}`).digest('hex'));
    expect(chainHash(first.prevHash, first)).toBe(first.hash);
  });

  it('keeps each case once, in order, so the same cases always hash alike', () => {
    expect(normalCaseIds(['EB-2', null, 'EB-10', '', 'EB-2', undefined, 'EB-1'])).toEqual(['EB-1', 'EB-10', 'EB-2']);
  });

  it('holds for an untouched chain, from the genesis or from a purge\'s anchor', () => {
    const records = build(5);
    expect(verifyChain(genesis, records)).toEqual({ ok: true, count: 5, head: { seq: 5, hash: records[4]!.hash } });
    // The purge removed 1–2: the chain starts at 3 from 2's hash.
    expect(verifyChain({ seq: 2, hash: records[1]!.hash }, records.slice(2))).toMatchObject({ ok: true, count: 3 });
  });

  it('names a record whose content was changed', () => {
    const records = build(5);
    records[2] = { ...records[2]!, caseIds: ['EB-99'] };
    expect(verifyChain(genesis, records)).toEqual({ ok: false, broken: { seq: 3, at: records[2].at, reason: expect.stringContaining('ändrad') as unknown } });
    // Every field counts.
    for (const change of [{ staffId: 'ec-01' }, { at: '2027-05-03T09:00:00.000Z' }, { view: 'inbox' }, { query: 'x' }, { session: null }, { address: '10.0.0.8' }, { unitId: 'u2' }]) {
      const changed = build(3);
      changed[1] = { ...changed[1]!, ...change };
      expect(verifyChain(genesis, changed), JSON.stringify(change)).toMatchObject({ ok: false, broken: { seq: 2 } });
    }
  });

  it('names the record after one changed with its hash made again', () => {
    const records = build(5);
    const forged = { ...records[1]!, staffId: 'ec-01' };
    records[1] = { ...forged, hash: chainHash(forged.prevHash, forged) };
    expect(verifyChain(genesis, records)).toMatchObject({ ok: false, broken: { seq: 3, reason: expect.stringContaining('föregående') as unknown } });
  });

  it('names the place of a record removed, and a record put in out of place', () => {
    const records = build(5);
    expect(verifyChain(genesis, [...records.slice(0, 2), ...records.slice(3)])).toMatchObject({ ok: false, broken: { seq: 4, reason: 'post 3 saknas före den' } });
    expect(verifyChain(genesis, [records[0]!, ...records.slice(3)])).toMatchObject({ ok: false, broken: { seq: 4, reason: 'post 2–3 saknas före den' } });
    expect(verifyChain(genesis, records.slice(1))).toMatchObject({ ok: false, broken: { seq: 2 } });
    expect(verifyChain({ seq: 2, hash: records[1]!.hash }, records)).toMatchObject({ ok: false, broken: { seq: 1, reason: expect.stringContaining('fel plats') as unknown } });
  });

  it('checks a long chain page by page as one', () => {
    const records = build(10);
    const check = new ChainCheck(genesis);
    expect(check.add(records.slice(0, 4))).toBeUndefined();
    expect(check.add(records.slice(4))).toBeUndefined();
    expect([check.count, check.last.seq]).toEqual([10, 10]);
    const broken = new ChainCheck(genesis);
    expect(broken.add(records.slice(0, 4))).toBeUndefined();
    expect(broken.add(records.slice(5))).toMatchObject({ seq: 6 });
  });
});
