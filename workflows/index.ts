// Every workflow the worker serves; the worker bundles this file.
export { workerCheck } from './workerCheck.js';
export { sweep } from './sweep.js';
export { controlRound } from './controlRound.js';
export { tasksChanged, closeRoundUpdate, approvePlanUpdate, analysisWritten } from './definitions.js';
export { taskAction, taskList } from './taskAction.js';
export { digests, settingsChange } from './digests.js';
export { internalControl } from './internalControl.js';
export { tertialReport } from './tertialReport.js';
