// Planner benchmark: 20,000 synthetic cases against the whole reference pack for twelve months.
// Prints case-months per second, peak memory, and the ratio to a hand-written planner of the same
// pack, whose task set must be identical (count and hash).
import { createHash } from 'node:crypto';
import path from 'node:path';
import { syntheticUnit } from '../src/cases/synthetic.js';
import { plan, type PlannedTask } from '../src/planner/plan.js';
import { readRulePack } from '../src/rules/files.js';
import { rulesDir } from '../src/platform/paths.js';
import { handwrittenPlan } from './handwrittenPlanner.js';

const households = 20_000;
const months = 12;
const runs = 5;

function digest(tasks: PlannedTask[]): string {
  const hash = createHash('sha256');
  for (const t of tasks) hash.update(JSON.stringify(t));
  return hash.digest('hex').slice(0, 16);
}

function best(run: () => PlannedTask[]): { ms: number; tasks: PlannedTask[] } {
  let tasks = run(); // warm-up: JIT and the calendar's per-year cache
  let ms = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    tasks = run();
    ms = Math.min(ms, performance.now() - start);
  }
  return { ms, tasks };
}

export async function plannerBenchmark(): Promise<boolean> {
  const caseFile = syntheticUnit({ households, seed: 1 });
  // The caseworkers' årshjul: the pack the hand-written planner encodes (the management cycle's
  // unit tasks are a handful a month and would only blur the comparison).
  const full = await readRulePack(rulesDir);
  const pack = { ...full, rules: full.rules.filter((r) => r.file.includes(`${path.sep}handlaggning${path.sep}`)) };
  const compiled = best(() => plan({ caseFile, pack, from: '2027-01', to: '2027-12' }));
  const handwritten = best(() => handwrittenPlan(caseFile, pack, '2027-01', '2027-12'));
  const [a, b] = [digest(compiled.tasks), digest(handwritten.tasks)];
  const caseMonthsPerSecond = (households * months) / (compiled.ms / 1000);
  const ratio = compiled.ms / handwritten.ms;
  const identical = a === b && compiled.tasks.length === handwritten.tasks.length;
  console.log(`Planner: 20 000 ärenden × 12 månader, handläggningens ${pack.rules.length} regler`);
  console.log(`  tasks                 ${compiled.tasks.length} (hand-written ${handwritten.tasks.length}), hash ${a} (hand-written ${b}): ${identical ? 'identical' : 'DIFFERENT'}`);
  console.log(`  compiled rules        ${compiled.ms.toFixed(0)} ms, ${Math.round(caseMonthsPerSecond).toLocaleString('en-US')} case-months/s (target ≥ 500,000)`);
  console.log(`  hand-written planner  ${handwritten.ms.toFixed(0)} ms, ratio ${ratio.toFixed(2)}× (target ≤ 5×)`);
  console.log(`  peak memory (max RSS) ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  return identical && caseMonthsPerSecond >= 500_000 && ratio <= 5;
}
