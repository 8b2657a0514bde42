// `arshjul tasks list` prints case ids, so the reading is on the access log before the answer comes
// back: one record per unit it listed tasks of, with the cases, the filter and the machine account
// the CLI ran as (nobody signs in on the command line). The CLI asks the running instance over its
// private channel, which reads the store it holds; no workflow carries the list.
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAccess } from '../../src/accessLog/log.js';
import { syntheticUnit } from '../../src/cases/synthetic.js';
import { taskListCommand } from '../../src/cli/cycle.js';
import { serveLocal } from '../../src/cli/localChannel.js';
import { plan } from '../../src/planner/plan.js';
import { importCaseFile } from '../../src/store/cases.js';
import type { Db } from '../../src/store/db.js';
import { recordPack } from '../../src/store/rulePacks.js';
import { insertTasks, type TaskRow } from '../../src/store/tasks.js';
import { testConfig } from '../helpers/cycle.js';
import { referencePack } from '../helpers/rules.js';
import { freshStore } from '../helpers/store.js';

const unit = syntheticUnit({ households: 30, seed: 8, year: 2027 });

describe('arshjul tasks list on the access log', () => {
  let db: Db;
  let local: { close(): Promise<void> } | undefined;
  const config = testConfig('task-list-log');

  beforeAll(async () => {
    db = await freshStore('embedded');
    await importCaseFile(db, unit, { fileName: 'x', fileHash: 'x', importedBy: 'test', full: false, exportDate: '2027-03-01' });
    const pack = await referencePack();
    await db.transaction(async (tx) => {
      await recordPack(tx, pack);
      await insertTasks(tx, plan({ caseFile: unit, pack, from: '2027-03', to: '2027-03' }));
    });
    // The running instance's channel, over the store it holds; no Temporal is needed for a list.
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    local = await serveLocal(config, { db, client: undefined });
  }, 120_000);
  afterAll(async () => {
    await local?.close();
    await db?.close();
  });

  it('records the unit, the cases listed, the filter and the machine account before the list comes back', async () => {
    const listed = JSON.parse(await taskListCommand(config, { unit: unit.unit.id, rule: 'tax-return-letter', period: '2027-03', json: true })) as TaskRow[];
    expect(listed.length).toBeGreaterThan(0);
    const { records, total } = await searchAccess(db, { unitId: unit.unit.id, limit: 10 });
    expect(total).toBe(1);
    expect(records[0]).toMatchObject({
      staffId: null, view: 'tasks-cli', caseIds: [...new Set(listed.map((t) => t.case_id!))].sort(),
      query: `enhet=${unit.unit.id}; kontroll=tax-return-letter; månad=2027-03`, session: null, address: `kommandorad: ${os.userInfo().username}@${os.hostname()}`,
    });

    // A search that finds nothing is a reading of the unit too; one of a unit that does not exist is no unit's.
    expect(await taskListCommand(config, { unit: unit.unit.id, rule: 'ingen-sådan-regel', json: false })).toBe('0 uppgifter');
    expect((await searchAccess(db, { unitId: unit.unit.id, limit: 1 })).records[0]).toMatchObject({ view: 'tasks-cli', caseIds: [], query: `enhet=${unit.unit.id}; kontroll=ingen-sådan-regel` });
    await taskListCommand(config, { unit: 'finns-inte', json: false });
    expect((await searchAccess(db, { unitId: 'finns-inte', limit: 1 })).total).toBe(0);
    expect((await searchAccess(db, { unitId: unit.unit.id, limit: 1 })).total).toBe(2);
  });
});
