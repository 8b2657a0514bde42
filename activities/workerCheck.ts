import os from 'node:os';

export interface WorkerInfo {
  host: string;
  pid: number;
  node: string;
}

export async function workerInfo(): Promise<WorkerInfo> {
  return Promise.resolve({ host: os.hostname(), pid: process.pid, node: process.version });
}
