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
type Transport = typeof transport;

/** How a vendor's token answers differ from RFC 6749 (see `tokenResponse` in applications/framework/auth.ts). */
export interface TokenResponseVariations {
  tokenResponse?: (body: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * The vendor's token answer made standard before oauth4webapi checks it. A normalized body that
 * carries an `error` and no `access_token` is an error answer whatever its status (Slack answers
 * 200 with `ok: false`), so it is rejected as a grant error, not taken for a token.
 */
function normalizing(fetch: Transport, normalize: TokenResponseVariations['tokenResponse']): Transport {
  if (!normalize) return fetch;
  return async (url, options) => {
    const response = await fetch(url, options);
    const text = await response.text();
    const parsed = parseJson(text);
    if (parsed === undefined) return new Response(text, { status: response.status, headers: response.headers });
    const body = normalize(parsed);
    const failed = typeof body.error === 'string' && body.access_token === undefined;
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.set('content-type', 'application/json');
    return new Response(JSON.stringify(body), { status: failed && response.ok ? 400 : response.status, headers });
  };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every protocol call goes through the engine's HTTP layer (egress policy, size cap). oauth4webapi
 * refuses plain HTTP unless told; we allow it only for loopback servers (local development, tests).
 */
function transportOptions(endpoints: OAuthEndpoints, variations: TokenResponseVariations = {}): { [oauth.allowInsecureRequests]?: boolean; [oauth.customFetch]: Transport } {
  const url = new URL(endpoints.tokenUrl);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  const fetch = normalizing(transport, variations.tokenResponse);
  return url.protocol === 'http:' && loopback ? { [oauth.allowInsecureRequests]: true, [oauth.customFetch]: fetch } : { [oauth.customFetch]: fetch };
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
  extraParams: Readonly<Record<string, string>> = {},
  scopeSeparator = ' ',
): Promise<{ url: URL; state: string; codeVerifier: string }> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(endpoints.authorizationUrl);
  // The vendor's extras first, so they cannot replace the parameters the protocol's safety rests on.
  for (const [name, value] of Object.entries(extraParams)) url.searchParams.set(name, value);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', identity.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  if (scopes.length) url.searchParams.set('scope', scopes.join(scopeSeparator));
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
  variations: TokenResponseVariations = {},
): Promise<TokenGrant> {
  const as = server(endpoints);
  const client: oauth.Client = { client_id: identity.clientId };
  return grant(async () => {
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth(identity), params, redirectUri, codeVerifier, transportOptions(endpoints, variations));
    return toGrant(await oauth.processAuthorizationCodeResponse(as, client, response));
  });
}

export async function refresh(
  endpoints: OAuthEndpoints,
  identity: OAuthClientIdentity,
  current: OAuthTokens & { refreshToken: string },
  variations: TokenResponseVariations = {},
): Promise<TokenGrant> {
  const as = server(endpoints);
  const client: oauth.Client = { client_id: identity.clientId };
  return grant(async () => {
    const response = await oauth.refreshTokenGrantRequest(as, client, clientAuth(identity), current.refreshToken, transportOptions(endpoints, variations));
    return toGrant(await oauth.processRefreshTokenResponse(as, client, response), current);
  });
}

export async function clientCredentials(endpoints: OAuthEndpoints, identity: OAuthClientIdentity, scopes: readonly string[], variations: TokenResponseVariations = {}): Promise<TokenGrant> {
  const as = server(endpoints);
  const client: oauth.Client = { client_id: identity.clientId };
  return grant(async () => {
    const parameters = new URLSearchParams(scopes.length ? { scope: scopes.join(' ') } : {});
    const response = await oauth.clientCredentialsGrantRequest(as, client, clientAuth(identity), parameters, transportOptions(endpoints, variations));
    return toGrant(await oauth.processClientCredentialsResponse(as, client, response));
  });
}
