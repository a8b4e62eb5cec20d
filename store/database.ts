/**
 * Opens the store: PostgreSQL when DATABASE_URL says so, else an embedded SQLite file under
 * .data/. One query layer (Kysely) and one set of migrations serve both.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely';
import { Pool } from 'pg';
import * as channels001 from './migrations/001-channels';
import * as imported002 from './migrations/002-imported-applications';
import * as cursors003 from './migrations/003-sync-cursors';
import * as subscriptions004 from './migrations/004-webhook-subscriptions';
import * as apiKeys005 from './migrations/005-api-keys';
import * as consentBinding006 from './migrations/006-oauth-consent-binding';
import * as importSizes007 from './migrations/007-import-sizes';
import * as channelVersion008 from './migrations/008-channel-version';
import * as oauthReturnTo009 from './migrations/009-oauth-return-to';
import type { Database } from './schema';
import { withStatementCache } from './statement-cache';
import type { Env } from '../runtime/config/environment';

const migrations: Record<string, Migration> = {
  '001-channels': channels001,
  '002-imported-applications': imported002,
  '003-sync-cursors': cursors003,
  '004-webhook-subscriptions': subscriptions004,
  '005-api-keys': apiKeys005,
  '006-oauth-consent-binding': consentBinding006,
  '007-import-sizes': importSizes007,
  '008-channel-version': channelVersion008,
  '009-oauth-return-to': oauthReturnTo009,
};

export type StoreLocation = { kind: 'postgres'; url: string } | { kind: 'sqlite'; file: string };

export function storeLocationFromEnv(defaultSqliteFile: string, env: Env): StoreLocation {
  const url = env.DATABASE_URL;
  if (url && /^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  if (url) throw new Error('DATABASE_URL must be a postgres:// URL; leave it unset for the embedded SQLite store');
  return { kind: 'sqlite', file: defaultSqliteFile };
}

export async function openDatabase(location: StoreLocation): Promise<Kysely<Database>> {
  const db = new Kysely<Database>({ dialect: dialectFor(location) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  // API and worker may migrate a new store at the same moment. PostgreSQL serialises that with an
  // advisory lock; SQLite may answer "busy" or "already exists" to the loser, whose next attempt
  // then finds the work done.
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (!error && !failed) return db;
    if (attempt >= 10) {
      await db.destroy();
      throw new Error(`store migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
}

function dialectFor(location: StoreLocation) {
  if (location.kind === 'postgres') return new PostgresDialect({ pool: new Pool({ connectionString: location.url, max: 10 }) });
  mkdirSync(dirname(location.file), { recursive: true });
  const sqlite = new SQLite(location.file);
  // API and worker share the file: WAL lets readers run beside the one writer, and a writer waits
  // for another's lock instead of failing at once.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return new SqliteDialect({ database: withStatementCache(sqlite) });
}
