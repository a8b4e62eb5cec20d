/**
 * Access tokens of one channel, for the connectors that call its service. Tokens are renewed a
 * minute before they expire and once more when the service answers 401. Renewal is claimed in
 * the store, so concurrent activities (in any worker process) cause one renewal, not several.
 * A refresh token the provider rejects marks the channel as needing re-authorization instead of
 * retrying forever.
 */
import type { OAuthAuth } from '../../applications/framework/auth';
import { NonRetryableConnectorError, RetryableConnectorError } from '../../connectors/framework/errors';
import { HttpLayerError } from '../../connectors/framework/http/client';
import type { TokenRecord, TokenStore } from '../../store/token-store';
import { clientCredentials, GrantRejectedError, refresh, type TokenGrant } from './oauth-protocol';

const RENEW_BEFORE_EXPIRY_MS = 60_000;
const CLAIM_HOLD_MS = 30_000;
const WAIT_FOR_OTHER_RENEWAL_MS = 20_000;
const POLL_MS = 100;

export interface AccessTokenSource {
  get(): Promise<string>;
  /** The service refused `rejected`: renew it (once), unless someone already did. */
  afterUnauthorized(rejected: string): Promise<string>;
}

export interface TokenSourceOptions {
  connector: string;
  channelId: string;
  auth: OAuthAuth<unknown, unknown>;
  settings: unknown;
  credentials: unknown;
  tokens: TokenStore;
  /** Called when the provider rejected the refresh token: the user must authorize again. */
  onReauthorizationRequired: () => Promise<void>;
}

export function createTokenSource(options: TokenSourceOptions): AccessTokenSource {
  const { tokens, channelId, connector } = options;
  const fresh = (record: TokenRecord | undefined): string | undefined =>
    record?.tokens && (!record.expiresAt || record.expiresAt.getTime() - Date.now() > RENEW_BEFORE_EXPIRY_MS) ? record.tokens.accessToken : undefined;

  async function obtain(record: TokenRecord | undefined): Promise<TokenGrant> {
    const endpoints = options.auth.endpoints(options.settings);
    const identity = options.auth.client(options.credentials);
    try {
      if (options.auth.kind === 'oauth2-client-credentials') return await clientCredentials(endpoints, identity, options.auth.scopes, options.auth);
      const refreshToken = record?.tokens?.refreshToken;
      if (!refreshToken) {
        throw new NonRetryableConnectorError(connector, `channel ${channelId} is not authorized: connect it through POST /channels/${channelId}/oauth/connect`, 'AuthorizationRequired');
      }
      return await refresh(endpoints, identity, { ...record.tokens!, refreshToken }, options.auth);
    } catch (err) {
      if (err instanceof GrantRejectedError && options.auth.kind === 'oauth2-authorization-code' && err.error === 'invalid_grant') {
        await tokens.clear(channelId);
        await options.onReauthorizationRequired();
        throw new NonRetryableConnectorError(connector, `channel ${channelId} needs re-authorization: ${err.message}`, 'ReauthorizationRequired');
      }
      if (err instanceof GrantRejectedError) throw new NonRetryableConnectorError(connector, `token request failed: ${err.message}`, 'TokenRequestRejected');
      // Refused by the egress policy, too large, a redirect: final, like a refused API call.
      if (err instanceof HttpLayerError) throw new NonRetryableConnectorError(connector, `token request failed: ${err.message}`, err.reason);
      if (err instanceof NonRetryableConnectorError) throw err;
      throw new RetryableConnectorError(connector, `token request failed: ${(err as Error).message}`, 'TokenRequestFailed');
    }
  }

  async function renew(seen: TokenRecord | undefined): Promise<string> {
    const seenVersion = seen?.version ?? 0;
    if (await tokens.tryClaimRenewal(channelId, seenVersion, CLAIM_HOLD_MS)) {
      try {
        const granted = await obtain(seen);
        if (await tokens.save(channelId, granted.tokens, granted.expiresAt, seenVersion)) return granted.tokens.accessToken;
      } catch (err) {
        await tokens.releaseClaim(channelId);
        throw err;
      }
      // The tokens were forgotten (the channel moved) or replaced while we renewed: ours may be the
      // old server's. A retry reads the channel, and its settings, again.
      throw new RetryableConnectorError(connector, `the authorization of channel ${channelId} changed during the token renewal`, 'TokenRenewalSuperseded');
    }
    // Someone else renews: wait for their result instead of asking the provider again.
    const deadline = Date.now() + WAIT_FOR_OTHER_RENEWAL_MS;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const current = await tokens.read(channelId);
      if (current && current.version !== seenVersion && !current.refreshing) {
        if (current.tokens) return current.tokens.accessToken;
        throw new NonRetryableConnectorError(connector, `channel ${channelId} needs re-authorization`, 'ReauthorizationRequired');
      }
      if (current && !current.refreshing && current.version === seenVersion) return renew(current); // the other renewal gave up
    }
    throw new RetryableConnectorError(connector, `waited ${WAIT_FOR_OTHER_RENEWAL_MS} ms for another token renewal`, 'TokenRenewalBusy');
  }

  return {
    async get() {
      const record = await tokens.read(channelId);
      return fresh(record) ?? renew(record);
    },
    async afterUnauthorized(rejected) {
      const record = await tokens.read(channelId);
      if (record?.tokens && record.tokens.accessToken !== rejected && !record.refreshing) return record.tokens.accessToken;
      return renew(record);
    },
  };
}
