// Finds personnummer in bytes: every YYYYMMDD-NNNN or YYYYMMDDNNNN in them that is one of the
// numbers looked for. One pass over each file, whatever the number of numbers.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export function numbersIn(bytes: Buffer | string, numbers: ReadonlySet<string>): string[] {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  const found = new Set<string>();
  for (const [match] of text.matchAll(/\d{8}-?\d{4}/g)) {
    const number = match.length === 12 ? `${match.slice(0, 8)}-${match.slice(8)}` : match;
    if (numbers.has(number)) found.add(number);
  }
  return [...found];
}

/** Every file under dir, with the numbers found in it. */
export async function numbersInFolder(dir: string, numbers: ReadonlySet<string>): Promise<{ file: string; found: string[] }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const hits = [];
  for (const entry of entries.filter((e) => e.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    const found = numbersIn(await readFile(file), numbers);
    if (found.length) hits.push({ file: path.relative(dir, file), found });
  }
  return hits;
}

/** The files under dir that hold text (a control: the search sees what was written). */
export async function filesHolding(dir: string, text: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = [];
  for (const entry of entries.filter((e) => e.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    if ((await readFile(file)).includes(text)) files.push(path.relative(dir, file));
  }
  return files;
}
