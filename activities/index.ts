// Every activity the worker serves.
export * from './workerInfo.js';
