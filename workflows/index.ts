// Every workflow the worker serves; the worker bundles this file.
export { workerCheck } from './workerCheck.js';
