// A rule file broken by an edit stops nothing: the sweep plans on with the last good pack.
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SweepStart } from '../../activities/sweep.js';
import { createActivities } from '../../activities/index.js';
import { rulesDir } from '../../src/platform/paths.js';
import type { Db } from '../../src/store/db.js';
import { depsFor } from '../../worker/index.js';
import { testConfig } from '../helpers/cycle.js';
import { freshStore } from '../helpers/store.js';

describe('a broken rule pack', () => {
  let db: Db;
  beforeEach(async () => {
    db = await freshStore('embedded');
  });
  afterEach(async () => {
    await db.close();
  });

  it('leaves the sweep on the last good pack, and fails only when there never was one', async () => {
    const rules = path.join(await mkdtemp(path.join(os.tmpdir(), 'arshjul-rules-')), 'rules');
    await cp(rulesDir, rules, { recursive: true });
    const env = new MockActivityEnvironment();
    const prepare = (store: Db, date: string) => {
      const activities = createActivities({ ...depsFor(testConfig('broken'), store, {} as Client), rulesDir: rules });
      return env.run<[], SweepStart, () => Promise<SweepStart>>(() => activities.prepareSweep({ date, scheduledAt: 0 }));
    };
    const good = await prepare(db, '2027-05-03');
    await writeFile(path.join(rules, 'handlaggning', 'bank-overview.json'), '{ "id": ');
    const after = await prepare(db, '2027-05-04');
    expect(after).toEqual({ date: '2027-05-04', businessDay: true, packHash: good.packHash });

    const empty = await freshStore('embedded');
    try {
      await expect(prepare(empty, '2027-05-04')).rejects.toThrow(/bank-overview\.json:1 \$: ogiltig JSON/);
    } finally {
      await empty.close();
    }
  });
});
