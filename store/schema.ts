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
  /** Moves on with every write: updates compare-and-set against the version they read. */
  version: Generated<number>;
}

export interface OAuthStatesTable {
  state: string;
  channel_id: string;
  /** Sealed PKCE code verifier. */
  code_verifier: string;
  redirect_uri: string;
  /** JSON of the authorization server's endpoints the consent was started with (the code goes only there). */
  endpoints: string;
  client_id: string;
  /** SHA-256 (hex) of the nonce in the consenting browser's cookie. */
  browser_binding: string;
  expires_at: string;
  /** Where the browser goes once the consent succeeded (a console path), from the connect link; null: the page. */
  return_to: string | null;
}

export interface OAuthConnectLinksTable {
  /** SHA-256 (hex) of the link's token. */
  token_hash: string;
  channel_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** A console path (`/console/…`) the consent ends on, as `POST /channels/:id/oauth/connect` was given it; null: none. */
  return_to: string | null;
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
  /** Size of the document imported (UTF-8 bytes; an object as JSON): the daily import cap counts it. */
  document_bytes: number;
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

export interface ApiKeysTable {
  id: string;
  name: string;
  /** SHA-256 (hex) of the key; the key itself is shown once and never stored. */
  key_hash: string;
  /** JSON array of scopes. */
  scopes: string;
  created_at: string;
  last_used_at: string | null;
}

export interface Database {
  api_keys: ApiKeysTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  sync_cursors: SyncCursorsTable;
  imported_applications: ImportedApplicationsTable;
  channels: ChannelsTable;
  oauth_states: OAuthStatesTable;
  oauth_connect_links: OAuthConnectLinksTable;
  channel_tokens: ChannelTokensTable;
}
