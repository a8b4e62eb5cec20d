import type { Kysely } from 'kysely';

/**
 * A pending authorization now carries what it was started with (the authorization server's
 * endpoints and the client id), so the callback cannot be redirected by a settings change, and
 * the hash of a nonce kept in the consenting browser's cookie, so only that browser completes it.
 * Pending rows live ten minutes and cannot be completed without those columns: the table is
 * recreated rather than altered (SQLite cannot add NOT NULL columns without defaults).
 * Connect links are the single-use URLs a management call hands out to start a consent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oauth_states').execute();
  await db.schema
    .createTable('oauth_states')
    .addColumn('state', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('endpoints', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('browser_binding', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oauth_states_channel').on('oauth_states').column('channel_id').execute();

  await db.schema
    .createTable('oauth_connect_links')
    // SHA-256 of the link's token: the token itself is only in the URL handed out.
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    // Kept after use (until it has long expired), so a second opening can be told "already used".
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('oauth_connect_links_channel').on('oauth_connect_links').column('channel_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oauth_connect_links').execute();
  await db.schema.dropTable('oauth_states').execute();
  await db.schema
    .createTable('oauth_states')
    .addColumn('state', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}
