// The running instance's private channel for the CLI: a Unix socket in the data folder, its owner's
// alone, through which a CLI command changes a task in the embedded store that `arshjul start` holds,
// as one store transaction there, with no workflow per action. Its authority is the machine
// account's: whoever may open the socket may open the data folder and its key.
import { chmod, rm } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { actOnTask } from '../../activities/taskAction.js';
import type { Config } from '../platform/config.js';
import { TaskActionError, type TaskAction } from '../tasks/lifecycle.js';
import type { Deps } from '../../activities/deps.js';

export const localSocket = (config: Pick<Config, 'dataDir'>) => path.join(config.dataDir, 'arshjul.sock');

const maxBody = 64 * 1024;

async function bodyOf(request: http.IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > maxBody) throw new TaskActionError('för stor begäran');
  }
  return JSON.parse(text);
}

/** Serves the channel until closed. */
export async function serveLocal(config: Pick<Config, 'dataDir'>, deps: Pick<Deps, 'db' | 'client' | 'taskQueue'>): Promise<{ close(): Promise<void> }> {
  const socket = localSocket(config);
  await rm(socket, { force: true }); // left by a process that is gone (the store's lock says only one runs)
  const server = http.createServer((request, response) => {
    const answer = (status: number, body: object) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.method !== 'POST' || request.url !== '/tasks/act') return void answer(404, { error: 'okänd väg' });
    bodyOf(request)
      .then((action) => actOnTask(deps, action as TaskAction))
      .then((result) => answer(200, { message: result.message }))
      .catch((error: unknown) => {
        if (error instanceof TaskActionError || error instanceof SyntaxError) return answer(422, { refusal: error.message });
        console.error(`Den lokala kanalen kunde inte ändra en uppgift (${(error as Error).name}).`);
        answer(500, { error: 'internt fel' });
      });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socket, resolve));
  // The data folder is its owner's (0700); the socket too, in case it is ever elsewhere.
  await chmod(socket, 0o600);
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Asks the running instance to apply the action: its words, or undefined when no instance listens. */
export async function actThroughInstance(config: Pick<Config, 'dataDir'>, action: TaskAction): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath: localSocket(config), path: '/tasks/act', method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += String(chunk)));
      response.on('end', () => {
        const body = JSON.parse(text) as { message?: string; refusal?: string; error?: string };
        if (response.statusCode === 200) resolve(body.message);
        else reject(body.refusal ? new TaskActionError(body.refusal) : new Error(`den körande Årshjul-instansen svarade ${response.statusCode}: ${body.error ?? ''}`));
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? resolve(undefined) : reject(error)));
    request.end(JSON.stringify(action));
  });
}
