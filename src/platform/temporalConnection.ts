import { readFile } from 'node:fs/promises';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config.js';

/** Address, TLS client certificate and API key from the configuration, shared by client and worker. */
async function connectionOptions(config: Config, address: string) {
  const tls = config.tls
    ? { clientCertPair: { crt: await readFile(config.tls.certPath), key: await readFile(config.tls.keyPath) } }
    : config.apiKey
      ? true
      : undefined;
  return { address, tls, apiKey: config.apiKey } satisfies ConnectionOptions;
}

export async function connectClient(config: Config, address: string, connectTimeout = '10s'): Promise<Connection> {
  return Connection.connect({ ...(await connectionOptions(config, address)), connectTimeout });
}

export async function connectWorker(config: Config, address: string): Promise<NativeConnection> {
  return NativeConnection.connect(await connectionOptions(config, address));
}
