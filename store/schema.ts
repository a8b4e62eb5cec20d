/**
 * The tables of our own store: configuration (channels, encrypted credentials, OAuth state) and
 * the one piece of sync state that must outlive any run and Temporal's retention: each polling
 * flow's cursor per channel. Everything else about runs lives in Temporal. Portable types: text for JSON and timestamps (ISO 8601, UTC),
 * integer 0/1 for flags, so SQLite and PostgreSQL share one schema and one query layer.
 */
import type { Generated } from 'kysely';

export interface ChannelsTable {
  id: string;
  application: string;
  name: string;
  /** JSON of the application's settings schema output. */
  settings: string;
  /** Sealed (AES-256-GCM) JSON of the application's credentials. */
  credentials: string;
  enabled: number;
  auth_status: string;
  created_at: string;
  updated_at: string;
}

export interface OAuthStatesTable {
  state: string;
  channel_id: string;
  /** Sealed PKCE code verifier. */
  code_verifier: string;
  redirect_uri: string;
  expires_at: string;
}

export interface ChannelTokensTable {
  channel_id: string;
  /** Sealed JSON: access token, refresh token, token type, scope. */
  tokens: string;
  expires_at: string | null;
  /** A refresh in progress elsewhere holds this until it finishes (or the time passes). */
  refreshing_until: string | null;
  version: Generated<number>;
}

export interface ImportedApplicationsTable {
  slug: string;
  version: number;
  /** SHA-256 of the canonical document: the same document imported again is the same version. */
  document_hash: string;
  /** JSON of the ImportedSpec. */
  spec: string;
  created_at: string;
}

export interface SyncCursorsTable {
  channel_id: string;
  flow: string;
  /** The remote's position after the last processed record: opaque to us (timestamp, id or sync token). */
  cursor: string;
  updated_at: string;
}

export interface WebhookSubscriptionsTable {
  channel_id: string;
  path: string;
  remote_id: string;
  url: string;
  created_at: string;
}

export interface Database {
  webhook_subscriptions: WebhookSubscriptionsTable;
  sync_cursors: SyncCursorsTable;
  imported_applications: ImportedApplicationsTable;
  channels: ChannelsTable;
  oauth_states: OAuthStatesTable;
  channel_tokens: ChannelTokensTable;
}
