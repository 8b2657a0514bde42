// `arshjul import cases FILE`: validate everything, then write everything in one transaction, or nothing.
import { createHash } from 'node:crypto';
import os from 'node:os';
import { today } from '../calendar/businessDays.js';
import { CaseFileError, parseCaseCsv, parseCaseJson, readCaseFileBytes } from '../cases/readCaseFile.js';
import { isDate } from '../cases/validate.js';
import type { Config } from '../platform/config.js';
import { ConfigError } from '../platform/config.js';
import { importCaseFile, readCaseFileFromStore, unitIds, type ImportCounts } from '../store/cases.js';
import type { Db } from '../store/db.js';
import { withStore } from '../store/open.js';
import { reconcileUnits } from '../platform/schedules.js';
import { withClient } from './client.js';

export interface ImportArgs {
  file: string;
  full: boolean;
  date?: string;
  by?: string;
  unit?: string;
}

export async function importFile(db: Db, args: ImportArgs): Promise<ImportCounts> {
  const exportDate = args.date ?? today();
  if (!isDate(exportDate)) throw new ConfigError(`--date ska vara ett datum ÅÅÅÅ-MM-DD, fick ${JSON.stringify(args.date)}`);
  const bytes = await readCaseFileBytes(args.file);
  const text = bytes.toString('utf8');
  let parsed;
  if (args.file.toLowerCase().endsWith('.csv')) {
    const unitId = args.unit ?? (await singleUnit(db));
    const { unit, staff } = await readCaseFileFromStore(db, unitId);
    parsed = parseCaseCsv(args.file, text, unit, staff);
  } else {
    parsed = parseCaseJson(args.file, text);
  }
  if (!parsed.caseFile) throw new CaseFileError(parsed.errors);
  return importCaseFile(db, parsed.caseFile, {
    fileName: args.file,
    fileHash: createHash('sha256').update(bytes).digest('hex'),
    importedBy: args.by ?? os.userInfo().username,
    full: args.full,
    exportDate,
  });
}

/** The unit when the store has exactly one; otherwise ask for --unit. */
export async function singleUnit(db: Db): Promise<string> {
  const units = await unitIds(db);
  if (units.length === 1) return units[0]!;
  throw new ConfigError(units.length === 0 ? 'databasen har ingen enhet än: importera en ärendefil (JSON) först' : `ange --unit, en av: ${units.join(', ')}`);
}

export function formatCounts(counts: ImportCounts): string {
  return [
    `nya ärenden ${counts.added}, ändrade ${counts.changed}, oförändrade ${counts.unchanged}`,
    `avslutade av fullständig export ${counts.closedByFullExport}, makulerade uppgifter ${counts.cancelledTasks}, personal ${counts.staff}`,
  ].join('\n');
}

export async function importCommand(config: Config, args: ImportArgs): Promise<string> {
  const { counts, added } = await withStore(config, async (db) => {
    const before = new Set(await unitIds(db));
    const counts = await importFile(db, args);
    return { counts, added: (await unitIds(db)).filter((unit) => !before.has(unit)) };
  });
  const lines = [`Importerat ${args.file}${args.full ? ' (fullständig export)' : ''}:`, formatCounts(counts)];
  if (added.length > 0 && !config.temporalAddress) {
    // The embedded store is one process's: Årshjul is not running, and schedules the unit when it starts.
    lines.push(`Ny enhet ${added.join(', ')}: schemaläggs när Årshjul startar.`);
  } else if (added.length > 0) {
    // A new unit is swept from tomorrow morning: its schedules and yearly workflows now, not at the next restart.
    try {
      await withClient(config, (client) => reconcileUnits(client, config.taskQueue, added));
      lines.push(`Ny enhet ${added.join(', ')}: svep, utskick, internkontroll och rapporter är schemalagda i Temporal.`);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      lines.push(`Ny enhet ${added.join(', ')}: schemaläggs när Årshjul (eller en worker) startar nästa gång; Temporal svarar inte nu.`);
    }
  }
  return lines.join('\n');
}
