/**
 * Optional end-to-end encryption of what Temporal stores: workflow and activity inputs, results,
 * signals, queries, memos. A PayloadCodec (Temporal's extension point for exactly this) seals
 * each payload with AES-256-GCM before it leaves the client or worker, so the Temporal server and
 * its database only see ciphertext. Keys come from PAYLOAD_CODEC_KEYS (`id:base64`, newest
 * first: the first encrypts, all decrypt, so keys can rotate). The API serves as codec server
 * (`/codec/decode`) so the Web UI can still show payloads to whoever holds the codec token.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { parseKeys, type CipherKey } from '../store/credential-cipher';
import type { Env } from './config/environment';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID_HEADER = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class EncryptionCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly current: CipherKey;

  constructor(keys: CipherKey[]) {
    if (keys.length === 0) throw new Error('PAYLOAD_CODEC_KEYS holds no key');
    for (const { id, key } of keys) if (key.length !== 32) throw new Error(`payload codec key "${id}" must be 32 bytes (base64 of 32 random bytes)`);
    this.current = keys[0]!;
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: encoder.encode(ENCRYPTED_ENCODING), [KEY_ID_HEADER]: encoder.encode(this.current.id) }, data: sealed };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (decoder.decode(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyId = decoder.decode(payload.metadata?.[KEY_ID_HEADER]);
      const key = this.byId.get(keyId);
      if (!key) throw new Error(`payload sealed with unknown key "${keyId}": add it to PAYLOAD_CODEC_KEYS`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}

/** The codec from PAYLOAD_CODEC_KEYS, or none (payloads stored as plain JSON) when it is unset. */
export function payloadCodecFromEnv(env: Env): EncryptionCodec | undefined {
  return env.PAYLOAD_CODEC_KEYS ? new EncryptionCodec(parseKeys(env.PAYLOAD_CODEC_KEYS)) : undefined;
}

export function dataConverterWith(codec: PayloadCodec | undefined): DataConverter | undefined {
  return codec ? { payloadCodecs: [codec] } : undefined;
}
