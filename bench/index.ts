// `npm run bench`: every benchmark, each printing its figures; exits non-zero if one misses its target.
// `npm run bench -- web sweep` runs the parts named, alone.
import { importBenchmark } from './import.js';
import { nationalBenchmark } from './national.js';
import { plannerBenchmark } from './planner.js';
import { signInBenchmark } from './signIn.js';
import { sweepBenchmark } from './sweep.js';
import { webBenchmark } from './web.js';
import { yearBenchmark } from './year.js';

const parts: Record<string, () => boolean | Promise<boolean>> = {
  planner: plannerBenchmark, import: importBenchmark, sweep: sweepBenchmark, web: webBenchmark, signIn: signInBenchmark, year: yearBenchmark, national: nationalBenchmark,
};
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in parts));
if (unknown.length) {
  console.error(`Okänd del: ${unknown.join(', ')}. Välj bland ${Object.keys(parts).join(', ')}.`);
  process.exit(2);
}
const results: boolean[] = [];
for (const name of asked.length ? asked : Object.keys(parts)) results.push(await parts[name]!());
process.exitCode = results.every(Boolean) ? 0 : 1;
