/**
 * API keys for the management routes. A key is 256 random bits, shown once when created; only its
 * SHA-256 is kept, so a copy of the store reveals no key. Revoking deletes the row.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { SCOPES, type Scope } from '../api/auth/scope-order';
import type { Database } from './schema';
import { API_KEY_PREFIX } from './api-key-prefix';

/** last_used_at is written at most this often per key, so reads do not become writes. */
const LAST_USE_RESOLUTION_MS = 60_000;

export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
}

export interface CreatedApiKey extends ApiKeyInfo {
  /** The key itself: returned once, at creation, and never again. */
  key: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export class ApiKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(name: string, scopes: readonly Scope[]): Promise<CreatedApiKey> {
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = {
      id: `key_${randomBytes(8).toString('base64url')}`,
      name,
      key_hash: hashApiKey(key),
      scopes: JSON.stringify([...new Set(scopes)]),
      created_at: new Date().toISOString(),
      last_used_at: null,
    };
    await this.db.insertInto('api_keys').values(row).execute();
    return { ...info(row), key };
  }

  async list(): Promise<ApiKeyInfo[]> {
    const rows = await this.db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(info);
  }

  async count(): Promise<number> {
    const { count } = await this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<string | number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(count);
  }

  /** True when a key was revoked, false when there was none with that id. */
  async revoke(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('api_keys').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** The key's record when it exists, its last use noted; undefined for an unknown or revoked key. */
  async authenticate(key: string): Promise<ApiKeyInfo | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hashApiKey(key)).executeTakeFirst();
    if (!row) return undefined;
    const now = new Date();
    if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= LAST_USE_RESOLUTION_MS) {
      row.last_used_at = now.toISOString();
      await this.db.updateTable('api_keys').set({ last_used_at: row.last_used_at }).where('id', '=', row.id).execute();
    }
    return info(row);
  }
}

function info(row: Database['api_keys']): ApiKeyInfo {
  const scopes = (JSON.parse(row.scopes) as string[]).filter((scope): scope is Scope => (SCOPES as readonly string[]).includes(scope));
  return { id: row.id, name: row.name, scopes, createdAt: row.created_at, lastUsedAt: row.last_used_at };
}
