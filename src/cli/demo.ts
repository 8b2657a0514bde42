// `arshjul demo`: a realistic synthetic unit, imported into the store (or written to a file).
import { writeFile } from 'node:fs/promises';
import { today } from '../calendar/businessDays.js';
import { syntheticUnit } from '../cases/synthetic.js';
import type { Config } from '../platform/config.js';
import { ConfigError } from '../platform/config.js';
import { importCaseFile, type ImportCounts } from '../store/cases.js';
import { setPassword } from '../web/accounts.js';
import type { Db } from '../store/db.js';
import { withStore } from '../store/open.js';
import { formatCounts } from './import.js';

/** The demo unit's sign-in password for everyone in it: demo data only, never a real unit's. */
export const demoPassword = 'arshjul-demo';

export async function loadDemo(db: Db, households: number, seed: number): Promise<ImportCounts> {
  const caseFile = syntheticUnit({ households, seed });
  const counts = await importCaseFile(db, caseFile, { fileName: `demo --households ${households} --seed ${seed}`, fileHash: `demo-${households}-${seed}`, importedBy: 'demo', full: false, exportDate: today() });
  for (const person of caseFile.staff) {
    await setPassword(db, { unitId: caseFile.unit.id, staffId: person.id, password: demoPassword, admin: person.role === 'administrativ-assistent' });
  }
  return counts;
}

export async function demoCommand(config: Config, options: { households?: string; seed?: string; out?: string }): Promise<string> {
  const households = Number(options.households ?? 730);
  const seed = Number(options.seed ?? 2027);
  if (!Number.isInteger(households) || households < 1) throw new ConfigError(`--households ska vara ett positivt heltal, fick ${options.households}`);
  if (options.out) {
    await writeFile(options.out, `${JSON.stringify(syntheticUnit({ households, seed }), null, 1)}\n`);
    return `Skrev en demoenhet med ${households} hushåll till ${options.out}`;
  }
  const counts = await withStore(config, (db) => loadDemo(db, households, seed));
  return `Demoenhet (demo-eb) med ${households} hushåll:\n${formatCounts(counts)}`;
}
