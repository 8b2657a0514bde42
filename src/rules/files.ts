// Reads a rule pack from a folder or from a git revision: the I/O around the pure loader.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadRulePack, formatError, type RulePack, type SourceFile } from './load.js';

const run = promisify(execFile);

/** Folders of the rules directory that hold other kinds of files than rules. */
const notRules = new Set(['schema']);

export async function readRuleFiles(dir: string): Promise<SourceFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => !notRules.has(path.relative(dir, file).split(path.sep)[0]!));
  return Promise.all(files.map(async (file) => ({ path: path.relative(process.cwd(), file), text: await readFile(file, 'utf8') })));
}

/** The rule files of `dir` as they were at a git revision. */
export async function readRuleFilesAt(revision: string, dir: string): Promise<SourceFile[]> {
  const { stdout: top } = await run('git', ['rev-parse', '--show-toplevel'], { cwd: dir });
  const root = top.trim();
  const prefix = path.relative(root, path.resolve(dir));
  const { stdout } = await run('git', ['ls-tree', '-r', '--name-only', revision, '--', prefix], { cwd: root });
  const names = stdout.split('\n').filter((name) => name.endsWith('.json') && !notRules.has(path.relative(prefix, name).split('/')[0]!));
  return Promise.all(
    names.map(async (name) => ({
      path: `${revision}:${name}`,
      text: (await run('git', ['show', `${revision}:${name}`], { cwd: root, maxBuffer: 16 << 20 })).stdout,
    })),
  );
}

export class RulePackError extends Error {
  constructor(readonly errors: string[]) {
    super(`Regelpaketet har ${errors.length} fel:\n${errors.join('\n')}`);
  }
}

/** Loads a pack that must be valid; otherwise throws every error, formatted. */
export async function readRulePack(dir: string): Promise<RulePack> {
  const { pack, errors } = loadRulePack(await readRuleFiles(dir));
  if (errors.length > 0) throw new RulePackError(errors.map(formatError));
  return pack;
}
