// The repository stands alone: a clone with nothing beside it passes `npm test`. No file of the
// project (tracked, or new and not ignored) names the folder beside the checkout or a path that
// climbs out of it; what the project needs from outside it comes in by npm or the setup step.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const parent = '..';

function projectFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  return out.split('\0').filter((file) => file !== '' && !file.startsWith('node_modules/'));
}

/** The text of a file, or undefined for a binary one (or one deleted in the working tree). */
function textOf(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(root, file), 'utf8');
  } catch {
    return undefined;
  }
  return text.includes('\0') ? undefined : text;
}

/** Where a file mentions a path outside the root: each as "line: what". */
export function pathsOutside(file: string, text: string, checkoutRoot = root): string[] {
  const found: string[] = [];
  const dir = path.join(checkoutRoot, path.dirname(file));
  const within = (target: string) => target === checkoutRoot || target.startsWith(checkoutRoot + path.sep);
  const sibling = path.join(path.dirname(checkoutRoot), 'shared');
  text.split('\n').forEach((line, i) => {
    const at = `${file}:${i + 1}`;
    if (line.includes([parent, 'shared'].join('/'))) found.push(`${at}: the folder beside the checkout`);
    if (line.includes(sibling)) found.push(`${at}: ${sibling}`);
    // A relative path written out ('../x', `../../y`, (../z)), read from the file's own folder.
    for (const match of line.matchAll(/(?:^|['"`(\s=])((?:\.\.\/)+[^'"`)\s,;]*)/g)) {
      if (!within(path.resolve(dir, match[1]!))) found.push(`${at}: ${match[1]}`);
    }
    // path.resolve/join from the file's folder or the root, climbing by '..' arguments.
    for (const match of line.matchAll(/path\.(?:resolve|join)\(\s*(import\.meta\.dirname|__dirname|projectRoot|root)((?:\s*,\s*'[^']*')*)\s*\)/g)) {
      const base = match[1] === 'projectRoot' || match[1] === 'root' ? checkoutRoot : dir;
      const parts = [...match[2]!.matchAll(/'([^']*)'/g)].map((part) => part[1]!);
      if (!within(path.resolve(base, ...parts))) found.push(`${at}: ${match[0]}`);
    }
  });
  return found;
}

describe('a self-contained repository', () => {
  it('has no file that reads or names a path outside the project root', () => {
    const found = projectFiles().flatMap((file) => {
      const text = textOf(file);
      return text === undefined ? [] : pathsOutside(file, text);
    });
    expect(found).toEqual([]);
  });

  it('would find such a path (the check itself)', () => {
    const up = [parent, ''].join('/');
    const fake = '/srv/checkout';
    expect(pathsOutside('test/helpers/x.ts', `const dir = path.resolve(projectRoot, '${parent}', 'shared');`, fake)).not.toEqual([]);
    expect(pathsOutside('test/helpers/x.ts', `const dir = path.resolve(import.meta.dirname, '${up}${up}${up}examples');`, fake)).not.toEqual([]);
    expect(pathsOutside('README.md', `run \`npx arshjul plan --cases ${up}shared/examples/cases.json\``, fake)).not.toEqual([]);
    expect(pathsOutside('docs/domain.md', 'see /srv/shared/domain/arshjul.md', fake)).not.toEqual([]);
    // Inside the root: imports, the root itself, a schema beside the rules.
    expect(pathsOutside('test/helpers/x.ts', `import { a } from '${up}${up}src/a.js';`, fake)).toEqual([]);
    expect(pathsOutside('test/architecture/x.ts', `const root = path.resolve(import.meta.dirname, '${up}..');`, fake)).toEqual([]);
    expect(pathsOutside('rules/handlaggning/x.json', `"$schema": "${up}schema/rule.schema.json"`, fake)).toEqual([]);
  });
});
