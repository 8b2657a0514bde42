import { readFile } from 'node:fs/promises';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config.js';

/** Address, TLS (client certificate, the server's CA and name) and API key from the configuration, shared by client and worker. */
async function connectionOptions(config: Config, address: string) {
  const { tls: settings } = config;
  const tls = settings
    ? {
        clientCertPair: settings.clientCert ? { crt: await readFile(settings.clientCert.certPath), key: await readFile(settings.clientCert.keyPath) } : undefined,
        serverRootCACertificate: settings.caPath ? await readFile(settings.caPath) : undefined,
        serverNameOverride: settings.serverName,
      }
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
