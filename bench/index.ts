// `npm run bench`: every benchmark, each printing its figures; exits non-zero if one misses its target.
import { importBenchmark } from './import.js';
import { nationalBenchmark } from './national.js';
import { plannerBenchmark } from './planner.js';
import { signInBenchmark } from './signIn.js';
import { sweepBenchmark } from './sweep.js';
import { webBenchmark } from './web.js';
import { yearBenchmark } from './year.js';

const results = [await plannerBenchmark(), importBenchmark(), await sweepBenchmark(), await webBenchmark(), await signInBenchmark(), await yearBenchmark(), await nationalBenchmark()];
process.exitCode = results.every(Boolean) ? 0 : 1;
