// Processes Årshjul started and finds again by a pid file: the dev server, the cluster's server.
import { setTimeout as sleep } from 'node:timers/promises';

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Asks the process to stop, gives it `graceMs`, then kills it; returns when it is gone (or after five more seconds). */
export async function stopPid(pid: number, graceMs: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; alive(pid) && waited < graceMs; waited += 100) await sleep(100);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (let waited = 0; alive(pid) && waited < 5_000; waited += 100) await sleep(100);
}
