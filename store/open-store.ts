/**
 * Opens the configuration store the way every process does: PostgreSQL when DATABASE_URL is set,
 * else `.data/engine.sqlite`; credentials keys from CREDENTIALS_KEYS, else a development key file.
 */
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { ApiKeyStore } from './api-key-store';
import { ChannelStore } from './channel-store';
import { TokenStore } from './token-store';
import { ImportedApplicationStore } from './imported-application-store';
import { SyncCursorStore } from './sync-cursor-store';
import { WebhookSubscriptionStore } from './webhook-subscription-store';
import { cipherFromEnv, type CredentialCipher } from './credential-cipher';
import { openDatabase, storeLocationFromEnv, type StoreLocation } from './database';
import type { Database } from './schema';
import type { Env } from '../runtime/config/environment';

export interface Store {
  db: Kysely<Database>;
  cipher: CredentialCipher;
  channels: ChannelStore;
  tokens: TokenStore;
  imported: ImportedApplicationStore;
  cursors: SyncCursorStore;
  subscriptions: WebhookSubscriptionStore;
  apiKeys: ApiKeyStore;
  /** Another connection to the same store, as another process would have. */
  reopen(): Promise<Store>;
  close(): Promise<void>;
}

export async function openStore(dataDir: string, warn: (line: string) => void, env: Env): Promise<Store> {
  const cipher = cipherFromEnv(join(dataDir, 'credentials.keys'), warn, env);
  return connect(storeLocationFromEnv(join(dataDir, 'engine.sqlite'), env), cipher);
}

async function connect(location: StoreLocation, cipher: CredentialCipher): Promise<Store> {
  const db = await openDatabase(location);
  return {
    db,
    cipher,
    channels: new ChannelStore(db, cipher),
    tokens: new TokenStore(db, cipher),
    imported: new ImportedApplicationStore(db),
    cursors: new SyncCursorStore(db),
    subscriptions: new WebhookSubscriptionStore(db),
    apiKeys: new ApiKeyStore(db),
    reopen: () => connect(location, cipher),
    close: () => db.destroy(),
  };
}
