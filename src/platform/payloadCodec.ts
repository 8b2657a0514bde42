// Temporal payloads encrypted with AES-256-GCM (Node's crypto) on every client and worker: workflow
// and activity inputs and results, signals, updates, heartbeats and failure messages hold task ids
// (which name cases) and notes, and anyone who reaches Temporal's UI or API could read them. The key
// id travels in each payload's metadata, so keys can rotate: new payloads use the first key, and
// older ones are decrypted by theirs.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { ConfigError, type Config } from './config.js';

const encoding = 'binary/encrypted';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface PayloadKey {
  id: string;
  key: Buffer;
}

export const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 16);

/** A payload that was not encrypted with one of the installation's keys. */
export class PlainPayloadError extends Error {
  constructor() {
    super('en Temporal-payload är inte krypterad: Årshjul tar bara emot payloads krypterade med installationens nyckel (ARSHJUL_PAYLOAD_KEY_FILE); en klient utan nyckeln försökte skicka data i klartext');
    this.name = 'PlainPayloadError';
  }
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKey[]) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys[0]!;
    return Promise.resolve(
      payloads.map((payload) => {
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', key, iv);
        const sealed = Buffer.concat([cipher.update(proto.temporal.api.common.v1.Payload.encode(payload).finish()), cipher.final()]);
        return { metadata: { encoding: encoder.encode(encoding), 'encryption-key-id': encoder.encode(id) }, data: Buffer.concat([iv, cipher.getAuthTag(), sealed]) };
      }),
    );
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(
      payloads.map((payload) => {
        // Only what a holder of the key sealed: a payload in clear is what a client without the key
        // sends (to start or signal a workflow and act for someone), so it is refused, not run.
        if (!payload.metadata?.encoding || decoder.decode(payload.metadata.encoding) !== encoding) throw new PlainPayloadError();
        const id = decoder.decode(payload.metadata['encryption-key-id'] ?? new Uint8Array());
        const key = this.keys.find((k) => k.id === id);
        if (!key) throw new Error(`nyckeln ${id} som en Temporal-payload är krypterad med saknas: lägg den i ARSHJUL_PAYLOAD_KEY_FILE`);
        const data = Buffer.from(payload.data ?? new Uint8Array());
        const decipher = createDecipheriv('aes-256-gcm', key.key, data.subarray(0, 12));
        decipher.setAuthTag(data.subarray(12, 28));
        return proto.temporal.api.common.v1.Payload.decode(Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]));
      }),
    );
  }
}

/**
 * The keys: from ARSHJUL_PAYLOAD_KEY_FILE (one base64 key per line, the first encrypts), or made at
 * random into the data folder (0600) on first use, which serves one machine. Several machines share
 * one key file.
 */
export async function payloadKeys(config: Pick<Config, 'dataDir' | 'payloadKeyFile'>): Promise<PayloadKey[]> {
  const file = config.payloadKeyFile ?? path.join(config.dataDir, 'payload-key');
  let text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT' || config.payloadKeyFile) throw new ConfigError(`nyckelfilen ${file} kan inte läsas (${error.code ?? error.message})`);
    return undefined;
  });
  if (text === undefined) {
    text = `${randomBytes(32).toString('base64')}\n`;
    // A CLI command may be the first to run on a fresh machine: the data folder may not exist yet.
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, text, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      text = await readFile(file, 'utf8'); // made by another process meanwhile
    });
  }
  const keys = text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => Buffer.from(line, 'base64'));
  if (keys.length === 0 || keys.some((key) => key.length !== 32)) throw new ConfigError(`nyckelfilen ${file} ska ha en eller flera nycklar om 32 byte, base64, en per rad`);
  return keys.map((key) => ({ id: keyId(key), key }));
}

/**
 * The key the store hashes personnummer with, derived from the installation's encrypting key, so
 * it lives where that key lives, outside the store. A new first key makes the next import rewrite
 * every case's members under the new one.
 */
export async function personKeyFor(config: Pick<Config, 'dataDir' | 'payloadKeyFile'>): Promise<Buffer> {
  const [first] = await payloadKeys(config);
  return Buffer.from(hkdfSync('sha256', first!.key, '', 'arshjul personnummer', 32));
}

const failureConverterPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'failureConverter.cjs');

/** What every client and worker of Årshjul encodes payloads and failures with. */
export async function dataConverterFor(config: Pick<Config, 'dataDir' | 'payloadKeyFile'>): Promise<DataConverter> {
  return { payloadCodecs: [new EncryptionCodec(await payloadKeys(config))], failureConverterPath };
}
