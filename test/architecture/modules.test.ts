// Where things live: SQL only in the store's repositories, and no import cycles anywhere in the
// product's code (type-only imports count too: they tie modules together for the reader all the same).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const folders = ['src', 'activities', 'workflows', 'worker'];

async function sourceFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const folder of folders) {
    for (const entry of await readdir(path.join(root, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && /\.(ts|js|sql)$/.test(entry.name)) files.push(path.relative(root, path.join(entry.parentPath, entry.name)));
    }
  }
  return files.sort();
}

/** The project files a module imports (or re-exports from), resolved from their `.js` specifiers. */
function importsOf(file: string, text: string, known: Set<string>): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.join(path.dirname(file), name))
    .flatMap((target) => [target, target.replace(/\.js$/, '.ts')].filter((candidate) => known.has(candidate)).slice(0, 1));
}

/** Strongly connected components of more than one module, or a module importing itself: Tarjan's algorithm. */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indices.get(next)!));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

describe('the modules', () => {
  it('find a cycle when there is one (the check itself)', () => {
    const graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']], ['e', ['e']]]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c'], ['e']]);
    expect(cycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('import one another without a cycle', async () => {
    const files = (await sourceFiles()).filter((f) => /\.(ts|js)$/.test(f));
    const known = new Set(files);
    const graph = new Map<string, string[]>();
    for (const file of files) graph.set(file, importsOf(file, await readFile(path.join(root, file), 'utf8'), known));
    expect([...graph.values()].flat().length).toBeGreaterThan(files.length);
    expect(cycles(graph)).toEqual([]);
  });

  it('keep their SQL in the store: only src/store/ holds queries', async () => {
    const withSql: string[] = [];
    for (const file of await sourceFiles()) {
      if (/\b(SELECT|INSERT|UPDATE|DELETE)\b/.test(await readFile(path.join(root, file), 'utf8'))) withSql.push(file);
    }
    expect(withSql.length).toBeGreaterThan(5);
    expect(withSql.filter((file) => !file.startsWith('src/store/'))).toEqual([]);
  });
});
