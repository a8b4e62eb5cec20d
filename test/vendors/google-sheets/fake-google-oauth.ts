/**
 * Google's token endpoint (oauth2.googleapis.com/token) and authorization endpoint
 * (accounts.google.com/o/oauth2/v2/auth) for the fake, as Google documents them:
 *
 * - the JWT bearer grant of service accounts (https://developers.google.com/identity/protocols/oauth2/service-account#httprest):
 *   the assertion's RS256 signature is verified with the account's public key (the one whose
 *   `kid` the header names), and its claims as Google checks them: `iss` a known account, `aud`
 *   the token endpoint, `scope` given, `iat`/`exp` at most an hour apart and around now;
 * - the web-server flow (https://developers.google.com/identity/protocols/oauth2/web-server):
 *   authorization code with PKCE; a refresh token only with `access_type=offline`, and on a second
 *   consent of the same user only with `prompt=consent`; refresh answers carry no new refresh token.
 *
 * Errors are Google's `{ error, error_description }`.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const SPREADSHEETS = 'https://www.googleapis.com/auth/spreadsheets';

export interface ServiceAccount {
  email: string;
  privateKeyId: string;
  /** The JSON key file as Google Cloud gives it, token_uri pointing at this fake. */
  keyFile: Record<string, string>;
  publicKey: KeyObject;
}

export interface IssuedToken {
  principal: string;
  scopes: string[];
  expiresAt: number;
}

export interface AssertionSeen {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

export interface GoogleOAuth {
  serviceAccount: ServiceAccount;
  /** Another project's key: valid JWTs whose account this fake has never heard of. */
  makeServiceAccount(email: string): ServiceAccount;
  oauthClient: { clientId: string; clientSecret: string; user: string };
  tokens: Map<string, IssuedToken>;
  assertions: AssertionSeen[];
  grants: { jwtBearer: number; authorizationCode: number; refreshToken: number };
  /** Each authorization request's query, as the browser brought it. */
  authorizations: URLSearchParams[];
  refreshTokensIssued: number;
  handle(req: IncomingMessage, res: ServerResponse, url: URL, text: string): boolean;
}

const json = (res: ServerResponse, status: number, body: unknown): void =>
  void res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));

export function googleOAuth(origin: () => string, violations: string[]): GoogleOAuth {
  const accounts = new Map<string, ServiceAccount>();
  const tokens = new Map<string, IssuedToken>();
  const assertions: AssertionSeen[] = [];
  const grants = { jwtBearer: 0, authorizationCode: 0, refreshToken: 0 };
  const authorizations: URLSearchParams[] = [];
  const codes = new Map<string, { redirectUri: string; challenge: string; scopes: string[]; refresh: boolean }>();
  const refreshTokens = new Map<string, string[]>();
  const consented = new Set<string>();
  const oauthClient = { clientId: `${randomBytes(6).readUIntBE(0, 6)}-fake.apps.googleusercontent.com`, clientSecret: `GOCSPX-${randomBytes(14).toString('base64url')}`, user: 'ada@example.com' };
  let refreshTokensIssued = 0;

  function makeServiceAccount(email: string, register = false): ServiceAccount {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privateKeyId = randomBytes(20).toString('hex');
    const account: ServiceAccount = {
      email,
      privateKeyId,
      publicKey: createPublicKey(publicKey.export({ type: 'spki', format: 'pem' })),
      // Google's key file, field for field; only token_uri differs (this fake instead of oauth2.googleapis.com).
      keyFile: {
        type: 'service_account',
        project_id: 'engine-tests',
        private_key_id: privateKeyId,
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: email,
        client_id: String(randomBytes(8).readBigUInt64BE() % 10n ** 21n),
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        get token_uri() {
          return `${origin()}/token`;
        },
        auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
        client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
        universe_domain: 'googleapis.com',
      },
    };
    if (register) accounts.set(email, account);
    return account;
  }
  const serviceAccount = makeServiceAccount('sheets-sync@engine-tests.iam.gserviceaccount.com', true);

  const issue = (principal: string, scopes: string[]) => {
    // Google's access tokens are opaque `ya29.…` strings that last an hour.
    const token = `ya29.${randomBytes(24).toString('base64url')}`;
    tokens.set(token, { principal, scopes, expiresAt: Date.now() + 3599_000 });
    return token;
  };

  function jwtBearer(res: ServerResponse, form: URLSearchParams): void {
    grants.jwtBearer += 1;
    const refuse = (description: string, error = 'invalid_grant') => json(res, 400, { error, error_description: description });
    const parts = (form.get('assertion') ?? '').split('.');
    if (parts.length !== 3) return refuse('Invalid JWT: the assertion is not a JWT.');
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return refuse('Invalid JWT: the assertion is not a JWT.');
    }
    assertions.push({ header, claims });
    const account = typeof claims.iss === 'string' ? accounts.get(claims.iss) : undefined;
    if (!account) return refuse('Invalid grant: account not found');
    if (header.alg !== 'RS256') return refuse('Invalid JWT Signature.');
    if (header.kid !== undefined && header.kid !== account.privateKeyId) return refuse('Invalid JWT Signature.');
    if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), account.publicKey, Buffer.from(parts[2]!, 'base64url'))) return refuse('Invalid JWT Signature.');
    const audiences = [`${origin()}/token`, GOOGLE_TOKEN_AUDIENCE];
    if (typeof claims.aud !== 'string' || !audiences.includes(claims.aud)) return refuse(`Invalid JWT: Failed audience check. The right audience is ${GOOGLE_TOKEN_AUDIENCE}`);
    const now = Math.floor(Date.now() / 1000);
    const { iat, exp } = claims;
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp <= iat || exp - iat > 3600 || iat > now + 300 || exp < now) {
      return refuse('Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
    }
    if (typeof claims.scope !== 'string' || claims.scope.trim() === '') return refuse('Invalid OAuth scope or ID token audience provided.', 'invalid_scope');
    const scopes = claims.scope.split(' ');
    json(res, 200, { access_token: issue(account.email, scopes), expires_in: 3599, token_type: 'Bearer' });
  }

  function clientOf(req: IncomingMessage, form: URLSearchParams): boolean {
    const basic = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent) : [form.get('client_id'), form.get('client_secret')];
    return id === oauthClient.clientId && secret === oauthClient.clientSecret;
  }

  function authorizationCode(req: IncomingMessage, res: ServerResponse, form: URLSearchParams): void {
    grants.authorizationCode += 1;
    if (!clientOf(req, form)) return json(res, 401, { error: 'invalid_client', error_description: 'Unauthorized' });
    const code = form.get('code') ?? '';
    const pending = codes.get(code);
    codes.delete(code);
    if (!pending) return json(res, 400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
    if (form.get('redirect_uri') !== pending.redirectUri) return json(res, 400, { error: 'redirect_uri_mismatch', error_description: 'Bad Request' });
    const challenge = createHash('sha256')
      .update(form.get('code_verifier') ?? '')
      .digest('base64url');
    if (challenge !== pending.challenge) return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid code verifier.' });
    const body: Record<string, unknown> = { access_token: issue(oauthClient.user, pending.scopes), expires_in: 3599, scope: pending.scopes.join(' '), token_type: 'Bearer' };
    if (pending.refresh) {
      const refreshToken = `1//${randomBytes(30).toString('base64url')}`;
      refreshTokens.set(refreshToken, pending.scopes);
      refreshTokensIssued += 1;
      body.refresh_token = refreshToken;
    }
    json(res, 200, body);
  }

  function refreshToken(req: IncomingMessage, res: ServerResponse, form: URLSearchParams): void {
    grants.refreshToken += 1;
    if (!clientOf(req, form)) return json(res, 401, { error: 'invalid_client', error_description: 'Unauthorized' });
    const scopes = refreshTokens.get(form.get('refresh_token') ?? '');
    if (!scopes) return json(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    json(res, 200, { access_token: issue(oauthClient.user, scopes), expires_in: 3599, scope: scopes.join(' '), token_type: 'Bearer' });
  }

  function token(req: IncomingMessage, res: ServerResponse, text: string): void {
    if (req.method !== 'POST') return json(res, 405, { error: 'invalid_request', error_description: 'Method not allowed' });
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      violations.push(`token request as ${String(req.headers['content-type'])}, not application/x-www-form-urlencoded`);
      return json(res, 400, { error: 'invalid_request', error_description: 'Invalid Content-Type' });
    }
    const form = new URLSearchParams(text);
    const grant = form.get('grant_type');
    if (grant === JWT_BEARER) jwtBearer(res, form);
    else if (grant === 'authorization_code') authorizationCode(req, res, form);
    else if (grant === 'refresh_token') refreshToken(req, res, form);
    else json(res, 400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grant ?? ''}` });
  }

  function authorize(res: ServerResponse, url: URL): void {
    const q = url.searchParams;
    authorizations.push(q);
    const redirectUri = q.get('redirect_uri');
    if (q.get('client_id') !== oauthClient.clientId || !redirectUri) {
      violations.push(`authorize: unknown client_id ${q.get('client_id')} or no redirect_uri`);
      return void res.writeHead(400, { 'content-type': 'text/html' }).end('<h1>Error 401: invalid_client</h1>');
    }
    if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || !q.get('state'))
      violations.push(`authorize without code, PKCE S256 or state: ${url.search}`);
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    if (!scopes.includes(SPREADSHEETS)) violations.push(`authorize: scope ${q.get('scope')} lacks ${SPREADSHEETS}`);
    // The user consents at once. Offline access gives a refresh token the first time; a later
    // consent of the same user gives one only when consent was asked for again.
    const first = !consented.has(oauthClient.user);
    consented.add(oauthClient.user);
    const refresh = q.get('access_type') === 'offline' && (first || q.get('prompt')?.split(' ').includes('consent') === true);
    const code = `4/${randomBytes(24).toString('base64url')}`;
    codes.set(code, { redirectUri, challenge: q.get('code_challenge') ?? '', scopes, refresh });
    const back = new URL(redirectUri);
    back.searchParams.set('state', q.get('state') ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('scope', scopes.join(' '));
    // RFC 9207: Google names itself in the answer; here the stand-in does.
    back.searchParams.set('iss', origin());
    res.writeHead(302, { location: back.toString() }).end();
  }

  return {
    serviceAccount,
    makeServiceAccount: (email) => makeServiceAccount(email, false),
    oauthClient,
    tokens,
    assertions,
    grants,
    authorizations,
    get refreshTokensIssued() {
      return refreshTokensIssued;
    },
    handle(req, res, url, text) {
      if (req.method === 'GET' && url.pathname === '/o/oauth2/v2/auth') {
        authorize(res, url);
        return true;
      }
      if (url.pathname !== '/token') return false;
      token(req, res, text);
      return true;
    },
  };
}
