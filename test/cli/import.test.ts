// `arshjul import cases`, `plan` from the store and `demo`, as an admin runs them on the embedded store.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/platform/paths.js';
import { openEmbedded } from '../../src/store/db.js';
import { exampleCasesPath } from '../helpers/fixtures.js';

const run = promisify(execFile);

describe('arshjul import and plan from the store', () => {
  it('imports twice, keeps one copy, and plans from the store as from the file', async () => {
    const env = { ...process.env, ARSHJUL_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'arshjul-cli-')), DATABASE_URL: '' };
    const arshjul = async (...args: string[]) => (await run('npx', ['arshjul', ...args], { cwd: projectRoot, env })).stdout;
    expect(await arshjul('import', 'cases', exampleCasesPath)).toContain('nya ärenden 4, ändrade 0, oförändrade 0');
    expect(await arshjul('import', 'cases', exampleCasesPath)).toContain('nya ärenden 0, ändrade 0, oförändrade 4');
    const fromStore = await arshjul('plan', '--from', '2027-01', '--to', '2027-12', '--json');
    const fromFile = await arshjul('plan', '--cases', exampleCasesPath, '--from', '2027-01', '--to', '2027-12', '--json');
    // The 47 case tasks of expected-2027-revised.md; the rest are unit tasks of the two cycles.
    expect((JSON.parse(fromStore) as { caseId: string | null }[]).filter((t) => t.caseId !== null)).toHaveLength(47);
    expect(fromStore).toBe(fromFile);
  });

  it('loads a demo unit of the asked size, with valid data', async () => {
    const env = { ...process.env, ARSHJUL_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'arshjul-demo-')), DATABASE_URL: '' };
    const { stdout } = await run('npx', ['arshjul', 'demo', '--households', '120'], { cwd: projectRoot, env });
    expect(stdout).toContain('nya ärenden 120');
    const plan = JSON.parse((await run('npx', ['arshjul', 'plan', '--unit', 'demo-eb', '--from', '2027-01', '--json'], { cwd: projectRoot, env })).stdout) as unknown[];
    expect(plan.length).toBeGreaterThan(100);
  });

  it('refuses, saying who holds it, when another process has the embedded store open', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-busy-'));
    const held = await openEmbedded(path.join(dataDir, 'store'));
    try {
      const failure = (await run('npx', ['arshjul', 'import', 'cases', exampleCasesPath], { cwd: projectRoot, env: { ...process.env, ARSHJUL_DATA_DIR: dataDir, DATABASE_URL: '' } }).catch((e: unknown) => e)) as { code: number; stderr: string };
      expect(failure.code).toBe(1);
      expect(failure.stderr).toContain(`används av en annan Årshjul-process (pid ${process.pid}`);
    } finally {
      await held.close();
    }
  });
});
