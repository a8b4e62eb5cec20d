/**
 * The OAuth 2.0 protocol steps the engine needs, done by oauth4webapi (not by hand): the
 * authorization URL with PKCE, the code exchange, refresh, and client credentials.
 */
import * as oauth from 'oauth4webapi';
import type { OAuthClientIdentity, OAuthEndpoints } from '../../applications/framework/auth';
import type { OAuthTokens } from '../../store/token-store';
import { egressFetch } from './egress-fetch';

export interface TokenGrant {
  tokens: OAuthTokens;
  expiresAt: Date | undefined;
}

/** The authorization server refused a grant (e.g. `invalid_grant` for a revoked refresh token). */
export class GrantRejectedError extends Error {
  constructor(
    readonly error: string,
    description: string | undefined,
  ) {
    super(`the authorization server rejected the grant: ${error}${description ? ` (${description})` : ''}`);
  }
}

function server(endpoints: OAuthEndpoints): oauth.AuthorizationServer {
  return { issuer: endpoints.issuer, token_endpoint: endpoints.tokenUrl, authorization_endpoint: endpoints.authorizationUrl };
}

function clientAuth(identity: OAuthClientIdentity): oauth.ClientAuth {
  return identity.clientSecret ? oauth.ClientSecretPost(identity.clientSecret) : oauth.None();
}

const transport = egressFetch();

/**
 * Every protocol call goes through the engine's HTTP layer (egress policy, size cap). oauth4webapi
 * refuses plain HTTP unless told; we allow it only for loopback servers (local development, tests).
 */
function transportOptions(endpoints: OAuthEndpoints): { [oauth.allowInsecureRequests]?: boolean; [oauth.customFetch]: typeof transport } {
  const url = new URL(endpoints.tokenUrl);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  return url.protocol === 'http:' && loopback ? { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: transport } : { [oauth.customFetch]: transport };
}

function toGrant(response: oauth.TokenEndpointResponse, previous?: OAuthTokens): TokenGrant {
  return {
    tokens: {
      accessToken: response.access_token,
      // A refresh response may omit the refresh token: the old one stays valid then.
      refreshToken: response.refresh_token ?? previous?.refreshToken,
      tokenType: response.token_type,
      scope: response.scope ?? previous?.scope,
    },
    expiresAt: response.expires_in !== undefined ? new Date(Date.now() + response.expires_in * 1000) : undefined,
  };
}

async function grant<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError) throw new GrantRejectedError(err.error, err.error_description);
    throw err;
  }
}

export async function authorizationRequest(
  endpoints: Required<OAuthEndpoints>,
  identity: OAuthClientIdentity,
  scopes: readonly string[],
  redirectUri: string,
): Promise<{ url: URL; state: string; codeVerifier: string }> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(endpoints.authorizationUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', identity.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  if (scopes.length) url.searchParams.set('scope', scopes.join(' '));
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return { url, state, codeVerifier };
}

export async function exchangeCode(
  endpoints: Required<OAuthEndpoints>,
  identity: OAuthClientIdentity,
  callback: URLSearchParams,
  state: string,
  redirectUri: string,
  codeVerifier: string,
): Promise<TokenGrant> {
  const as = server(endpoints);
  const client: oauth.Client = { client_id: identity.clientId };
  return grant(async () => {
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth(identity), params, redirectUri, codeVerifier, transportOptions(endpoints));
    return toGrant(await oauth.processAuthorizationCodeResponse(as, client, response));
  });
}

export async function refresh(endpoints: OAuthEndpoints, identity: OAuthClientIdentity, current: OAuthTokens & { refreshToken: string }): Promise<TokenGrant> {
  const as = server(endpoints);
  const client: oauth.Client = { client_id: identity.clientId };
  return grant(async () => {
    const response = await oauth.refreshTokenGrantRequest(as, client, clientAuth(identity), current.refreshToken, transportOptions(endpoints));
    return toGrant(await oauth.processRefreshTokenResponse(as, client, response), current);
  });
}

export async function clientCredentials(endpoints: OAuthEndpoints, identity: OAuthClientIdentity, scopes: readonly string[]): Promise<TokenGrant> {
  const as = server(endpoints);
  const client: oauth.Client = { client_id: identity.clientId };
  return grant(async () => {
    const parameters = new URLSearchParams(scopes.length ? { scope: scopes.join(' ') } : {});
    const response = await oauth.clientCredentialsGrantRequest(as, client, clientAuth(identity), parameters, transportOptions(endpoints));
    return toGrant(await oauth.processClientCredentialsResponse(as, client, response));
  });
}
