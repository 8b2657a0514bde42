// Every workflow the worker serves; the worker bundles this file.
export { workerCheck } from './workerCheck.js';
export { sweep } from './sweep.js';
export { controlRound, tasksChanged, closeRoundUpdate } from './controlRound.js';
export { taskAction, taskList } from './taskAction.js';
export { digests, settingsChange } from './digests.js';
export { internalControl, approvePlanUpdate } from './internalControl.js';
export { tertialReport, analysisWritten } from './tertialReport.js';
