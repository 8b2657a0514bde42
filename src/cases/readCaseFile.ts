// Reads a case file, JSON (version 1) or CSV, and reports every problem with its file, line,
// record and field. Nothing is written anywhere: the caller decides what to do with a valid file.
import { readFile, stat } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { jsonPath, lineAt, Locator, type Segment } from '../json/locate.js';
import type { Case, CaseFile, Member, Staff, Unit } from './caseFile.js';
import { caseFileProblems } from './validate.js';

export interface CaseError {
  file: string;
  line: number;
  /** The case the problem is in, when there is one. */
  record: string | undefined;
  field: string;
  message: string;
}

export function formatCaseError(error: CaseError): string {
  return `${error.file}:${error.line}${error.record ? ` ärende ${error.record}` : ''} ${error.field}: ${error.message}`;
}

export class CaseFileError extends Error {
  constructor(readonly errors: CaseError[]) {
    super(`${errors.length} fel i ärendefilen; ingenting har skrivits:\n${errors.map(formatCaseError).join('\n')}`);
  }
}

export interface Parsed {
  caseFile: CaseFile | undefined;
  errors: CaseError[];
}

function recordOf(data: unknown, segments: Segment[]): string | undefined {
  if (segments[0] !== 'cases' || typeof segments[1] !== 'number') return undefined;
  const id = (data as { cases: { caseId?: unknown }[] }).cases[segments[1]]?.caseId;
  return typeof id === 'string' ? id : undefined;
}

export function parseCaseJson(file: string, text: string): Parsed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    const parseErrors: ParseError[] = [];
    parseTree(text, parseErrors, { disallowComments: true, allowTrailingComma: false });
    const first = parseErrors[0];
    const line = lineAt(text, first?.offset ?? 0);
    return { caseFile: undefined, errors: [{ file, line, record: undefined, field: '$', message: `ogiltig JSON (${first ? printParseErrorCode(first.error) : 'kan inte läsas'})` }] };
  }
  const problems = caseFileProblems(data);
  if (problems.length === 0) return { caseFile: data as CaseFile, errors: [] };
  const locator = new Locator(file, text);
  return {
    caseFile: undefined,
    errors: problems.map(({ segments, message }) => ({
      file,
      line: locator.error(segments, message).line,
      record: recordOf(data, segments),
      field: jsonPath(segments),
      message,
    })),
  };
}

/** The CSV form: one row per household member; the case columns repeat on each of its rows. */
export const csvColumns = [
  'caseId', 'openedOn', 'closedOn', 'socialsekreterare', 'bidragshandlaggare', 'incomes', 'fSkatt', 'kosttillskott',
  'passportCheck', 'workPlanEstablishedOn', 'unemployedSince', 'personId', 'role', 'birthDate', 'schoolType', 'expectedGraduation',
] as const;
/** Columns added later: a file without them stays valid. */
export const optionalCsvColumns = ['homeless', 'assistanceMonths', 'activityPlanEstablishedOn'] as const;
type CsvRow = Record<(typeof csvColumns)[number], string> & Partial<Record<(typeof optionalCsvColumns)[number], string>>;

const csvBoolean: Record<string, boolean> = { '': false, ja: true, nej: false, true: true, false: false, '1': true, '0': false };

/** Parses the CSV form into a case file for the given unit and staff (the store's). */
export function parseCaseCsv(file: string, text: string, unit: Unit, staff: Staff[]): Parsed {
  const errors: CaseError[] = [];
  // Comma-separated, or semicolons as Swedish Excel saves it: the header line says which. Lists in a
  // cell (incomes, assistanceMonths) are then separated by the other character.
  const headerLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!;
  const delimiter = headerLine.includes(';') && !headerLine.includes(',') ? ';' : ',';
  const list = (cell: string) => cell.split(delimiter === ';' ? ',' : ';').map((s) => s.trim()).filter(Boolean);
  let records: { record: CsvRow; info: { lines: number } }[];
  try {
    records = parseCsv<{ record: CsvRow; info: { lines: number } }>(text, { columns: true, info: true, skip_empty_lines: true, trim: true, bom: true, delimiter });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { caseFile: undefined, errors: [{ file, line, record: undefined, field: '', message: `ogiltig CSV: ${(error as Error).message}` }] };
  }
  const header = headerLine.split(delimiter).map((c) => c.trim());
  const missing = csvColumns.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    return { caseFile: undefined, errors: [{ file, line: 1, record: undefined, field: missing.join(', '), message: `kolumner saknas; rubrikraden ska vara: ${csvColumns.join(',')} (och valfritt ${optionalCsvColumns.join(',')})` }] };
  }
  const cases: Case[] = [];
  const byId = new Map<string, Case>();
  // Where each case and member came from, to put the validator's findings on their line.
  const caseLine: number[] = [];
  const memberLine: number[][] = [];
  const flag = (value: string, line: number, field: string, caseId: string) => {
    if (!(value.toLowerCase() in csvBoolean)) errors.push({ file, line, record: caseId, field, message: `"${value}" ska vara ja eller nej` });
    return csvBoolean[value.toLowerCase()] ?? false;
  };
  for (const { record: row, info } of records) {
    const line = info.lines;
    let c = byId.get(row.caseId);
    if (!c) {
      c = {
        caseId: row.caseId,
        openedOn: row.openedOn,
        closedOn: row.closedOn || null,
        socialsekreterare: row.socialsekreterare,
        bidragshandlaggare: row.bidragshandlaggare,
        members: [],
        incomes: list(row.incomes),
        flags: {
          fSkatt: flag(row.fSkatt, line, 'fSkatt', row.caseId),
          kosttillskott: flag(row.kosttillskott, line, 'kosttillskott', row.caseId),
          passportCheck: flag(row.passportCheck, line, 'passportCheck', row.caseId),
          ...(row.homeless !== undefined ? { homeless: flag(row.homeless, line, 'homeless', row.caseId) } : {}),
        },
        ...(row.assistanceMonths ? { assistanceMonths: list(row.assistanceMonths) } : {}),
        ...(row.workPlanEstablishedOn ? { workPlan: { establishedOn: row.workPlanEstablishedOn } } : {}),
        unemployedSince: row.unemployedSince || null,
        ...(row.activityPlanEstablishedOn ? { activityPlan: { establishedOn: row.activityPlanEstablishedOn } } : {}),
      };
      byId.set(row.caseId, c);
      caseLine.push(line);
      memberLine.push([]);
      cases.push(c);
    } else if (c.openedOn !== row.openedOn || (c.closedOn ?? '') !== row.closedOn || c.socialsekreterare !== row.socialsekreterare || c.bidragshandlaggare !== row.bidragshandlaggare) {
      errors.push({ file, line, record: row.caseId, field: 'caseId', message: `raden säger annat om ärendet än rad ${caseLine[cases.indexOf(c)]}: ärendets kolumner ska vara lika på alla dess rader` });
    }
    const member: Member = { personId: row.personId, role: row.role as Member['role'], birthDate: row.birthDate };
    if (row.schoolType) member.school = { type: row.schoolType, expectedGraduation: row.expectedGraduation || null };
    c.members.push(member);
    memberLine[cases.indexOf(c)]!.push(line);
  }
  const caseFile: CaseFile = { version: 1, unit, staff, cases };
  for (const { segments, message } of caseFileProblems(caseFile)) {
    const [, i, part, j, field] = segments as [string, number, string?, number?, string?];
    const line = part === 'members' && typeof j === 'number' ? memberLine[i]![j]! : (caseLine[i] ?? 1);
    const column = part === 'members' ? (field === 'school' ? 'schoolType' : (field ?? 'personId')) : part === 'workPlan' ? 'workPlanEstablishedOn' : part === 'activityPlan' ? 'activityPlanEstablishedOn' : (part ?? 'caseId');
    errors.push({ file, line, record: cases[i]?.caseId, field: column, message });
  }
  errors.sort((a, b) => a.line - b.line);
  return errors.length > 0 ? { caseFile: undefined, errors } : { caseFile, errors };
}

/** The largest case file read: a city's biggest unit exports a few tens of megabytes. */
export const maxCaseFileBytes = 100 * 1024 * 1024;

/** A case file's bytes, refused with a clear message when it is missing or larger than any export. */
export async function readCaseFileBytes(file: string, maxBytes = maxCaseFileBytes): Promise<Buffer> {
  const size = await stat(file).then((s) => s.size, (error: NodeJS.ErrnoException) => {
    throw new CaseFileError([{ file, line: 1, record: undefined, field: 'filen', message: error.code === 'ENOENT' ? 'filen finns inte: kontrollera sökvägen' : `filen kan inte läsas (${error.code ?? 'okänt fel'})` }]);
  });
  if (size > maxBytes) {
    const mb = (bytes: number) => `${Math.ceil(bytes / 1024 / 1024)} MB`;
    throw new CaseFileError([{ file, line: 1, record: undefined, field: 'filen', message: `filen är ${mb(size)}; störst tillåtet är ${mb(maxBytes)}: exportera en enhet i taget` }]);
  }
  return readFile(file);
}

/** A JSON case file that must be valid, for commands that only read it (plan, why, diff). */
export async function readCaseFile(file: string): Promise<CaseFile> {
  const { caseFile, errors } = parseCaseJson(file, (await readCaseFileBytes(file)).toString('utf8'));
  if (!caseFile) throw new CaseFileError(errors);
  return caseFile;
}
