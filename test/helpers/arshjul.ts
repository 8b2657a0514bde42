// The README's start command as a child process, and the CLI against it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/platform/paths.js';
import { freePort } from './ports.js';
import { descendants } from './processes.js';

export const run = promisify(execFile);
export const cli = path.join(projectRoot, 'src', 'cli', 'arshjul.js');

export interface Started {
  child: ChildProcess;
  output: () => string;
}

/** `arshjul start` in a child process; the web app on a free port unless the caller names one. */
export async function startArshjul(env: NodeJS.ProcessEnv): Promise<Started> {
  const withWeb = { ...env, ARSHJUL_WEB_PORT: env.ARSHJUL_WEB_PORT ?? String(await freePort()) };
  const child = spawn(process.execPath, [cli, 'start'], { env: withWeb, cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start did not become ready:\n${output}`)), 240_000);
    child.stdout.on('data', () => {
      if (output.includes('Stoppa med Ctrl-C')) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    });
    child.once('exit', (code) => reject(new Error(`start exited with ${code}:\n${output}`)));
  });
}

export async function doctor(env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [cli, 'doctor'], { env, cwd: projectRoot });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

export async function interrupt(started: Started): Promise<number[]> {
  const children = descendants(started.child.pid!);
  const exited = new Promise((resolve) => started.child.once('exit', resolve));
  started.child.kill('SIGINT');
  await exited;
  return children;
}

