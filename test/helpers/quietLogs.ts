// Worker logs at WARN in tests, as in production: INFO lines would bury the test report.
import { installRuntime } from '../../worker/index.js';

installRuntime('WARN');
