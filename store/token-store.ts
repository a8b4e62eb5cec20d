/**
 * OAuth tokens and authorization state of channels. Tokens are sealed like credentials. A refresh
 * is guarded by a compare-and-set on the row (version + refreshing_until), which works the same on
 * SQLite and PostgreSQL and across processes: of several activities that find a token expired,
 * one refreshes and the others wait for its result.
 *
 * A consent is started from a single-use connect link and completes only in the browser that
 * opened it: the link's token and the browser's nonce are kept as SHA-256 hashes, so the store
 * alone completes nothing.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { OAuthEndpoints } from '../applications/framework/auth';
import type { CredentialCipher } from './credential-cipher';
import type { Database } from './schema';

export interface OAuthTokens {
  accessToken: string;
  refreshToken?: string;
  tokenType?: string;
  scope?: string;
}

export interface TokenRecord {
  tokens: OAuthTokens | undefined;
  expiresAt: Date | undefined;
  version: number;
  refreshing: boolean;
}

export interface PendingAuthorization {
  channelId: string;
  codeVerifier: string;
  redirectUri: string;
  /** The authorization server the consent went to: the code is exchanged there and nowhere else. */
  endpoints: Required<OAuthEndpoints>;
  clientId: string;
  /** The console path the browser goes to once the consent succeeded (from the connect link); null: the page. */
  returnTo: string | null;
}

/** Why a pending authorization cannot be completed by this caller. */
export type PendingRefusal = 'unknown' | 'other-browser';

/** Why a connect link does not start a consent. */
export type ConnectLinkRefusal = 'unknown' | 'used' | 'expired';

/** A connect link's channel, and the console path its consent ends on (null: none was given). */
export interface ConnectLinkTarget {
  channelId: string;
  returnTo: string | null;
}

/** Used connect links are kept this long after they expire, to answer "already used" rather than "unknown". */
const USED_LINK_MEMORY_MS = 24 * 60 * 60_000;

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export class TokenStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: CredentialCipher,
  ) {}

  async read(channelId: string, now = new Date()): Promise<TokenRecord | undefined> {
    const row = await this.db.selectFrom('channel_tokens').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
    if (!row) return undefined;
    const tokens = JSON.parse(this.cipher.open(row.tokens, channelId)) as Partial<OAuthTokens>;
    return {
      tokens: tokens.accessToken ? (tokens as OAuthTokens) : undefined,
      expiresAt: row.expires_at ? new Date(row.expires_at) : undefined,
      version: Number(row.version),
      refreshing: row.refreshing_until !== null && row.refreshing_until > now.toISOString(),
    };
  }

  /**
   * Takes the right to renew the channel's token, if nobody renewed it since `seenVersion` and
   * nobody is renewing it now. The claim lapses after `holdMs`, so a crashed holder blocks no one.
   */
  async tryClaimRenewal(channelId: string, seenVersion: number, holdMs: number, now = new Date()): Promise<boolean> {
    await this.db
      .insertInto('channel_tokens')
      .values({ channel_id: channelId, tokens: this.cipher.seal('{}', channelId), expires_at: null, refreshing_until: null, version: 0 })
      .onConflict((oc) => oc.column('channel_id').doNothing())
      .execute();
    const result = await this.db
      .updateTable('channel_tokens')
      .set({ refreshing_until: new Date(now.getTime() + holdMs).toISOString() })
      .where('channel_id', '=', channelId)
      .where('version', '=', seenVersion)
      .where((eb) => eb.or([eb('refreshing_until', 'is', null), eb('refreshing_until', '<', now.toISOString())]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Stores new tokens, ends any renewal claim and moves the version on. A renewal names the version
   * it claimed (`renewedFrom`) and is refused (false) when the tokens were forgotten or replaced
   * meanwhile: a renewal begun before the channel moved would otherwise bring back the old
   * authorization server's tokens, to be sent to the new origin.
   */
  async save(channelId: string, tokens: OAuthTokens, expiresAt: Date | undefined, renewedFrom?: number): Promise<boolean> {
    const sealed = this.cipher.seal(JSON.stringify(tokens), channelId);
    const expires = expiresAt?.toISOString() ?? null;
    if (renewedFrom !== undefined) {
      const result = await this.db
        .updateTable('channel_tokens')
        .set((eb) => ({ tokens: sealed, expires_at: expires, refreshing_until: null, version: eb('version', '+', 1) }))
        .where('channel_id', '=', channelId)
        .where('version', '=', renewedFrom)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    }
    await this.db
      .insertInto('channel_tokens')
      .values({ channel_id: channelId, tokens: sealed, expires_at: expires, refreshing_until: null, version: 1 })
      .onConflict((oc) => oc.column('channel_id').doUpdateSet((eb) => ({ tokens: sealed, expires_at: expires, refreshing_until: null, version: eb('channel_tokens.version', '+', 1) })))
      .execute();
    return true;
  }

  async releaseClaim(channelId: string): Promise<void> {
    await this.db.updateTable('channel_tokens').set({ refreshing_until: null }).where('channel_id', '=', channelId).execute();
  }

  /** Forgets the tokens (a rejected refresh token): the version moves on so waiters stop waiting. */
  async clear(channelId: string, db: Kysely<Database> = this.db): Promise<void> {
    await db
      .updateTable('channel_tokens')
      .set((eb) => ({ tokens: this.cipher.seal('{}', channelId), expires_at: null, refreshing_until: null, version: eb('version', '+', 1) }))
      .where('channel_id', '=', channelId)
      .execute();
  }

  /**
   * Everything OAuth of the channel starts over: tokens, pending consents and connect links. Used
   * when the channel moves to another origin: its tokens were granted for the old one. `db` is the
   * transaction that moves the channel, so nobody reads the new settings beside the old tokens.
   */
  async forgetAuthorizations(channelId: string, db: Kysely<Database> = this.db): Promise<void> {
    await this.clear(channelId, db);
    await db.deleteFrom('oauth_states').where('channel_id', '=', channelId).execute();
    await db.deleteFrom('oauth_connect_links').where('channel_id', '=', channelId).execute();
  }

  /** `browserNonce` is the value of the cookie the consenting browser holds; only its hash is stored. */
  async savePendingAuthorization(state: string, pending: PendingAuthorization, browserNonce: string, expiresAt: Date): Promise<void> {
    await this.db
      .insertInto('oauth_states')
      .values({
        state,
        channel_id: pending.channelId,
        code_verifier: this.cipher.seal(pending.codeVerifier, state),
        redirect_uri: pending.redirectUri,
        endpoints: JSON.stringify(pending.endpoints),
        client_id: pending.clientId,
        browser_binding: sha256(browserNonce),
        expires_at: expiresAt.toISOString(),
        return_to: pending.returnTo,
      })
      .execute();
  }

  /**
   * Single use, and only for the browser that started it: the state is deleted as it is read, if
   * `browserNonce` matches. A mismatch leaves it in place, so a stranger cannot spoil the owner's
   * consent by presenting its state first. An expired state is as good as unknown.
   */
  async takePendingAuthorization(state: string, browserNonce: string | undefined, now = new Date()): Promise<{ pending: PendingAuthorization } | { refused: PendingRefusal }> {
    await this.db.deleteFrom('oauth_states').where('expires_at', '<', now.toISOString()).execute();
    const row = browserNonce ? await this.db.deleteFrom('oauth_states').where('state', '=', state).where('browser_binding', '=', sha256(browserNonce)).returningAll().executeTakeFirst() : undefined;
    if (!row) {
      const exists = await this.db.selectFrom('oauth_states').select('state').where('state', '=', state).executeTakeFirst();
      return { refused: exists ? 'other-browser' : 'unknown' };
    }
    if (row.expires_at < now.toISOString()) return { refused: 'unknown' };
    return {
      pending: {
        channelId: row.channel_id,
        codeVerifier: this.cipher.open(row.code_verifier, state),
        redirectUri: row.redirect_uri,
        endpoints: JSON.parse(row.endpoints) as Required<OAuthEndpoints>,
        clientId: row.client_id,
        returnTo: row.return_to ?? null,
      },
    };
  }

  /** Stores a connect link's token (hashed) for the channel, with the console path its consent ends on. */
  async saveConnectLink(token: string, channelId: string, expiresAt: Date, options: { returnTo?: string | null; now?: Date } = {}): Promise<void> {
    const now = options.now ?? new Date();
    await this.db
      .deleteFrom('oauth_connect_links')
      .where('expires_at', '<', new Date(now.getTime() - USED_LINK_MEMORY_MS).toISOString())
      .execute();
    await this.db
      .insertInto('oauth_connect_links')
      .values({ token_hash: sha256(token), channel_id: channelId, created_at: now.toISOString(), expires_at: expiresAt.toISOString(), used_at: null, return_to: options.returnTo ?? null })
      .execute();
  }

  /**
   * Marks the link used, once: of two openings at the same moment, one gets the channel. A used or
   * expired link still tells its console path, so the page saying why can lead back there.
   */
  async useConnectLink(token: string, now = new Date()): Promise<ConnectLinkTarget | { refused: ConnectLinkRefusal; returnTo: string | null }> {
    const hash = sha256(token);
    const used = await this.db
      .updateTable('oauth_connect_links')
      .set({ used_at: now.toISOString() })
      .where('token_hash', '=', hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .returning(['channel_id', 'return_to'])
      .executeTakeFirst();
    if (used) return { channelId: used.channel_id, returnTo: used.return_to ?? null };
    const row = await this.db.selectFrom('oauth_connect_links').select(['used_at', 'expires_at', 'return_to']).where('token_hash', '=', hash).executeTakeFirst();
    if (!row) return { refused: 'unknown', returnTo: null };
    return { refused: row.used_at ? 'used' : 'expired', returnTo: row.return_to ?? null };
  }
}
