// `arshjul demo`: a realistic synthetic unit, imported into the store (or written to a file).
import { writeFile } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import { firstBusinessDay, isBusinessDay, today } from '../calendar/businessDays.js';
import { syntheticUnit } from '../cases/synthetic.js';
import type { Config } from '../platform/config.js';
import { ConfigError } from '../platform/config.js';
import { importCaseFile, type ImportCounts } from '../store/cases.js';
import { setPassword } from '../web/accounts.js';
import type { Db } from '../store/db.js';
import { withStore } from '../store/open.js';
import { reconcileUnits } from '../platform/schedules.js';
import { unitAttribute } from '../platform/searchAttributes.js';
import { workflowIds } from '../platform/workflowIds.js';
import { withClient } from './client.js';
import { formatCounts } from './import.js';

/** The demo unit's sign-in password for everyone in it: demo data only, never a real unit's. */
export const demoPassword = 'arshjul-demo';

/** The demo unit's cases, drawn around 1 January of `year` (by default next year's, as `arshjul demo` writes them). */
export async function loadDemo(db: Db, households: number, seed: number, year?: number): Promise<ImportCounts> {
  const caseFile = syntheticUnit({ households, seed, year });
  const counts = await importCaseFile(db, caseFile, { fileName: `demo --households ${households} --seed ${seed}`, fileHash: `demo-${households}-${seed}`, importedBy: 'demo', full: false, exportDate: today() });
  for (const person of caseFile.staff) {
    await setPassword(db, { unitId: caseFile.unit.id, staffId: person.id, password: demoPassword, admin: person.role === 'administrativ-assistent' });
  }
  return counts;
}

/** Today's sweep at once (else the month's first business day's), rather than at tomorrow's 06:00 sweep. */
export async function sweepDemoMonth(client: Client, taskQueue: string): Promise<void> {
  const date = isBusinessDay(today()) ? today() : firstBusinessDay(Number(today().slice(0, 4)), Number(today().slice(5, 7)));
  // With the unit as its search attribute, like every sweep: `--query "ArshjulUnit='demo-eb'"` finds it.
  await client.workflow.execute('sweep', { taskQueue, workflowId: workflowIds.manualSweep('demo-eb', date), args: [{ unitId: 'demo-eb', date }], typedSearchAttributes: [{ key: unitAttribute, value: 'demo-eb' }] });
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
  const lines = [`Demoenhet (demo-eb) med ${households} hushåll:`, formatCounts(counts)];
  if (config.temporalAddress) {
    // Against a cluster: the unit's schedules and workflows, and this month's tasks, now.
    await withClient(config, async (client) => {
      await reconcileUnits(client, config.taskQueue, ['demo-eb']);
      await sweepDemoMonth(client, config.taskQueue);
    });
    lines.push(`Schemalagd i Temporal och månadens uppgifter skapade. Logga in som ss-01, bec-01, ec-01 eller adm-01 med lösenordet ${demoPassword}.`);
  }
  return lines.join('\n');
}
