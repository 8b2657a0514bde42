// Worker logs at WARN in tests, as in production: INFO lines would bury the test report.
import { installLogging } from '../../worker/index.js';

installLogging('WARN');
