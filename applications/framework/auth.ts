/**
 * Authentication kinds an application can pick, as plain data typed over the application's
 * credentials and settings. `applyAuth` puts them on a request; it runs only inside the activity
 * that sends it, so credentials and tokens never reach a workflow.
 *
 * Many vendors offer several ways in (HubSpot: OAuth or a private-app token; GitHub: a token, an
 * OAuth app or an App installation): `oneOf` lists them, and each channel's credentials choose.
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

/** What a vendor does differently from RFC 6749, declared instead of coded around. */
interface OAuthVariations {
  /**
   * Where the access token goes on each request: `Authorization: Bearer …` unless the vendor
   * wants its own header (Shopify: `{ name: 'x-shopify-access-token' }`, no scheme).
   */
  tokenHeader?: { name: string; scheme?: string };
  /**
   * The vendor's token answer made standard before it is checked (Slack's `ok: false` and
   * `token_type: "bot"`, Shopify's answer without `token_type`). Gets and returns the JSON body.
   */
  tokenResponse?: (body: Record<string, unknown>) => Record<string, unknown>;
}

export type AuthMethod<Credentials, Settings = unknown> =
  | { kind: 'none' }
  | { kind: 'basic'; username: (credentials: Credentials) => string; password: (credentials: Credentials) => string }
  | { kind: 'api-key'; in: 'header' | 'query'; name: string; key: (credentials: Credentials) => string }
  | { kind: 'bearer'; token: (credentials: Credentials) => string }
  | ({
      /** OAuth 2.0 authorization code with PKCE; tokens are refreshed before they expire and once more on a 401. */
      kind: 'oauth2-authorization-code';
      endpoints: (settings: Settings) => Required<OAuthEndpoints>;
      client: (credentials: Credentials) => OAuthClientIdentity;
      scopes: readonly string[];
      /** Extra query parameters of the authorization URL (Google: `access_type=offline`, `prompt=consent`). */
      authorizationParams?: Readonly<Record<string, string>>;
      /** How `scope` joins the scopes: a space as RFC 6749 says, unless the vendor reads another (Slack: `,`). */
      scopeSeparator?: string;
    } & OAuthVariations)
  | ({
      /** OAuth 2.0 client credentials; the token is cached until shortly before it expires. */
      kind: 'oauth2-client-credentials';
      endpoints: (settings: Settings) => OAuthEndpoints;
      client: (credentials: Credentials) => OAuthClientIdentity;
      scopes: readonly string[];
    } & OAuthVariations);

/** Several methods; `choose` picks the one a channel's credentials are for. */
export interface AuthChoice<Credentials, Settings = unknown> {
  kind: 'one-of';
  methods: readonly AuthMethod<Credentials, Settings>[];
  choose: (credentials: Credentials) => AuthMethod<Credentials, Settings>;
}

export type Auth<Credentials, Settings = unknown> = AuthMethod<Credentials, Settings> | AuthChoice<Credentials, Settings>;

export type AuthKind = AuthMethod<unknown>['kind'];
export type OAuthAuth<C, S> = Extract<AuthMethod<C, S>, { kind: 'oauth2-authorization-code' | 'oauth2-client-credentials' }>;

/**
 * An application that offers several methods. The credentials schema should say which fields
 * go together (a union, or a refinement as GitHub's does), so `choose` sees a valid combination.
 */
export function oneOf<C, S>(methods: readonly AuthMethod<C, S>[], choose: (credentials: C) => AuthMethod<C, S>): AuthChoice<C, S> {
  if (methods.length < 2) throw new Error('oneOf needs at least two auth methods');
  return { kind: 'one-of', methods, choose };
}

/** The method a channel with these credentials uses. */
export function authFor<C, S>(auth: Auth<C, S>, credentials: C): AuthMethod<C, S> {
  if (auth.kind !== 'one-of') return auth;
  const method = auth.choose(credentials);
  // `choose` must answer with one of the declared methods: what is declared is what the API shows.
  if (!auth.methods.includes(method)) throw new Error('oneOf: choose() returned a method that is not among the declared methods');
  return method;
}

/** Every method the application offers. */
export function authMethods<C, S>(auth: Auth<C, S>): readonly AuthMethod<C, S>[] {
  return auth.kind === 'one-of' ? auth.methods : [auth];
}

/** The application's OAuth method, if it offers one (its endpoints are where tokens come from). */
export function oauthMethodOf<C, S>(auth: Auth<C, S>): OAuthAuth<C, S> | undefined {
  return authMethods(auth).find(isOAuth);
}

export function isOAuth<C, S>(auth: Auth<C, S>): auth is OAuthAuth<C, S> {
  return auth.kind === 'oauth2-authorization-code' || auth.kind === 'oauth2-client-credentials';
}

/** `accessToken` is required for the OAuth kinds: the caller obtains it from the channel's token source. */
export function applyAuth<C, S>(auth: AuthMethod<C, S>, request: OutgoingRequest, credentials: C, accessToken?: string): void {
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
    case 'oauth2-client-credentials': {
      if (!accessToken) throw new Error(`${auth.kind} needs an access token`);
      const header = auth.tokenHeader ?? { name: 'authorization', scheme: 'Bearer' };
      request.headers[header.name.toLowerCase()] = header.scheme ? `${header.scheme} ${accessToken}` : accessToken;
      return;
    }
  }
}
