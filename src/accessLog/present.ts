// The access log as people read it: the same columns on the page, in the CSV and on the command
// line, in Swedish, times on Stockholm's clock to the second.
import { DateTime } from 'luxon';
import { zone } from '../calendar/businessDays.js';
import { ConfigError } from '../platform/config.js';
import type { ChainedRecord } from './chain.js';
import { isCommandLine, viewName } from './log.js';

/** Who did it: the person by name and id; where nobody signed in, what did. */
export function actorOf(record: Pick<ChainedRecord, 'staffId' | 'view'>, names: Map<string, string>): string {
  if (record.staffId !== null) {
    const name = names.get(record.staffId);
    return name ? `${name} (${record.staffId})` : record.staffId;
  }
  if (record.view === 'purge') return 'Årshjul (gallringen)';
  if (isCommandLine(record.view)) return 'Kommandoraden';
  if (record.view === 'sign-in-failed') return 'Okänt användar-id';
  return '–';
}

/** "2027-05-03 10:04:17", Stockholm time. */
export const logTime = (at: string): string => DateTime.fromISO(at, { zone }).toFormat('yyyy-MM-dd HH:mm:ss');

export const logColumns = ['Nr', 'Tid', 'Person', 'Vy', 'Ärenden', 'Sökning eller urval', 'Session', 'Adress'] as const;

/** One record as the columns above. */
export function logRow(record: ChainedRecord, names: Map<string, string>): string[] {
  return [String(record.seq), logTime(record.at), actorOf(record, names), viewName(record.view), record.caseIds.join(', '), record.query, record.session ?? '', record.address ?? ''];
}

/** The CSV's rows: the columns, and the hashes, so the chain can be checked outside Årshjul too. */
export function logCsvRows(records: ChainedRecord[], names: Map<string, string>): string[][] {
  return [[...logColumns, 'Föregående hash', 'Hash'].map((c) => c.toLowerCase()), ...records.map((r) => [...logRow(r, names), r.prevHash, r.hash])];
}

/** A day (YYYY-MM-DD) as the first moment of it in Stockholm, or of the next day (`end`), for a search from and to. */
export function dayBound(day: string | undefined, end: boolean): string | undefined {
  if (!day) return undefined;
  const date = DateTime.fromISO(day, { zone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !date.isValid) throw new ConfigError(`${day} är inget datum: skriv ÅÅÅÅ-MM-DD`);
  return (end ? date.plus({ days: 1 }) : date).startOf('day').toUTC().toISO();
}
