/**
 * Opens the configuration store the way every process does: PostgreSQL when DATABASE_URL is set,
 * else `.data/engine.sqlite`; credentials keys from CREDENTIALS_KEYS, else a development key file.
 */
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { ChannelStore } from './channel-store';
import { TokenStore } from './token-store';
import { cipherFromEnv, type CredentialCipher } from './credential-cipher';
import { openDatabase, storeLocationFromEnv } from './database';
import type { Database } from './schema';

export interface Store {
  db: Kysely<Database>;
  cipher: CredentialCipher;
  channels: ChannelStore;
  tokens: TokenStore;
  close(): Promise<void>;
}

export async function openStore(dataDir: string, warn: (line: string) => void = console.warn, env: NodeJS.ProcessEnv = process.env): Promise<Store> {
  const cipher = cipherFromEnv(join(dataDir, 'credentials.keys'), warn, env);
  const db = await openDatabase(storeLocationFromEnv(join(dataDir, 'engine.sqlite'), env));
  return { db, cipher, channels: new ChannelStore(db, cipher), tokens: new TokenStore(db, cipher), close: () => db.destroy() };
}
