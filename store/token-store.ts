/**
 * OAuth tokens and authorization state of channels. Tokens are sealed like credentials. A refresh
 * is guarded by a compare-and-set on the row (version + refreshing_until), which works the same on
 * SQLite and PostgreSQL and across processes: of several activities that find a token expired,
 * one refreshes and the others wait for its result.
 */
import type { Kysely } from 'kysely';
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
}

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

  /** Stores new tokens, ends any renewal claim and moves the version on. */
  async save(channelId: string, tokens: OAuthTokens, expiresAt: Date | undefined): Promise<void> {
    const sealed = this.cipher.seal(JSON.stringify(tokens), channelId);
    const expires = expiresAt?.toISOString() ?? null;
    await this.db
      .insertInto('channel_tokens')
      .values({ channel_id: channelId, tokens: sealed, expires_at: expires, refreshing_until: null, version: 1 })
      .onConflict((oc) => oc.column('channel_id').doUpdateSet((eb) => ({ tokens: sealed, expires_at: expires, refreshing_until: null, version: eb('channel_tokens.version', '+', 1) })))
      .execute();
  }

  async releaseClaim(channelId: string): Promise<void> {
    await this.db.updateTable('channel_tokens').set({ refreshing_until: null }).where('channel_id', '=', channelId).execute();
  }

  /** Forgets the tokens (a rejected refresh token): the version moves on so waiters stop waiting. */
  async clear(channelId: string): Promise<void> {
    await this.db
      .updateTable('channel_tokens')
      .set((eb) => ({ tokens: this.cipher.seal('{}', channelId), expires_at: null, refreshing_until: null, version: eb('version', '+', 1) }))
      .where('channel_id', '=', channelId)
      .execute();
  }

  async savePendingAuthorization(state: string, pending: PendingAuthorization, expiresAt: Date): Promise<void> {
    await this.db
      .insertInto('oauth_states')
      .values({ state, channel_id: pending.channelId, code_verifier: this.cipher.seal(pending.codeVerifier, state), redirect_uri: pending.redirectUri, expires_at: expiresAt.toISOString() })
      .execute();
  }

  /** Single use: the state is deleted as it is read; an expired one is as good as unknown. */
  async takePendingAuthorization(state: string, now = new Date()): Promise<PendingAuthorization | undefined> {
    const row = await this.db.deleteFrom('oauth_states').where('state', '=', state).returningAll().executeTakeFirst();
    await this.db.deleteFrom('oauth_states').where('expires_at', '<', now.toISOString()).execute();
    if (!row || row.expires_at < now.toISOString()) return undefined;
    return { channelId: row.channel_id, codeVerifier: this.cipher.open(row.code_verifier, state), redirectUri: row.redirect_uri };
  }
}
