/**
 * Authentication kinds an application can pick, as plain data typed over the application's
 * credentials and settings. `applyAuth` puts them on a request; it runs only inside the activity
 * that sends it, so credentials and tokens never reach a workflow.
 */
import type { OutgoingRequest } from './request';

export interface OAuthClientIdentity {
  clientId: string;
  clientSecret?: string;
}

export interface OAuthEndpoints {
  /** Identifier of the authorization server (its issuer URL, or the token URL's origin). */
  issuer: string;
  authorizationUrl?: string;
  tokenUrl: string;
}

export type Auth<Credentials, Settings = unknown> =
  | { kind: 'none' }
  | { kind: 'basic'; username: (credentials: Credentials) => string; password: (credentials: Credentials) => string }
  | { kind: 'api-key'; in: 'header' | 'query'; name: string; key: (credentials: Credentials) => string }
  | { kind: 'bearer'; token: (credentials: Credentials) => string }
  | {
      /** OAuth 2.0 authorization code with PKCE; tokens are refreshed before they expire and once more on a 401. */
      kind: 'oauth2-authorization-code';
      endpoints: (settings: Settings) => Required<OAuthEndpoints>;
      client: (credentials: Credentials) => OAuthClientIdentity;
      scopes: readonly string[];
    }
  | {
      /** OAuth 2.0 client credentials; the token is cached until shortly before it expires. */
      kind: 'oauth2-client-credentials';
      endpoints: (settings: Settings) => OAuthEndpoints;
      client: (credentials: Credentials) => OAuthClientIdentity;
      scopes: readonly string[];
    };

export type AuthKind = Auth<unknown>['kind'];
export type OAuthAuth<C, S> = Extract<Auth<C, S>, { kind: 'oauth2-authorization-code' | 'oauth2-client-credentials' }>;

export function isOAuth<C, S>(auth: Auth<C, S>): auth is OAuthAuth<C, S> {
  return auth.kind === 'oauth2-authorization-code' || auth.kind === 'oauth2-client-credentials';
}

/** `accessToken` is required for the OAuth kinds: the caller obtains it from the channel's token source. */
export function applyAuth<C, S>(auth: Auth<C, S>, request: OutgoingRequest, credentials: C, accessToken?: string): void {
  switch (auth.kind) {
    case 'none':
      return;
    case 'basic': {
      const pair = `${auth.username(credentials)}:${auth.password(credentials)}`;
      request.headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
      return;
    }
    case 'api-key':
      if (auth.in === 'header') request.headers[auth.name.toLowerCase()] = auth.key(credentials);
      else request.query[auth.name] = auth.key(credentials);
      return;
    case 'bearer':
      request.headers.authorization = `Bearer ${auth.token(credentials)}`;
      return;
    case 'oauth2-authorization-code':
    case 'oauth2-client-credentials':
      if (!accessToken) throw new Error(`${auth.kind} needs an access token`);
      request.headers.authorization = `Bearer ${accessToken}`;
      return;
  }
}
