// Starts the Temporal CLI dev server as a child process with its state on disk.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

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

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  for (const port of [options.port, options.uiPort]) {
    if (await portOpen(port)) {
      throw new Error(
        `Port ${port} är redan upptagen (kör Årshjul redan?). Stoppa det andra programmet eller välj andra portar med ARSHJUL_TEMPORAL_PORT och ARSHJUL_TEMPORAL_UI_PORT.`,
      );
    }
  }
  const stateDir = path.join(options.dataDir, 'temporal');
  await mkdir(stateDir, { recursive: true });
  const args = [
    'server', 'start-dev',
    '--db-filename', path.join(stateDir, 'dev-server.sqlite'),
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--ui-port', String(options.uiPort),
    '--namespace', options.namespace,
    '--log-level', 'error',
  ];
  const child = spawn(options.temporalBinary, args, { stdio: ['ignore', 'ignore', 'inherit'] });
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
