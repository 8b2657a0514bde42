// Import benchmark: 20,000 synthetic cases into each engine, records per second and peak memory.
// Each engine runs in a process of its own, so its peak RSS is its own.
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticUnit } from '../src/cases/synthetic.js';
import { caseFileProblems } from '../src/cases/validate.js';
import { importCaseFile } from '../src/store/cases.js';
import { openEmbedded, openPostgres, type Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { freePort } from '../test/helpers/ports.js';
import { startPostgres } from '../test/helpers/postgres.js';

const households = 20_000;

async function measure(name: string, db: Db): Promise<void> {
  await migrate(db);
  const unit = syntheticUnit({ households, seed: 2 });
  const options = { fileName: 'bench', fileHash: 'bench', importedBy: 'bench', full: true, exportDate: '2027-01-15' };
  const start = performance.now();
  // What `arshjul import` does: validate everything, then write in one transaction.
  const problems = caseFileProblems(unit).length;
  await importCaseFile(db, unit, options);
  const seconds = (performance.now() - start) / 1000;
  const again = performance.now();
  const counts = await importCaseFile(db, unit, options);
  const reimport = (performance.now() - again) / 1000;
  await db.close();
  console.log(
    `  ${name.padEnd(11)} ${Math.round(households / seconds).toLocaleString('en-US')} cases/s (${seconds.toFixed(2)} s, ${problems} problems), ` +
      `re-import ${reimport.toFixed(2)} s (${counts.unchanged} unchanged), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  );
}

export function importBenchmark(): boolean {
  console.log('Import: 20 000 ärenden, validering och skrivning i en transaktion (en process per motor)');
  const self = fileURLToPath(import.meta.url);
  for (const engine of ['embedded', 'postgresql']) {
    process.stdout.write(execFileSync(process.execPath, ['--import', 'tsx', self, engine], { encoding: 'utf8' }));
  }
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === 'embedded') {
    await measure('embedded', await openEmbedded(await mkdtemp(path.join(os.tmpdir(), 'arshjul-bench-'))));
  } else {
    const postgres = startPostgres(await freePort());
    try {
      await measure('postgresql', openPostgres(postgres.url));
    } finally {
      postgres.stop();
    }
  }
}
