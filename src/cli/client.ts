// A Temporal client for one CLI command: connected with the installation's TLS and payload key,
// closed after; a clear message when Temporal does not answer.
import { Client } from '@temporalio/client';
import { ConfigError, type Config } from '../platform/config.js';
import { dataConverterFor } from '../platform/payloadCodec.js';
import { connectClient } from '../platform/temporalConnection.js';

export async function withClient<T>(config: Config, fn: (client: Client) => Promise<T>): Promise<T> {
  const address = config.temporalAddress ?? `127.0.0.1:${config.devServerPort}`;
  let connection;
  try {
    connection = await connectClient(config, address, '3s');
  } catch {
    throw new ConfigError(`Temporal svarar inte på ${address}: starta Årshjul (npm start) först; uppgifter ändras genom den worker som har databasen.`);
  }
  try {
    return await fn(new Client({ connection, namespace: config.namespace, dataConverter: await dataConverterFor(config) }));
  } finally {
    await connection.close();
  }
}

/** A client when Temporal answers, else undefined: for work that is done in the store and only told to Temporal. */
export async function withOptionalClient<T>(config: Config, fn: (client: Client | undefined) => Promise<T>): Promise<T> {
  const address = config.temporalAddress ?? `127.0.0.1:${config.devServerPort}`;
  const connection = await connectClient(config, address, '3s').catch(() => undefined);
  try {
    return await fn(connection && new Client({ connection, namespace: config.namespace, dataConverter: await dataConverterFor(config) }));
  } finally {
    await connection?.close();
  }
}
