/**
 * Encrypts credentials at rest: AES-256-GCM with a random 96-bit IV per value and the owning
 * record's id as additional data (a sealed value cannot be moved to another channel). Every sealed
 * value names its key id, so keys can be rotated: the first key encrypts, all keys decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Env } from '../runtime/config/environment';

export interface CipherKey {
  id: string;
  key: Buffer;
}

const FORMAT = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export class CredentialCipher {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: readonly CipherKey[]) {
    if (keys.length === 0) throw new Error('at least one credentials key is needed');
    for (const { id, key } of keys) {
      if (!KEY_ID.test(id)) throw new Error(`credentials key id "${id}" must be 1-32 of A-Z a-z 0-9 _ -`);
      if (key.length !== 32) throw new Error(`credentials key "${id}" must be 32 bytes (base64 of 32 random bytes)`);
    }
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  get currentKeyId(): string {
    return this.keys[0]!.id;
  }

  seal(plaintext: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!.key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.currentKeyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  open(sealed: string, boundTo: string): string {
    const [format, keyId, iv, tag, ciphertext] = sealed.split('.');
    if (format !== FORMAT || !keyId || iv === undefined || tag === undefined || ciphertext === undefined) throw new Error('not a sealed credentials value');
    const key = this.byId.get(keyId);
    if (!key) throw new Error(`credentials were sealed with key "${keyId}", which is not configured (CREDENTIALS_KEYS)`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** True when a sealed value uses an older key than the current one. */
  isStale(sealed: string): boolean {
    return sealed.split('.')[1] !== this.currentKeyId;
  }
}

/** `id:base64,id:base64`, newest first. */
export function parseKeys(text: string): CipherKey[] {
  return text
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [id, key] = part.split(':');
      if (!id || !key) throw new Error('credentials keys must be "id:base64key" pairs, comma-separated, newest first');
      return { id, key: Buffer.from(key, 'base64') };
    });
}

export function generateKey(id: string = `k${Date.now().toString(36)}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/**
 * Keys from CREDENTIALS_KEYS; without it (development), from a key file that is created on first
 * use, with a warning, so that `npm start` works on a fresh machine.
 */
export function cipherFromEnv(devKeyFile: string, warn: (line: string) => void, env: Env): CredentialCipher {
  if (env.CREDENTIALS_KEYS) return new CredentialCipher(parseKeys(env.CREDENTIALS_KEYS));
  // A key generated beside the database protects nothing a copy of the disk would not also hold.
  if (env.NODE_ENV === 'production') throw new Error('NODE_ENV=production needs CREDENTIALS_KEYS (generate one with `npm run keys:generate`); a development key file is not generated in production');
  if (!existsSync(devKeyFile)) {
    mkdirSync(dirname(devKeyFile), { recursive: true });
    try {
      // 'wx': API and worker start together; exactly one of them creates the key, the other reads it.
      writeFileSync(devKeyFile, `${generateKey('dev1')}\n`, { mode: 0o600, flag: 'wx' });
      warn(`CREDENTIALS_KEYS is not set: generated a development key in ${devKeyFile}. Set CREDENTIALS_KEYS in production.`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  chmodSync(devKeyFile, 0o600);
  return new CredentialCipher(parseKeys(readFileSync(devKeyFile, 'utf8')));
}
