// The access log's hash chain, pure: a record's canonical content, its hash over the previous
// record's hash and that content, and the check of a unit's chain from its anchor. Anyone with the
// records can recompute it (sha256, no key): what it shows is that nothing was changed, removed or
// slipped in between, from the anchor to the last record.
import { createHash } from 'node:crypto';

/** What a record says; `seq` is its place in its unit's chain. */
export interface AccessRecord {
  unitId: string;
  seq: number;
  /** ISO 8601 in UTC with milliseconds, as `Date.toISOString` writes it. */
  at: string;
  staffId: string | null;
  view: string;
  caseIds: string[];
  query: string;
  session: string | null;
  address: string | null;
}

export interface ChainedRecord extends AccessRecord {
  prevHash: string;
  hash: string;
}

/** Where a unit's chain starts: nothing before it (seq 0), or the last record a purge removed. */
export interface Anchor {
  seq: number;
  hash: string;
}

export const genesis: Anchor = { seq: 0, hash: '0'.repeat(64) };

/** The case ids as a record keeps them: each once, in order, so the same cases always hash alike. */
export const normalCaseIds = (ids: Iterable<string | null | undefined>): string[] =>
  [...new Set([...ids].filter((id): id is string => typeof id === 'string' && id !== ''))].sort();

/** A record's content as one string: a JSON array in a fixed order, so no key order or spacing can differ. */
export function canonical(record: AccessRecord): string {
  return JSON.stringify([record.unitId, record.seq, record.at, record.staffId, record.view, record.caseIds, record.query, record.session, record.address]);
}

/** sha256 of the previous record's hash followed by this record's canonical content, in hex. */
export function chainHash(prevHash: string, record: AccessRecord): string {
  return createHash('sha256').update(prevHash).update(canonical(record)).digest('hex');
}

/** The next record of a chain whose last record (or anchor) is `head`. */
export function chain(head: Anchor, record: Omit<AccessRecord, 'seq'>): ChainedRecord {
  const full: AccessRecord = { ...record, seq: head.seq + 1 };
  return { ...full, prevHash: head.hash, hash: chainHash(head.hash, full) };
}

export type Broken = { seq: number; at: string; reason: string };

/**
 * Checks a piece of a unit's chain: each record follows the one before it (the anchor for the
 * first) by place and hash, and its own hash is its content's. The state carries over between
 * calls, so a long chain is checked page by page; the first broken record is the answer.
 */
export class ChainCheck {
  private head: Anchor;
  count = 0;

  constructor(anchor: Anchor) {
    this.head = anchor;
  }

  /** The first broken record among these, or undefined when they all hold. */
  add(records: ChainedRecord[]): Broken | undefined {
    for (const record of records) {
      const broken = (reason: string): Broken => ({ seq: record.seq, at: record.at, reason });
      if (record.seq !== this.head.seq + 1) {
        return broken(record.seq > this.head.seq + 1
          ? `post ${this.head.seq + 1}${record.seq > this.head.seq + 2 ? `–${record.seq - 1}` : ''} saknas före den`
          : `posten står på fel plats (efter nr ${this.head.seq})`);
      }
      if (record.prevHash !== this.head.hash) return broken('den pekar inte på föregående posts hash');
      if (record.hash !== chainHash(record.prevHash, record)) return broken('dess innehåll stämmer inte med dess hash (posten är ändrad)');
      this.head = { seq: record.seq, hash: record.hash };
      this.count++;
    }
    return undefined;
  }

  /** The last record checked (or the anchor): its place and hash, to note down and compare later. */
  get last(): Anchor {
    return this.head;
  }
}

/** Checks a whole chain at once. */
export function verifyChain(anchor: Anchor, records: ChainedRecord[]): { ok: true; count: number; head: Anchor } | { ok: false; broken: Broken } {
  const check = new ChainCheck(anchor);
  const broken = check.add(records);
  return broken ? { ok: false, broken } : { ok: true, count: check.count, head: check.last };
}
