// `arshjul ik sample`: the internal control's random samples, taken once and verifiable by anyone.
import { today } from './import.js';
import { periodRange, takeSample, verifySample, type StoredSample } from '../internkontroll/samples.js';
import { ConfigError, type Config } from '../platform/config.js';
import { rulesDir } from '../platform/paths.js';
import { readRulePack } from '../rules/files.js';
import { openStore } from '../store/open.js';
import { TaskActionError } from '../tasks/lifecycle.js';

function describe(sample: StoredSample, note = ''): string {
  return [
    `Stickprov ${sample.id}: ${sample.cases.length} av ${sample.population.length} ärenden (frö ${sample.seed}, ${sample.algorithm})${note}`,
    ...sample.cases.map((id) => `  ${id}`),
  ].join('\n');
}

export async function ikSampleCommand(config: Config, values: { unit?: string; control?: string; period?: string; seed?: string; verify?: string; 'dry-run': boolean }): Promise<{ ok: boolean; output: string }> {
  const db = await openStore(config);
  try {
    if (values.verify) {
      const { ok, sample, recomputed } = await verifySample(db, values.verify);
      return ok
        ? { ok, output: `OK: ${sample.id} dras om till samma ${sample.cases.length} ärenden.` }
        : { ok, output: `FEL: ${sample.id} dras om till andra ärenden.\n  sparat:   ${sample.cases.join(', ')}\n  omräknat: ${recomputed.join(', ')}` };
    }
    if (!values.unit || !values.control || !values.period) throw new ConfigError('ange --unit ENHET --control KONTROLL --period PERIOD (eller --verify ID)');
    const { year } = periodRange(values.period);
    const plan = (await readRulePack(rulesDir)).plans.find((p) => p.plan.year === year);
    if (!plan) throw new ConfigError(`det finns ingen internkontrollplan för ${year} (rules/internkontroll/plan-${year}.json)`);
    const { sample, existing } = await takeSample(db, { unitId: values.unit, plan: plan.plan, controlId: values.control, period: values.period, seed: values.seed, dryRun: values['dry-run'], takenOn: today() });
    const note = values['dry-run'] ? ' (provdragning, sparas inte)' : existing ? ' (redan taget)' : '';
    return { ok: true, output: describe(sample, note) };
  } catch (error) {
    if (error instanceof TaskActionError) throw new ConfigError(error.message);
    throw error;
  } finally {
    await db.close();
  }
}
