// A Temporal client for one CLI command: connected with the installation's TLS and payload key,
// closed after; a clear message when Temporal does not answer.
import { Client } from '@temporalio/client';
import { ConfigError, type Config } from '../platform/config.js';
import { dataConverterFor } from '../platform/payloadCodec.js';
import { connectClient } from '../platform/temporalConnection.js';

export async function withClient<T>(config: Config, fn: (client: Client) => Promise<T>): Promise<T> {
  return withOptionalClient(config, (client) => {
    if (!client) throw new ConfigError(`Temporal svarar inte på ${addressOf(config)}: starta Årshjul (npm start) först; kommandot körs genom den worker som har databasen.`);
    return fn(client);
  });
}

const addressOf = (config: Config) => config.temporalAddress ?? `127.0.0.1:${config.devServerPort}`;

/** A client when Temporal answers, else undefined: for work that is done in the store and only told to Temporal. */
export async function withOptionalClient<T>(config: Config, fn: (client: Client | undefined) => Promise<T>): Promise<T> {
  const connection = await connectClient(config, addressOf(config), '3s').catch(() => undefined);
  try {
    return await fn(connection && new Client({ connection, namespace: config.namespace, dataConverter: await dataConverterFor(config) }));
  } finally {
    await connection?.close();
  }
}
