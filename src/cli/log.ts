// `arshjul log`: the access log on the command line. Search a unit's records by case, person and
// time (a reading that is itself recorded), check every chain (`log verify`), and make a person the
// unit's log reviewer. Opens the store itself, like `report`.
import { commandLineAddress, recordAccess, searchAccess, verifyAccessLog, viewName } from '../accessLog/log.js';
import { dayBound, logColumns, logCsvRows, logRow, logTime } from '../accessLog/present.js';
import { ConfigError, type Config } from '../platform/config.js';
import { count, csv, csvFile } from '../reports/format.js';
import { setLogReviewer } from '../store/accounts.js';
import { findUnit } from '../store/cases.js';
import { withStore } from '../store/open.js';
import { staffOf } from '../store/staff.js';

const maxRecords = 100_000;

export async function logCommand(config: Config, values: { unit?: string; case?: string; person?: string; from?: string; to?: string; json: boolean; csv: boolean }): Promise<string> {
  if (!values.unit) throw new ConfigError('ange --unit ENHET (och gärna --case, --person, --from, --to)');
  if (values.json && values.csv) throw new ConfigError('ange --json eller --csv, inte båda');
  const unitId = values.unit;
  const search = { unitId, caseId: values.case || undefined, staffId: values.person || undefined, from: dayBound(values.from, false), to: dayBound(values.to, true), limit: maxRecords };
  return withStore(config, async (db) => {
    if (!(await findUnit(db, unitId))) throw new ConfigError(`enheten ${unitId} finns inte`);
    // On record before anything is read.
    const query = [['ärende', values.case], ['person', values.person], ['från', values.from], ['till', values.to]].filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join('; ');
    await recordAccess(db, { unitId, staffId: null, view: 'log-cli', caseIds: [search.caseId], query, address: commandLineAddress(), at: new Date() });
    const { records, total } = await searchAccess(db, search);
    const names = new Map((await staffOf(db, unitId)).map((s) => [s.id, s.name]));
    if (values.json) return JSON.stringify(records.map((r) => ({ ...r, viewName: viewName(r.view) })), null, 2);
    if (values.csv) return csvFile(csv(logCsvRows(records, names))).trimEnd();
    const rows = [[...logColumns], ...records.map((r) => logRow(r, names))];
    const widths = logColumns.map((_, i) => Math.min(40, Math.max(...rows.map((row) => row[i]!.length))));
    const lines = rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
    return [...lines, `${total === 1 ? '1 post' : `${count(total)} poster`}${total > records.length ? ` (de ${count(records.length)} senaste visas)` : ''}, senaste först.`].join('\n');
  });
}

export async function logVerifyCommand(config: Config, values: { unit?: string }): Promise<{ report: string; exitCode: number }> {
  return withStore(config, async (db) => {
    const verdicts = await verifyAccessLog(db, values.unit);
    if (verdicts.length === 0) return { report: 'Åtkomstloggen har inga poster ännu.', exitCode: 0 };
    const lines = verdicts.map((v) => {
      if (!v.ok) {
        return `FEL: ${v.unitId}: kedjan bryts vid post nr ${v.broken.seq} (${logTime(v.broken.at)}): ${v.broken.reason}. ${v.count === 1 ? '1 post' : `${count(v.count)} poster`} före den stämmer.`;
      }
      if (v.count === 0) return `OK: ${v.unitId}: inga poster efter gallringen (nr ${v.from - 1} och tidigare är gallrade).`;
      // The head's place and hash: noted somewhere else, they show later whether records were removed from the end.
      return `OK: ${v.unitId}: ${v.count === 1 ? '1 post' : `${count(v.count)} poster`}, nr ${v.from}–${v.head.seq}, hela kedjan stämmer; senaste hash ${v.head.hash}`;
    });
    return { report: lines.join('\n'), exitCode: verdicts.every((v) => v.ok) ? 0 : 1 };
  });
}

export async function logReviewerCommand(config: Config, values: { unit?: string; staff?: string; off: boolean }): Promise<string> {
  if (!values.unit || !values.staff) throw new ConfigError('ange --unit ENHET --staff ID [--off]');
  return withStore(config, async (db) => {
    if (!(await setLogReviewer(db, values.unit!, values.staff!, !values.off))) throw new ConfigError(`${values.staff} finns inte i enheten ${values.unit}`);
    return values.off
      ? `${values.staff} granskar inte längre åtkomstloggen för ${values.unit}.`
      : `${values.staff} granskar åtkomstloggen för ${values.unit}: Åtkomstlogg finns i menyn från nästa sida hen öppnar.`;
  });
}
