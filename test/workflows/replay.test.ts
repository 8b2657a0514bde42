// Acceptance 4 of issue 27: the recorded histories of every workflow type (test/fixtures/histories,
// made by record.ts there) replay against today's workflows, bundled as the worker bundles them and
// decoded with the worker's data converter. A change that would break a run begun before it fails
// here, and so does a new workflow type without a recorded history.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/platform/paths.js';
import { dataConverterFor } from '../../src/platform/payloadCodec.js';
import * as workflows from '../../workflows/index.js';
import { historyFromJson } from '../fixtures/histories/json.js';
import { clearTextOf, recordedUnit } from '../fixtures/histories/unit.js';

const dir = path.join(projectRoot, 'test', 'fixtures', 'histories');
const workflowsPath = path.join(projectRoot, 'workflows', 'index.ts');
/** The worker's data converter (payload codec and failure converter) under the key the histories were recorded with. */
const dataConverter = () => dataConverterFor({ dataDir: dir, payloadKeyFile: path.join(dir, 'payload-key') });

const histories = readdirSync(dir)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const history = historyFromJson(text);
    return { file, text, history, type: history.events![0]!.workflowExecutionStartedEventAttributes?.workflowType?.name };
  });
/** The workflow types the worker serves: the functions workflows/index.ts exports (the rest are signal and update definitions). */
const exported = Object.entries(workflows).filter(([, value]) => typeof value === 'function').map(([name]) => name).sort();

describe('recorded workflow histories', () => {
  it('cover every workflow type the worker serves, each file named by its type', () => {
    expect(exported).toContain('sweep');
    const missing = exported.filter((type) => !histories.some((h) => h.type === type));
    expect(missing, 'workflow types without a recorded history: record one with test/fixtures/histories/record.ts').toEqual([]);
    for (const { file, type } of histories) expect(/^([^-.]+)(-[^.]+)?\.json$/.exec(file)?.[1], file).toBe(type);
  });

  it('hold no personnummer, name, e-mail address or case id of the case file in clear', () => {
    const clear = clearTextOf(recordedUnit());
    expect(clear.length).toBeGreaterThan(10);
    for (const { file, text } of histories) expect(clear.filter((s) => text.includes(s)), file).toEqual([]);
  });

  describe('replayed against workflows/index.ts', () => {
    const results = new Map<string, ReplayResult>();
    beforeAll(async () => {
      const replays = Worker.runReplayHistories({ workflowsPath, dataConverter: await dataConverter() }, histories.map(({ file, history }) => ({ workflowId: file, history })));
      for await (const result of replays) results.set(result.workflowId, result);
    }, 180_000);

    it.each(histories.map((h) => h.file))('%s replays without non-determinism', (file) => {
      const result = results.get(file);
      expect(result, `${file} was not replayed`).toBeDefined();
      const { error } = result!;
      expect(error && `${error.name}: ${error.message}`).toBeUndefined();
    });
  });

  it('fails a history replayed against a workflow that calls its activities in another order', async () => {
    const sweep = histories.find((h) => h.file === 'sweep.json')!;
    await expect(
      Worker.runReplayHistory({ workflowsPath: path.join(dir, 'alteredSweep.ts'), dataConverter: await dataConverter() }, sweep.history, 'altered-sweep'),
    ).rejects.toThrow(DeterminismViolationError);
  }, 120_000);
});
