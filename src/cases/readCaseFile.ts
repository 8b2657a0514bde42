// Reads a case file (version 1). Checks the shape the planner relies on and reports every
// problem with its place; the full import validation (personnummer, staff references) is the store's.
import { readFile } from 'node:fs/promises';
import type { CaseFile } from './caseFile.js';

export class CaseFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} fel i ärendefilen:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

const isoDate = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function checkCaseFile(data: unknown): string[] {
  const problems: string[] = [];
  const file = data as Partial<CaseFile> | null;
  if (typeof file !== 'object' || file === null) return ['filen ska vara ett JSON-objekt'];
  if (file.version !== 1) problems.push(`version: ${JSON.stringify(file.version)} stöds inte, ska vara 1`);
  if (typeof file.unit?.id !== 'string') problems.push('unit.id saknas');
  if (!Array.isArray(file.staff)) problems.push('staff ska vara en lista');
  if (!Array.isArray(file.cases)) return [...problems, 'cases ska vara en lista'];
  file.cases.forEach((c, i) => {
    const at = `cases[${i}]${typeof c?.caseId === 'string' ? ` (${c.caseId})` : ''}`;
    if (typeof c?.caseId !== 'string' || c.caseId === '') problems.push(`${at}.caseId saknas`);
    if (!isoDate.test(String(c?.openedOn))) problems.push(`${at}.openedOn: ${JSON.stringify(c?.openedOn)} är inget datum ÅÅÅÅ-MM-DD`);
    if (c?.closedOn != null && !isoDate.test(String(c.closedOn))) problems.push(`${at}.closedOn: ${JSON.stringify(c.closedOn)} är inget datum ÅÅÅÅ-MM-DD`);
    if (!Array.isArray(c?.members)) problems.push(`${at}.members ska vara en lista`);
    else
      c.members.forEach((m, j) => {
        if (!isoDate.test(String(m?.birthDate))) problems.push(`${at}.members[${j}].birthDate: ${JSON.stringify(m?.birthDate)} är inget datum ÅÅÅÅ-MM-DD`);
      });
  });
  return problems;
}

export async function readCaseFile(file: string): Promise<CaseFile> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CaseFileError(file, [(error as Error).message]);
  }
  const problems = checkCaseFile(data);
  if (problems.length > 0) throw new CaseFileError(file, problems);
  return data as CaseFile;
}
