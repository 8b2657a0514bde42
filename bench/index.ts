// `npm run bench`: every benchmark, each printing its figures; exits non-zero if one misses its target.
import { importBenchmark } from './import.js';
import { plannerBenchmark } from './planner.js';

const results = [await plannerBenchmark(), importBenchmark()];
process.exitCode = results.every(Boolean) ? 0 : 1;
