/**
 * Webhook signature schemes an application picks, so the API can tell a provider's delivery from
 * a forgery: HMAC-SHA256 over the raw body (GitHub, Shopify and many more), timestamped HMACs with
 * a tolerance window against replays (Stripe, Slack), and a plain shared-secret header.
 *
 * node:crypto does the cryptography (HMAC, constant-time comparison): it is the well-kept library
 * here, and the schemes are a few lines each. The providers' own SDKs (@octokit/webhooks-methods,
 * stripe) are used in the tests as the reference signers and verifiers, so these stay compatible
 * with the real thing; where a provider has no small SDK (Slack, Shopify) the tests follow its
 * documented algorithm.
 *
 * Verification never throws and its reasons name the header, never the secret or the expected
 * signature (they end up in 401 answers and logs).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface SignatureRequest {
  /** The bytes as received: re-serialised JSON would not match the provider's signature. */
  rawBody: Buffer;
  /** Lower-case header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  secret: string;
  /** Milliseconds since the epoch. */
  now: number;
}

export interface SignatureScheme {
  /** e.g. 'hmac-sha256', 'stripe', 'slack', 'shared-secret': shown by GET /flows. */
  readonly kind: string;
  /** The headers the scheme reads, lower case, for docs. */
  readonly headers: readonly string[];
  verify(request: SignatureRequest): SignatureCheck;
}

const ACCEPT: SignatureCheck = { ok: true };
const refuse = (reason: string): SignatureCheck => ({ ok: false, reason });

const HEX = /^[0-9a-f]+$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// Whole seconds since the epoch; 12 digits is far beyond any real clock and keeps Number() exact.
const UNIX_SECONDS = /^\d{1,12}$/;

/** One header value, or why there is none usable: missing, or repeated (an array). */
function single(headers: SignatureRequest['headers'], name: string): string | SignatureCheck {
  // Own properties only: a header named like an Object.prototype member must not find a function.
  const value = Object.prototype.hasOwnProperty.call(headers, name) ? headers[name] : undefined;
  if (Array.isArray(value)) return refuse(`header ${name} was sent more than once`);
  if (typeof value !== 'string' || value.trim() === '') return refuse(`header ${name} is missing`);
  return value.trim();
}

// Keyed per process, so nobody can precompute inputs whose comparison digests collide.
const COMPARE_KEY = randomBytes(32);

/**
 * Equal strings in constant time. Both sides are HMACed first, so timingSafeEqual always gets
 * equal lengths: a length difference neither throws nor leaks through timing.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const digest = (value: string) => createHmac('sha256', COMPARE_KEY).update(value, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

function hmac(secret: string, encoding: 'hex' | 'base64', ...parts: Array<string | Buffer>): string {
  const mac = createHmac('sha256', secret);
  for (const part of parts) mac.update(part);
  return mac.digest(encoding);
}

/** Both directions: an old timestamp is a replay, a future one a clock problem or a forgery kept for later. */
function withinTolerance(timestampSeconds: number, now: number, toleranceSeconds: number): boolean {
  return Number.isFinite(timestampSeconds) && Number.isFinite(now) && Math.abs(now / 1000 - timestampSeconds) <= toleranceSeconds;
}

/**
 * The checks every scheme shares, around the scheme's own: a secret must be set (an HMAC keyed
 * with '' is one anybody can compute), and nothing a caller passes can make verify throw.
 */
function scheme(kind: string, headers: readonly string[], check: (request: SignatureRequest) => SignatureCheck): SignatureScheme {
  const names = headers.join(' and ');
  return {
    kind,
    headers,
    verify(request) {
      try {
        if (typeof request.secret !== 'string' || request.secret === '') return refuse(`no secret to check header ${names} with`);
        if (!Buffer.isBuffer(request.rawBody)) return refuse(`no raw body to check header ${names} against`);
        if (typeof request.headers !== 'object' || request.headers === null) return refuse(`header ${names} is missing`);
        return check(request);
      } catch {
        return refuse(`header ${names} could not be checked`);
      }
    },
  };
}

/** HMAC-SHA256 of the raw body, in hex or base64, in one header, optionally after a prefix (e.g. `sha256=`). */
export function hmacSha256(options: { header: string; encoding: 'hex' | 'base64'; prefix?: string }): SignatureScheme {
  const header = options.header.toLowerCase();
  const prefix = options.prefix ?? '';
  const format = options.encoding === 'hex' ? HEX : BASE64;
  return scheme('hmac-sha256', [header], ({ rawBody, headers, secret }) => {
    const value = single(headers, header);
    if (typeof value !== 'string') return value;
    if (!value.startsWith(prefix)) return refuse(`header ${header} does not start with "${prefix}"`);
    const given = value.slice(prefix.length);
    // Also catches a repeated header that Node joined with ", " into one value.
    if (!format.test(given)) return refuse(`header ${header} is not a ${options.encoding} signature`);
    // Hex is case-insensitive; Node's digest is lower case.
    const normalised = options.encoding === 'hex' ? given.toLowerCase() : given;
    return constantTimeEqual(normalised, hmac(secret, options.encoding, rawBody)) ? ACCEPT : refuse(`header ${header} does not match the body`);
  });
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex>`. */
export const githubSignature = (): SignatureScheme => hmacSha256({ header: 'x-hub-signature-256', encoding: 'hex', prefix: 'sha256=' });

/** Shopify: `X-Shopify-Hmac-Sha256: <base64>`. */
export const shopifySignature = (): SignatureScheme => hmacSha256({ header: 'x-shopify-hmac-sha256', encoding: 'base64' });

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…][,v0=…]`, each v1 an HMAC of `<t>.<body>`
 * (several while a secret is being rolled), within a tolerance (default 5 minutes).
 * https://docs.stripe.com/webhooks#verify-manually
 */
export function stripeSignature(options: { toleranceSeconds?: number } = {}): SignatureScheme {
  const header = 'stripe-signature';
  const tolerance = options.toleranceSeconds ?? 300;
  return scheme('stripe', [header], ({ rawBody, headers, secret, now }) => {
    const value = single(headers, header);
    if (typeof value !== 'string') return value;
    const timestamps: string[] = [];
    const signatures: string[] = [];
    for (const item of value.split(',')) {
      const at = item.indexOf('=');
      if (at < 0) return refuse(`header ${header} is not a list of key=value`);
      const key = item.slice(0, at).trim();
      const v = item.slice(at + 1).trim();
      if (key === 't') timestamps.push(v);
      // Other schemes (v0 is Stripe's test-mode one) are ignored, as Stripe's SDK does.
      if (key === 'v1') signatures.push(v);
    }
    // Two timestamps: a repeated header that Node joined, or a crafted one. Either way ambiguous.
    if (timestamps.length !== 1) return refuse(`header ${header} needs exactly one t=<timestamp>`);
    const timestamp = timestamps[0]!;
    if (!UNIX_SECONDS.test(timestamp)) return refuse(`header ${header} has a malformed timestamp`);
    if (signatures.length === 0) return refuse(`header ${header} has no v1 signature`);
    const expected = hmac(secret, 'hex', `${timestamp}.`, rawBody);
    // Every candidate is compared (no early exit), so timing does not tell which one matched.
    let matched = false;
    for (const signature of signatures) matched = constantTimeEqual(signature.toLowerCase(), expected) || matched;
    if (!matched) return refuse(`header ${header} does not match the body`);
    if (!withinTolerance(Number(timestamp), now, tolerance)) return refuse(`header ${header} timestamp is outside the ${tolerance} s tolerance`);
    return ACCEPT;
  });
}

/**
 * Slack: `X-Slack-Signature: v0=<hex>`, an HMAC of `v0:<X-Slack-Request-Timestamp>:<body>`, within a
 * tolerance (default 5 minutes). https://api.slack.com/authentication/verifying-requests-from-slack
 */
export function slackSignature(options: { toleranceSeconds?: number } = {}): SignatureScheme {
  const signatureHeader = 'x-slack-signature';
  const timestampHeader = 'x-slack-request-timestamp';
  const tolerance = options.toleranceSeconds ?? 300;
  return scheme('slack', [signatureHeader, timestampHeader], ({ rawBody, headers, secret, now }) => {
    const signature = single(headers, signatureHeader);
    if (typeof signature !== 'string') return signature;
    const timestamp = single(headers, timestampHeader);
    if (typeof timestamp !== 'string') return timestamp;
    if (!UNIX_SECONDS.test(timestamp)) return refuse(`header ${timestampHeader} is not a unix timestamp`);
    if (!signature.startsWith('v0=')) return refuse(`header ${signatureHeader} does not start with "v0="`);
    const given = signature.slice(3);
    if (!HEX.test(given)) return refuse(`header ${signatureHeader} is not a hex signature`);
    if (!constantTimeEqual(given.toLowerCase(), hmac(secret, 'hex', `v0:${timestamp}:`, rawBody))) return refuse(`header ${signatureHeader} does not match the body`);
    if (!withinTolerance(Number(timestamp), now, tolerance)) return refuse(`header ${timestampHeader} is outside the ${tolerance} s tolerance`);
    return ACCEPT;
  });
}

/** The secret itself in a header (e.g. GitLab's `X-Gitlab-Token`): weaker, as the secret travels, but common. */
export function sharedSecretHeader(options: { header: string }): SignatureScheme {
  const header = options.header.toLowerCase();
  return scheme('shared-secret', [header], ({ headers, secret }) => {
    const value = single(headers, header);
    if (typeof value !== 'string') return value;
    return constantTimeEqual(value, secret) ? ACCEPT : refuse(`header ${header} does not match the channel's secret`);
  });
}
