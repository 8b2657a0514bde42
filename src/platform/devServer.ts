// Starts the Temporal CLI dev server as a child process with its state on disk. It dies with its
// parent (Linux's parent-death signal, through util-linux's setpriv), and a pid file lets the next
// start find and stop one that a crash left behind anyway.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError } from './config.js';
import { alive, stopPid } from './pids.js';

export interface DevServer {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  temporalBinary: string;
  dataDir: string;
  namespace: string;
  port: number;
  uiPort: number;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}


/** A dev server an earlier run left behind on this data folder (its pid file, its own database): stopped. */
async function stopLeftBehind(pidFile: string, dbFile: string): Promise<void> {
  const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
  if (!pid || !alive(pid)) return;
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!command.includes('start-dev') || !command.includes(dbFile)) return;
  console.log(`En Temporal dev server från en tidigare körning (pid ${pid}) körde fortfarande på den här datamappen; den stoppas först.`);
  await stopPid(pid, 10_000);
}

const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((candidate) => existsSync(candidate));

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const stateDir = path.join(options.dataDir, 'temporal');
  await mkdir(stateDir, { recursive: true });
  const dbFile = path.join(stateDir, 'dev-server.sqlite');
  const pidFile = path.join(stateDir, 'dev-server.pid');
  await stopLeftBehind(pidFile, dbFile);
  for (const port of [options.port, options.uiPort]) {
    if (await portOpen(port)) {
      throw new ConfigError(
        `Port ${port} är redan upptagen (kör Årshjul redan?). Stoppa det andra programmet eller välj andra portar med ARSHJUL_TEMPORAL_PORT och ARSHJUL_TEMPORAL_UI_PORT.`,
      );
    }
  }
  const args = [
    'server', 'start-dev',
    '--db-filename', dbFile,
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--ui-port', String(options.uiPort),
    // Said outright rather than inherited from --ip: the UI asks for no sign-in, so loopback only.
    '--ui-ip', '127.0.0.1',
    '--namespace', options.namespace,
    '--log-level', 'error',
  ];
  // setpriv execs the server with a parent-death signal: a crash of this process stops it too.
  const child = setpriv
    ? spawn(setpriv, ['--pdeathsig', 'SIGTERM', '--', options.temporalBinary, ...args], { stdio: ['ignore', 'ignore', 'inherit'] })
    : spawn(options.temporalBinary, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (child.pid) await writeFile(pidFile, String(child.pid));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));

  const deadline = Date.now() + 60_000;
  while (!(await portOpen(options.port))) {
    if (exited) throw new Error(`Temporal dev server avslutades direkt (se meddelandet ovan). Kommando: temporal ${args.join(' ')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Temporal dev server öppnade inte port ${options.port} inom 60 s.`);
    }
    await sleep(100);
  }
  return {
    address: `127.0.0.1:${options.port}`,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    process: child,
    async stop() {
      await rm(pidFile, { force: true });
      if (exited) return;
      child.kill('SIGTERM');
      const killed = await Promise.race([exit.then(() => true), sleep(10_000, undefined, { ref: false }).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await exit;
      }
    },
  };
}
