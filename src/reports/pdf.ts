// PDF by a real renderer: the report's HTML printed by headless Chromium (Debian's package, or the
// program ARSHJUL_CHROMIUM names), in a throwaway profile.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class ChromiumMissingError extends Error {
  constructor() {
    super('Chromium saknas, så rapporten sparas utan PDF: installera Debians paket chromium (apt-get install chromium) eller peka ut programmet med ARSHJUL_CHROMIUM');
  }
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.ARSHJUL_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((c): c is string => Boolean(c) && existsSync(c!));
}

export async function htmlToPdf(html: string, chromium = findChromium()): Promise<Buffer> {
  if (!chromium) throw new ChromiumMissingError();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-pdf-'));
  try {
    const [input, output] = [path.join(dir, 'rapport.html'), path.join(dir, 'rapport.pdf')];
    await writeFile(input, html);
    await run(
      chromium,
      [
        '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions', '--no-pdf-header-footer',
        `--user-data-dir=${path.join(dir, 'profile')}`, `--print-to-pdf=${output}`, `file://${input}`,
      ],
      { timeout: 120_000 },
    );
    return await readFile(output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
