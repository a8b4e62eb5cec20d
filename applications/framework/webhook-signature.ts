/**
 * Webhook signature schemes an application picks, so the API can tell a provider's delivery from
 * a forgery: HMAC-SHA256 over the raw body (GitHub, Shopify and many more), timestamped HMACs with
 * a tolerance window against replays (Stripe, Slack), and a plain shared-secret header.
 *
 * node:crypto does the cryptography (HMAC, constant-time comparison); the providers' own SDKs are
 * used in the tests as the reference signers, so these stay compatible with the real thing.
 * Verification never throws and never says what the expected signature was.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface SignatureRequest {
  rawBody: Buffer;
  /** Lower-case header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  secret: string;
  /** Milliseconds since the epoch. */
  now: number;
}

export interface SignatureScheme {
  /** e.g. 'hmac-sha256', 'stripe', 'slack', 'shared-secret'. */
  readonly kind: string;
  /** The headers the scheme reads, lower case. */
  readonly headers: readonly string[];
  verify(request: SignatureRequest): SignatureCheck;
}

const refuse = (reason: string): SignatureCheck => ({ ok: false, reason });

/** One header value, or a reason why there is none usable (missing, or repeated). */
function single(headers: SignatureRequest['headers'], name: string): string | SignatureCheck {
  const value = headers[name];
  if (Array.isArray(value)) return refuse(`header ${name} was sent more than once`);
  if (!value) return refuse(`header ${name} is missing`);
  return value;
}

/**
 * Equal strings in constant time. Both sides are hashed first, so the comparison runs on equal
 * lengths and a length difference neither throws nor leaks through timing.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const digest = (value: string) => createHmac('sha256', 'constant-time-compare').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function hmac(secret: string, encoding: 'hex' | 'base64', ...parts: Array<string | Buffer>): string {
  const mac = createHmac('sha256', secret);
  for (const part of parts) mac.update(part);
  return mac.digest(encoding);
}

function withinTolerance(timestampSeconds: number, now: number, toleranceSeconds: number): boolean {
  return Number.isFinite(timestampSeconds) && Math.abs(now / 1000 - timestampSeconds) <= toleranceSeconds;
}

/** HMAC-SHA256 of the raw body, in hex or base64, in one header, optionally after a prefix. */
export function hmacSha256(options: { header: string; encoding: 'hex' | 'base64'; prefix?: string }): SignatureScheme {
  const header = options.header.toLowerCase();
  const prefix = options.prefix ?? '';
  return {
    kind: 'hmac-sha256',
    headers: [header],
    verify({ rawBody, headers, secret }) {
      const value = single(headers, header);
      if (typeof value !== 'string') return value;
      if (!value.startsWith(prefix)) return refuse(`header ${header} does not start with "${prefix}"`);
      const given = value.slice(prefix.length).trim();
      return constantTimeEqual(given, hmac(secret, options.encoding, rawBody)) ? { ok: true } : refuse(`header ${header} does not match the body`);
    },
  };
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex>`. */
export const githubSignature = (): SignatureScheme => hmacSha256({ header: 'x-hub-signature-256', encoding: 'hex', prefix: 'sha256=' });

/** Shopify: `X-Shopify-Hmac-Sha256: <base64>`. */
export const shopifySignature = (): SignatureScheme => hmacSha256({ header: 'x-shopify-hmac-sha256', encoding: 'base64' });

/** Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=…]` over `<t>.<body>`, within a tolerance (default 5 minutes). */
export function stripeSignature(options: { toleranceSeconds?: number } = {}): SignatureScheme {
  const header = 'stripe-signature';
  const tolerance = options.toleranceSeconds ?? 300;
  return {
    kind: 'stripe',
    headers: [header],
    verify({ rawBody, headers, secret, now }) {
      const value = single(headers, header);
      if (typeof value !== 'string') return value;
      const pairs = value.split(',').map((part) => part.split('=', 2).map((s) => s.trim()) as [string, string | undefined]);
      const timestamp = pairs.find(([key]) => key === 't')?.[1];
      const signatures = pairs.filter(([key, v]) => key === 'v1' && v).map(([, v]) => v!);
      if (!timestamp || !/^\d+$/.test(timestamp) || signatures.length === 0) return refuse(`header ${header} needs t=<timestamp> and v1=<signature>`);
      const expected = hmac(secret, 'hex', `${timestamp}.`, rawBody);
      // Every candidate is compared, so timing does not tell which (if any) matched.
      const matched = signatures.map((signature) => constantTimeEqual(signature, expected)).includes(true);
      if (!matched) return refuse(`header ${header} does not match the body`);
      if (!withinTolerance(Number(timestamp), now, tolerance)) return refuse(`header ${header} timestamp is outside the ${tolerance} s tolerance`);
      return { ok: true };
    },
  };
}

/** Slack: `X-Slack-Signature: v0=<hex>` over `v0:<X-Slack-Request-Timestamp>:<body>`, within a tolerance (default 5 minutes). */
export function slackSignature(options: { toleranceSeconds?: number } = {}): SignatureScheme {
  const signatureHeader = 'x-slack-signature';
  const timestampHeader = 'x-slack-request-timestamp';
  const tolerance = options.toleranceSeconds ?? 300;
  return {
    kind: 'slack',
    headers: [signatureHeader, timestampHeader],
    verify({ rawBody, headers, secret, now }) {
      const signature = single(headers, signatureHeader);
      if (typeof signature !== 'string') return signature;
      const timestamp = single(headers, timestampHeader);
      if (typeof timestamp !== 'string') return timestamp;
      if (!/^\d+$/.test(timestamp)) return refuse(`header ${timestampHeader} is not a unix timestamp`);
      if (!signature.startsWith('v0=')) return refuse(`header ${signatureHeader} does not start with "v0="`);
      if (!constantTimeEqual(signature.slice(3), hmac(secret, 'hex', `v0:${timestamp}:`, rawBody))) return refuse(`header ${signatureHeader} does not match the body`);
      if (!withinTolerance(Number(timestamp), now, tolerance)) return refuse(`header ${timestampHeader} is outside the ${tolerance} s tolerance`);
      return { ok: true };
    },
  };
}

/** The secret itself in a header (e.g. GitLab's `X-Gitlab-Token`): weaker, as the secret travels, but common. */
export function sharedSecretHeader(options: { header: string }): SignatureScheme {
  const header = options.header.toLowerCase();
  return {
    kind: 'shared-secret',
    headers: [header],
    verify({ headers, secret }) {
      const value = single(headers, header);
      if (typeof value !== 'string') return value;
      return constantTimeEqual(value, secret) ? { ok: true } : refuse(`header ${header} does not match the channel's secret`);
    },
  };
}
