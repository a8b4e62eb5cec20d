/**
 * A Google service account's access token, by the JWT bearer grant (RFC 7523) as Google documents
 * it for server-to-server calls (https://developers.google.com/identity/protocols/oauth2/service-account#httprest):
 * the account signs a JWT with its private key (RS256), `iss` its email, `scope` the scopes asked
 * for, `aud` the token endpoint, valid at most an hour; the token endpoint answers an access token
 * that lasts an hour. The request hook mints it once per channel and reuses it until a minute
 * before it expires.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { MintedToken, RequestHookContext } from '../../applications/framework/request-hook';
import { form } from '../framework/http/body';
import { NonRetryableConnectorError, RetryableConnectorError } from '../framework/errors';

export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * The hosts a key's `token_uri` may name: Google's token endpoints (keys made since 2018 say
 * oauth2.googleapis.com; older ones accounts.google.com). Whoever can change `token_uri` receives
 * an assertion signed with the account's key, which Google would exchange for a token: any other
 * host is refused. Loopback is the tests' stand-in, as for the base URL; the egress policy
 * refuses it in production unless it is allowed there on purpose.
 */
const GOOGLE_TOKEN_HOSTS = new Set(['oauth2.googleapis.com', 'accounts.google.com']);
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Why `tokenUri` is not one of Google's token endpoints, or undefined when it is. */
export function tokenUriRefusal(tokenUri: string): string | undefined {
  if (!URL.canParse(tokenUri)) return 'token_uri is not an absolute URL';
  const url = new URL(tokenUri);
  const host = url.hostname.toLowerCase();
  if (LOOPBACK.has(host)) return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : `token_uri: ${url.protocol} is not http: or https:`;
  if (!GOOGLE_TOKEN_HOSTS.has(host)) return `token_uri host ${url.hostname} is not Google's token endpoint (${[...GOOGLE_TOKEN_HOSTS].join(', ')}): the signed assertion goes only there`;
  if (url.protocol !== 'https:' || (url.port !== '' && url.port !== '443')) return `token_uri must be https on the default port, not ${url.protocol}//${url.host}`;
  if (url.username || url.password) return 'token_uri must not carry user info';
  return undefined;
}

/** The fields of a service account's JSON key file the engine uses (Google writes more: project_id, client_id, …). */
export const ServiceAccountKey = z.looseObject({
  type: z.literal('service_account', { error: 'type must be "service_account" (a service account key file)' }),
  client_email: z.email({ error: 'client_email must be the service account email' }),
  private_key: z.string().includes('PRIVATE KEY-----', { error: 'private_key must be a PEM private key' }),
  private_key_id: z.string().min(1).optional(),
  token_uri: z
    .string()
    .default(GOOGLE_TOKEN_URL)
    .superRefine((uri, ctx) => {
      const refusal = tokenUriRefusal(uri);
      if (refusal) ctx.addIssue({ code: 'custom', message: refusal });
    }),
});
export type ServiceAccountKey = z.output<typeof ServiceAccountKey>;

/** The key file's text, parsed and checked; the issue names the key field, never a value. */
export function parseServiceAccountKey(text: string): { key: ServiceAccountKey } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: 'not JSON: paste the whole key file Google Cloud gives for the service account' };
  }
  const parsed = ServiceAccountKey.safeParse(json);
  if (!parsed.success) return { error: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(key)'}: ${issue.message}`).join('; ') };
  try {
    createPrivateKey(parsed.data.private_key);
  } catch {
    return { error: 'private_key: not a PEM private key Node can read' };
  }
  return { key: parsed.data };
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * The assertion: RS256, `kid` the key's id when the file names one (Google picks the public key by
 * it), issued now and valid an hour, the longest Google accepts.
 */
export function serviceAccountAssertion(key: ServiceAccountKey, scope: string, now: number = Date.now(), privateKey: KeyObject = createPrivateKey(key.private_key)): string {
  const iat = Math.floor(now / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', ...(key.private_key_id ? { kid: key.private_key_id } : {}) }));
  const payload = base64url(JSON.stringify({ iss: key.client_email, scope, aud: key.token_uri, iat, exp: iat + 3600 }));
  return `${header}.${payload}.${base64url(sign('sha256', Buffer.from(`${header}.${payload}`), privateKey))}`;
}

const TokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().positive(), token_type: z.string().optional() });
const TokenError = z.object({ error: z.string(), error_description: z.string().optional() });

const CONNECTOR = 'google-sheets';

/** The channel's access token for its service account, minted once and reused until a minute before it expires. */
export async function serviceAccountToken(keyText: string, context: Pick<RequestHookContext<unknown, unknown>, 'token' | 'send'>): Promise<string> {
  const parsed = parseServiceAccountKey(keyText);
  // Refused when the channel is created; checked again here, where the assertion would leave.
  if ('error' in parsed) throw new NonRetryableConnectorError(CONNECTOR, `serviceAccountKey: ${parsed.error}`, 'InvalidChannelConfig');
  const { key } = parsed;
  return context.token(`service-account:${key.client_email}:${SHEETS_SCOPE}`, async (): Promise<MintedToken> => {
    const asked = Date.now();
    // The form body goes through the same encoder as a connector's `form()` (application/x-www-form-urlencoded, as RFC 7523 asks).
    const answer = await context.send({
      method: 'POST',
      url: key.token_uri,
      headers: { accept: 'application/json' },
      json: form({ grant_type: JWT_BEARER, assertion: serviceAccountAssertion(key, SHEETS_SCOPE, asked) }),
    });
    if (answer.status >= 500 || answer.status === 429) throw new RetryableConnectorError(CONNECTOR, `service account token: HTTP ${answer.status}`, 'ServiceAccountTokenUnavailable', answer.status);
    const token = TokenAnswer.safeParse(answer.body);
    if (answer.status !== 200 || !token.success) {
      // Google's answer is {error, error_description} (invalid_grant: "Invalid JWT Signature."): no secret in it.
      const refused = TokenError.safeParse(answer.body);
      const why = refused.success ? `: ${refused.data.error}${refused.data.error_description ? ` (${refused.data.error_description})` : ''}` : '';
      throw new NonRetryableConnectorError(CONNECTOR, `service account token refused: HTTP ${answer.status}${why}`, 'ServiceAccountTokenRefused', answer.status);
    }
    return { value: token.data.access_token, expiresAt: new Date(asked + token.data.expires_in * 1000) };
  });
}
