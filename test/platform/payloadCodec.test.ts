// The payload codec: what it encrypts it gives back, keys rotate by their id, and a payload stays
// closed to anyone without its key.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec, keyId, payloadKeys, PlainPayloadError } from '../../src/platform/payloadCodec.js';

const key = (bytes = randomBytes(32)) => ({ id: keyId(bytes), key: bytes });

describe('the payload codec', () => {
  it('encrypts a payload so nothing of it shows, and decrypts it again', async () => {
    const input = defaultPayloadConverter.toPayload({ taskId: 'demo-eb:infotorg-check-jan:2027-01:DEMO-EB-0001', note: '19890304-2383' });
    const codec = new EncryptionCodec([key()]);
    const [sealed] = await codec.encode([input]);
    expect(Buffer.from(sealed!.data!).toString('latin1')).not.toMatch(/DEMO-EB|19890304/);
    expect(new TextDecoder().decode(sealed!.metadata!.encoding)).toBe('binary/encrypted');
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual({ taskId: 'demo-eb:infotorg-check-jan:2027-01:DEMO-EB-0001', note: '19890304-2383' });
  });

  it('decrypts with an older key after a rotation, and refuses without the key', async () => {
    const [oldKey, newKey] = [key(), key()];
    const [sealed] = await new EncryptionCodec([oldKey]).encode([defaultPayloadConverter.toPayload('x')]);
    expect(defaultPayloadConverter.fromPayload((await new EncryptionCodec([newKey, oldKey]).decode([sealed!]))[0]!)).toBe('x');
    await expect(new EncryptionCodec([newKey]).decode([sealed!])).rejects.toThrow(/nyckeln .* saknas/);
  });

  it('refuses a payload in clear: a client without the key cannot start or signal a workflow', async () => {
    const codec = new EncryptionCodec([key()]);
    const plain = defaultPayloadConverter.toPayload({ kind: 'complete', taskId: 'x', actor: 'bh-05' });
    await expect(codec.decode([plain])).rejects.toThrow(PlainPayloadError);
    await expect(codec.decode([plain])).rejects.toThrow(/inte krypterad/);
    // Nor one that claims another encoding, or has none.
    await expect(codec.decode([{ metadata: {}, data: plain.data }])).rejects.toThrow(PlainPayloadError);
    await expect(codec.decode([{ data: plain.data }])).rejects.toThrow(PlainPayloadError);
  });

  it('refuses a sealed payload whose contents were changed', async () => {
    const codec = new EncryptionCodec([key()]);
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload('x')]);
    const data = Buffer.from(sealed!.data!);
    data[data.length - 1]! ^= 1;
    await expect(codec.decode([{ ...sealed!, data }])).rejects.toThrow(/authenticate/);
  });

  it('makes a key in the data folder on first use, its owner\'s alone, and reads a given key file', async () => {
    // A data folder that does not exist yet, as on a fresh machine before the first start.
    const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'arshjul-key-')), 'ny', 'data');
    const [made] = await payloadKeys({ dataDir, payloadKeyFile: undefined });
    expect((await stat(path.join(dataDir, 'payload-key'))).mode & 0o777).toBe(0o600);
    expect((await payloadKeys({ dataDir, payloadKeyFile: undefined }))[0]!.id).toBe(made!.id);
    const file = path.join(dataDir, 'keys');
    await writeFile(file, `${randomBytes(32).toString('base64')}\n${await readFile(path.join(dataDir, 'payload-key'), 'utf8')}`);
    expect((await payloadKeys({ dataDir, payloadKeyFile: file })).map((k) => k.id)[1]).toBe(made!.id);
    await writeFile(file, 'för kort\n');
    await expect(payloadKeys({ dataDir, payloadKeyFile: file })).rejects.toThrow(/32 byte/);
  });
});
