// The access log's rows (`access_log`, `access_log_anchors`): appended under a lock on the unit's
// chain, read by case, person and time, read in order for the chain's check, and purged from the
// oldest end. There is no function here that changes or removes a record otherwise, and the
// tables' triggers refuse it (migration 018).
import type { Anchor, ChainedRecord } from '../accessLog/chain.js';
import type { Queryable } from './db.js';

// Times as the chain hashes them: UTC, milliseconds, as Date.toISOString writes them.
const columns = `unit_id AS "unitId", seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, staff_id AS "staffId", view,
  case_ids AS "caseIds", query, session, address, prev_hash AS "prevHash", hash`;

/** Holds the unit's chain until the transaction ends: one writer at a time appends to it. */
export async function lockChain(tx: Queryable, unitId: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('access_log:' || $1))", [unitId]);
}

/** The last record of the unit's chain, or else its newest anchor; undefined for a chain not begun. */
export async function chainHead(tx: Queryable, unitId: string): Promise<Anchor | undefined> {
  const [head] = await tx.query<Anchor>(
    `(SELECT seq, hash FROM access_log WHERE unit_id = $1 ORDER BY seq DESC LIMIT 1)
     UNION ALL (SELECT seq, hash FROM access_log_anchors WHERE unit_id = $1 ORDER BY seq DESC LIMIT 1)
     ORDER BY seq DESC LIMIT 1`,
    [unitId],
  );
  return head;
}

/** The unit's newest anchor: where the chain starts after the purges. */
export async function latestAnchor(db: Queryable, unitId: string): Promise<Anchor | undefined> {
  const [anchor] = await db.query<Anchor>('SELECT seq, hash FROM access_log_anchors WHERE unit_id = $1 ORDER BY seq DESC LIMIT 1', [unitId]);
  return anchor;
}

export async function insertAccessRecord(tx: Queryable, record: ChainedRecord): Promise<void> {
  await tx.query(
    `INSERT INTO access_log (unit_id, seq, at, staff_id, view, case_ids, query, session, address, prev_hash, hash)
     VALUES ($1, $2, $3::timestamptz, $4, $5, $6::text[], $7, $8, $9, $10, $11)`,
    [record.unitId, record.seq, record.at, record.staffId, record.view, record.caseIds, record.query, record.session, record.address, record.prevHash, record.hash],
  );
}

export interface AccessSearch {
  unitId: string;
  caseId?: string;
  staffId?: string;
  /** From and to (exclusive), ISO times. */
  from?: string;
  to?: string;
  limit: number;
}

/** The unit's records that name the case, are the person's and fall in the time, newest first; and how many there are. */
export async function searchAccessLog(db: Queryable, search: AccessSearch): Promise<{ records: ChainedRecord[]; total: number }> {
  const where = `unit_id = $1 AND ($2::text IS NULL OR case_ids @> ARRAY[$2::text]) AND ($3::text IS NULL OR staff_id = $3)
    AND ($4::timestamptz IS NULL OR at >= $4::timestamptz) AND ($5::timestamptz IS NULL OR at < $5::timestamptz)`;
  const params = [search.unitId, search.caseId ?? null, search.staffId ?? null, search.from ?? null, search.to ?? null];
  const records = await db.query<ChainedRecord>(`SELECT ${columns} FROM access_log WHERE ${where} ORDER BY seq DESC LIMIT ${Math.max(0, Math.floor(search.limit))}`, params);
  const [{ n }] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM access_log WHERE ${where}`, params)) as [{ n: number }];
  return { records, total: n };
}

/**
 * The places of the unit's records in a time (from inclusive, to exclusive) that named cases: what
 * the log's internal control samples. In chain order.
 */
export async function placesWithCases(db: Queryable, unitId: string, from: string, to: string): Promise<number[]> {
  const rows = await db.query<{ seq: number }>(
    `SELECT seq FROM access_log WHERE unit_id = $1 AND at >= $2::timestamptz AND at < $3::timestamptz AND cardinality(case_ids) > 0 ORDER BY seq`,
    [unitId, from, to],
  );
  return rows.map((r) => r.seq);
}

/** The unit's records at these places (those still kept), in chain order. */
export async function recordsAt(db: Queryable, unitId: string, places: number[]): Promise<ChainedRecord[]> {
  return db.query<ChainedRecord>(`SELECT ${columns} FROM access_log WHERE unit_id = $1 AND seq = ANY($2::bigint[]) ORDER BY seq`, [unitId, places]);
}

/** A page of the unit's chain in order, after a place: for the chain's check. */
export async function chainPage(db: Queryable, unitId: string, afterSeq: number, limit: number): Promise<ChainedRecord[]> {
  return db.query<ChainedRecord>(`SELECT ${columns} FROM access_log WHERE unit_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [unitId, afterSeq, limit]);
}

/** Every unit with a chain: records, or an anchor left by a purge. */
export async function chainedUnits(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ unit_id: string }>('SELECT unit_id FROM access_log UNION SELECT unit_id FROM access_log_anchors ORDER BY unit_id');
  return rows.map((r) => r.unit_id);
}

/** The newest record older than the moment: the last one a purge before it removes. */
export async function lastRecordBefore(tx: Queryable, unitId: string, before: string): Promise<Anchor | undefined> {
  const [row] = await tx.query<Anchor>(
    'SELECT seq, hash FROM access_log WHERE unit_id = $1 AND seq = (SELECT max(seq) FROM access_log WHERE unit_id = $1 AND at < $2::timestamptz)',
    [unitId, before],
  );
  return row;
}

/**
 * The purge's own path: removes the unit's records up to `through` (the oldest end of the chain)
 * and leaves the last one's hash as the chain's new anchor. The triggers let the delete through
 * only for this unit and these places, named in this transaction.
 */
export async function purgeThrough(tx: Queryable, unitId: string, through: Anchor, input: { at: string; before: string }): Promise<number> {
  await tx.query("SELECT set_config('arshjul.access_log_purge_unit', $1, true), set_config('arshjul.access_log_purge_through', $2, true)", [unitId, String(through.seq)]);
  const [{ n }] = (await tx.query<{ n: number }>('WITH removed AS (DELETE FROM access_log WHERE unit_id = $1 AND seq <= $2 RETURNING 1) SELECT count(*)::int AS n FROM removed', [unitId, through.seq])) as [{ n: number }];
  await tx.query("SELECT set_config('arshjul.access_log_purge_unit', '', true), set_config('arshjul.access_log_purge_through', '', true)");
  await tx.query('INSERT INTO access_log_anchors (unit_id, seq, hash, purged_at, purged_before) VALUES ($1, $2, $3, $4::timestamptz, $5::timestamptz)', [
    unitId, through.seq, through.hash, input.at, input.before,
  ]);
  return n;
}
