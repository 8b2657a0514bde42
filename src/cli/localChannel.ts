// The running instance's private channel for the CLI: a Unix socket in the data folder, its owner's
// alone, through which a CLI command reads or changes the embedded store that `arshjul start` holds,
// each request one store call there, with no workflow. Its authority is the machine account's:
// whoever may open the socket may open the data folder and its key. The CLI runs the same calls on
// the store itself where it can open it (PostgreSQL, or a stopped embedded installation).
import { chmod, rm } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { actOnTask } from '../../activities/taskAction.js';
import { closeRound } from '../cycle/controlRound.js';
import type { Config } from '../platform/config.js';
import type { RoundKey } from '../store/controlRounds.js';
import type { Db } from '../store/db.js';
import type { TaskFilter, TaskRow } from '../store/tasks.js';
import { TaskActionError, type TaskAction } from '../tasks/lifecycle.js';
import { listTasksOnRecord } from '../tasks/listOnRecord.js';

export const localSocket = (config: Pick<Config, 'dataDir'>) => path.join(config.dataDir, 'arshjul.sock');

/** What the CLI may ask of the store, by path; the same functions whichever process holds the store. */
export function localCalls({ db, client }: { db: Db; client: Client | undefined }) {
  return {
    '/tasks/act': async (action: TaskAction): Promise<string> => (await actOnTask({ db, client }, action)).message,
    '/tasks/list': (input: { filter: TaskFilter; reader: string }): Promise<TaskRow[]> => listTasksOnRecord(db, input),
    '/rounds/close': (input: RoundKey & { by: string; at: string }): Promise<void> => closeRound(db, input),
  };
}
type Calls = ReturnType<typeof localCalls>;
export type LocalPath = keyof Calls;
export type LocalInput<P extends LocalPath> = Parameters<Calls[P]>[0];
export type LocalAnswer<P extends LocalPath> = Awaited<ReturnType<Calls[P]>>;

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
export async function serveLocal(config: Pick<Config, 'dataDir'>, deps: { db: Db; client: Client | undefined }): Promise<{ close(): Promise<void> }> {
  const socket = localSocket(config);
  await rm(socket, { force: true }); // left by a process that is gone (the store's lock says only one runs)
  const calls = localCalls(deps) as Record<string, (input: never) => Promise<unknown>>;
  const server = http.createServer((request, response) => {
    const answer = (status: number, body: object) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const call = request.method === 'POST' && request.url !== undefined && Object.hasOwn(calls, request.url) ? calls[request.url] : undefined;
    if (!call) return void answer(404, { error: 'okänd väg' });
    bodyOf(request)
      .then((input) => call(input as never))
      .then((result) => answer(200, { result: result ?? null }))
      .catch((error: unknown) => {
        if (error instanceof TaskActionError || error instanceof SyntaxError) return answer(422, { refusal: error.message });
        console.error(`Den lokala kanalen kunde inte svara (${(error as Error).name}).`);
        answer(500, { error: 'internt fel' });
      });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socket, resolve));
  // The data folder is its owner's (0700); the socket too, in case it is ever elsewhere.
  await chmod(socket, 0o600);
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Asks the running instance: its answer, or `absent` when no instance listens. */
export const absent = Symbol('no instance');
export async function askInstance<P extends LocalPath>(config: Pick<Config, 'dataDir'>, url: P, input: LocalInput<P>): Promise<LocalAnswer<P> | typeof absent> {
  return new Promise<LocalAnswer<P> | typeof absent>((resolve, reject) => {
    const request = http.request({ socketPath: localSocket(config), path: url, method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += String(chunk)));
      response.on('end', () => {
        const body = JSON.parse(text) as { result?: LocalAnswer<P>; refusal?: string; error?: string };
        if (response.statusCode === 200) resolve(body.result as LocalAnswer<P>);
        else reject(body.refusal ? new TaskActionError(body.refusal) : new Error(`den körande Årshjul-instansen svarade ${response.statusCode}: ${body.error ?? ''}`));
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? resolve(absent) : reject(error)));
    request.end(JSON.stringify(input));
  });
}
