// The access log: who saw which cases, when, in which view, from which session and address. Each
// record is appended to its unit's hash chain under a lock, so records follow one another without
// gaps whatever the number of web processes; the retention purge removes the oldest end and leaves
// the last removed record's hash as the chain's anchor; the check walks the chain from it.
// Case ids are under secrecy here as everywhere: they go to the store, never to a log line, a mail
// or Temporal (the purge's activity carries a unit and a day, and gives back a count).
import os from 'node:os';
import { DateTime } from 'luxon';
import { ChainCheck, chain, genesis, normalCaseIds, type Broken, type ChainedRecord } from './chain.js';
import { chainHead, chainPage, chainedUnits, insertAccessRecord, latestAnchor, lastRecordBefore, lockChain, purgeThrough, searchAccessLog, type AccessSearch } from '../store/accessLog.js';
import type { Db } from '../store/db.js';

/** The views a record names, by id; their Swedish names are what people read. */
export const views = {
  'task': 'Uppgift',
  'inbox': 'Inkorgen',
  'inbox-confirm': 'Inkorgen: bekräfta klarmarkering',
  'working-view': 'Uppgifter (arbetsvyn)',
  'api-tasks': 'API: uppgifter',
  'api-task': 'API: en uppgift',
  'review': 'Granskning i internkontrollen',
  'log-review': 'Loggkontroll: granskning av en post',
  'overview-csv': 'Årshjulet som CSV',
  'report': 'Rapport',
  'ik-report': 'Internkontrollens rapport',
  'calendar-feed': 'Kalenderflöde',
  'sign-in': 'Inloggning',
  'sign-in-failed': 'Misslyckad inloggning',
  'log': 'Åtkomstloggen',
  'log-csv': 'Åtkomstloggen som CSV',
  'log-cli': 'Åtkomstloggen på kommandoraden',
  'purge': 'Gallring av åtkomstloggen',
  'tasks-cli': 'Uppgifter på kommandoraden',
  'plan-cli': 'Planen ur databasen på kommandoraden',
  'sample-cli': 'Stickprov på kommandoraden',
} as const;
export type View = keyof typeof views;

export const viewName = (view: string): string => (Object.hasOwn(views, view) ? views[view as View] : view);

export interface Access {
  unitId: string;
  /** The person; null where nobody signed in (a failed sign-in naming nobody, the purge, the command line). */
  staffId: string | null;
  view: View;
  /** The cases the answer showed. */
  caseIds?: Iterable<string | null | undefined>;
  /** The search or selection that named them. */
  query?: string;
  session?: string | null;
  address?: string | null;
  at: Date;
}

/** Whether a view is one of the command line's, where nobody signs in. */
export const isCommandLine = (view: string): boolean => view.endsWith('-cli');

/** Who read from the command line: the machine's account, since nobody signs in there. */
export const commandLineAddress = (): string => `kommandorad: ${os.userInfo().username}@${os.hostname()}`;

/** Appends one record to the unit's chain; the answer that showed the cases goes out only after it. */
export async function recordAccess(db: Db, access: Access): Promise<ChainedRecord> {
  return (await recordAccesses(db, access.unitId, [access]))[0]!;
}

/** Appends records to one unit's chain in the order given, under one lock and in one transaction. */
export async function recordAccesses(db: Db, unitId: string, accesses: Omit<Access, 'unitId'>[]): Promise<ChainedRecord[]> {
  return db.transaction(async (tx) => {
    await lockChain(tx, unitId);
    let head = (await chainHead(tx, unitId)) ?? genesis;
    const records: ChainedRecord[] = [];
    for (const access of accesses) {
      const record = chain(head, {
        unitId, at: access.at.toISOString(), staffId: access.staffId, view: access.view,
        caseIds: normalCaseIds(access.caseIds ?? []), query: access.query ?? '', session: access.session ?? null, address: access.address ?? null,
      });
      await insertAccessRecord(tx, record);
      records.push(record);
      head = record;
    }
    return records;
  });
}

export type { AccessSearch };

/** The unit's records by case, person and time, newest first, with how many match. */
export const searchAccess = searchAccessLog;

/** Retention: five years unless the installation says otherwise (`ARSHJUL_ACCESS_LOG_RETENTION_YEARS`). */
export const defaultRetentionYears = 5;

/** The first moment a purge on the day keeps: midnight in Stockholm, `years` years before the day. */
export function retentionCutoff(date: string, years: number): string {
  return DateTime.fromISO(date, { zone: 'Europe/Stockholm' }).startOf('day').minus({ years }).toUTC().toISO()!;
}

/**
 * Removes the unit's records older than the retention, in one transaction: the records, the new
 * anchor (the last removed record's place and hash) and a record of the purge itself. Nothing to
 * remove: nothing written.
 */
export async function purgeAccessLog(db: Db, input: { unitId: string; date: string; retentionYears: number; now: Date }): Promise<number> {
  const before = retentionCutoff(input.date, input.retentionYears);
  return db.transaction(async (tx) => {
    await lockChain(tx, input.unitId);
    const last = await lastRecordBefore(tx, input.unitId, before);
    if (!last) return 0;
    const removed = await purgeThrough(tx, input.unitId, last, { at: input.now.toISOString(), before });
    const head = (await chainHead(tx, input.unitId)) ?? last;
    await insertAccessRecord(tx, chain(head, {
      unitId: input.unitId, at: input.now.toISOString(), staffId: null, view: 'purge', caseIds: [],
      query: `${removed} ${removed === 1 ? 'post' : 'poster'} äldre än ${DateTime.fromISO(before).setZone('Europe/Stockholm').toISODate()} (${input.retentionYears} år), till och med nr ${last.seq}`,
      session: null, address: null,
    }));
    return removed;
  });
}

export type ChainVerdict = { unitId: string; ok: true; count: number; from: number; head: { seq: number; hash: string } } | { unitId: string; ok: false; count: number; broken: Broken };

/** Checks a unit's chain from its anchor, a page at a time; the first broken record is named. */
export async function verifyUnitChain(db: Db, unitId: string, pageSize = 5000): Promise<ChainVerdict> {
  const anchor = (await latestAnchor(db, unitId)) ?? genesis;
  const check = new ChainCheck(anchor);
  // From the start of the table, not the anchor: a record put in before the anchor shows as out of place.
  for (let after = 0; ;) {
    const page = await chainPage(db, unitId, after, pageSize);
    const broken = check.add(page);
    if (broken) return { unitId, ok: false, count: check.count, broken };
    if (page.length < pageSize) break;
    after = page.at(-1)!.seq;
  }
  return { unitId, ok: true, count: check.count, from: anchor.seq + 1, head: check.last };
}

/** Every unit's chain, or the one named. */
export async function verifyAccessLog(db: Db, unitId?: string): Promise<ChainVerdict[]> {
  const units = unitId ? [unitId] : await chainedUnits(db);
  const verdicts: ChainVerdict[] = [];
  for (const unit of units) verdicts.push(await verifyUnitChain(db, unit));
  return verdicts;
}
