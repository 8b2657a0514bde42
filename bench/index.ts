// `npm run bench`: every benchmark, each printing its figures; exits non-zero if one misses its target.
import { plannerBenchmark } from './planner.js';

const results = [await plannerBenchmark()];
process.exitCode = results.every(Boolean) ? 0 : 1;
