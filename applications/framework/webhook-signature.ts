/**
 * Webhook signature schemes an application picks, so the API can tell a provider's delivery from
 * a forgery: HMAC-SHA256 over the raw body (GitHub, Shopify and many more), timestamped HMACs with
 * a tolerance window against replays (Stripe, Slack, Standard Webhooks), and a plain shared-secret
 * header.
 *
 * node:crypto does the cryptography (HMAC, constant-time comparison): it is the well-kept library
 * here, and the schemes are a few lines each. Standard Webhooks has a reference library
 * (`standardwebhooks`), which computes that scheme's signatures. The providers' own SDKs
 * (@octokit/webhooks-methods, stripe, standardwebhooks) are used in the tests as the reference
 * signers and verifiers, so these stay compatible with the real thing; where a provider has no
 * small SDK (Slack, Shopify) the tests follow its documented algorithm.
 *
 * Verification never throws and its reasons name the header, never the secret or the expected
 * signature (they end up in 401 answers and logs).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface SignatureRequest {
  /** The bytes as received: re-serialised JSON would not match the provider's signature. */
  rawBody: Buffer;
  /** Lower-case header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  secret: string;
  /** Milliseconds since the epoch. */
  now: number;
  /** The request's method, upper case; schemes that sign it (HubSpot v3) refuse a request without it. */
  method?: string;
  /**
   * The URL the provider called, as it addressed it: PUBLIC_URL followed by the request's path and
   * query (the API behind a proxy sees another host). Schemes that sign it (HubSpot v3) refuse a
   * request without it.
   */
  url?: string;
}

/**
 * What a valid signature vouches for, beyond "the sender knows the secret". The API draws the
 * delivery id that dedupes from signed material only (see api/webhooks/delivery-id.ts), so a
 * captured delivery cannot be replayed under a new id, nor a future one pre-empted.
 */
export interface SignedMaterial {
  /** The raw body is covered. False for a shared-secret header, which proves the sender only. */
  readonly body: boolean;
  /** A header carrying the delivery id that the signature covers (Standard Webhooks' `webhook-id`). */
  readonly idHeader?: string;
  /** The body field the provider puts its event id in (Stripe's `id`); signed as the body is. */
  readonly idField?: string;
  /**
   * The body is an array of events, each with its id in this field (HubSpot's `eventId`): the
   * delivery id is made of those ids (api/webhooks/delivery-id.ts), so a retry that changes other
   * fields of the same events (HubSpot's `attemptNumber`) is still the same delivery.
   */
  readonly eventIdField?: string;
}

export interface SignatureScheme {
  /** e.g. 'hmac-sha256', 'stripe', 'slack', 'standard-webhooks', 'shared-secret': shown by GET /flows. */
  readonly kind: string;
  /** The headers the scheme reads, lower case, the signature's first (GET /flows shows it). */
  readonly headers: readonly string[];
  readonly signs: SignedMaterial;
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
function scheme(kind: string, headers: readonly string[], signs: SignedMaterial, check: (request: SignatureRequest) => SignatureCheck): SignatureScheme {
  const names = headers.join(' and ');
  return {
    kind,
    headers,
    signs,
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
  return scheme('hmac-sha256', [header], { body: true }, ({ rawBody, headers, secret }) => {
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
  // Stripe's event id (`evt_…`) is in the signed body; its retries resend the same event.
  return scheme('stripe', [header], { body: true, idField: 'id' }, ({ rawBody, headers, secret, now }) => {
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
  // The Events API's `event_id` is in the signed body (other Slack payloads fall back to the body's hash).
  return scheme('slack', [signatureHeader, timestampHeader], { body: true, idField: 'event_id' }, ({ rawBody, headers, secret, now }) => {
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
  return scheme('shared-secret', [header], { body: false }, ({ headers, secret }) => {
    const value = single(headers, header);
    if (typeof value !== 'string') return value;
    return constantTimeEqual(value, secret) ? ACCEPT : refuse(`header ${header} does not match the channel's secret`);
  });
}

// One `<version>,<base64>` signature; the header holds several, separated by single spaces.
const VERSIONED_SIGNATURE = /^(v\d+[a-z]*),([A-Za-z0-9+/]+={0,2})$/;
// Printable and without separators: Node joins a repeated header with ", ", which this refuses.
const MESSAGE_ID = /^[\x21-\x2b\x2d-\x7e]{1,256}$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Standard Webhooks (https://www.standardwebhooks.com; Svix-based senders use it): `webhook-id`,
 * `webhook-timestamp` and `webhook-signature: v1,<base64>[ v1,<base64>…]` (several while a secret
 * is being rolled), each an HMAC-SHA256 of `<id>.<timestamp>.<body>` keyed with the bytes of the
 * secret `whsec_<base64>`, within a tolerance (default 5 minutes). `webhook-id` is signed, so it is
 * the delivery id: a retry keeps it, a replay cannot change it.
 *
 * The reference library decodes the secret and computes the expected signature. Its `verify` is
 * not used as is: it reads the clock itself (this interface passes `now`), takes "123abc" or a
 * repeated header that Node joined as a timestamp, and signs text, so headers and body are checked
 * strictly here first.
 */
export function standardWebhooksSignature(options: { toleranceSeconds?: number } = {}): SignatureScheme {
  const [signatureHeader, idHeader, timestampHeader] = ['webhook-signature', 'webhook-id', 'webhook-timestamp'] as const;
  const tolerance = options.toleranceSeconds ?? 300;
  return scheme('standard-webhooks', [signatureHeader, idHeader, timestampHeader], { body: true, idHeader }, ({ rawBody, headers, secret, now }) => {
    const signature = single(headers, signatureHeader);
    if (typeof signature !== 'string') return signature;
    const id = single(headers, idHeader);
    if (typeof id !== 'string') return id;
    const timestamp = single(headers, timestampHeader);
    if (typeof timestamp !== 'string') return timestamp;
    if (!MESSAGE_ID.test(id)) return refuse(`header ${idHeader} is malformed`);
    if (!UNIX_SECONDS.test(timestamp)) return refuse(`header ${timestampHeader} is not a unix timestamp`);
    const candidates: string[] = [];
    for (const item of signature.split(' ')) {
      const match = VERSIONED_SIGNATURE.exec(item);
      if (!match) return refuse(`header ${signatureHeader} is not a list of v1,<base64> signatures`);
      // Other versions (v1a is the asymmetric one) are ignored, as the reference library does.
      if (match[1] === 'v1') candidates.push(match[2]!);
    }
    if (candidates.length === 0) return refuse(`header ${signatureHeader} has no v1 signature`);
    let webhook: Webhook;
    try {
      webhook = new Webhook(secret);
    } catch {
      return refuse(`no Standard Webhooks secret (whsec_<base64>) to check header ${signatureHeader} with`);
    }
    let payload: string;
    try {
      // The library signs text; two different invalid byte sequences would decode to the same text.
      payload = UTF8.decode(rawBody);
    } catch {
      return refuse(`header ${signatureHeader} cannot cover a body that is not UTF-8`);
    }
    const expected = webhook.sign(id, new Date(Number(timestamp) * 1000), payload).slice('v1,'.length);
    let matched = false;
    for (const candidate of candidates) matched = constantTimeEqual(candidate, expected) || matched;
    if (!matched) return refuse(`header ${signatureHeader} does not match the body`);
    if (!withinTolerance(Number(timestamp), now, tolerance)) return refuse(`header ${timestampHeader} is outside the ${tolerance} s tolerance`);
    return ACCEPT;
  });
}

// Milliseconds since the epoch (HubSpot's X-HubSpot-Request-Timestamp); 15 digits keep Number() exact.
const UNIX_MS = /^\d{1,15}$/;
// The characters HubSpot decodes in the URI before signing it, and only those
// (https://developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests).
const HUBSPOT_DECODED: Record<string, string> = { '3A': ':', '2F': '/', '3F': '?', '40': '@', '21': '!', '24': '$', '27': "'", '28': '(', '29': ')', '2A': '*', '2C': ',', '3B': ';' };
const HUBSPOT_ENCODED = /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi;

/** A URI as HubSpot signs it: the listed percent-encodings decoded, nothing else touched. */
export function hubspotSignedUri(url: string): string {
  return url.replace(HUBSPOT_ENCODED, (_match, hex: string) => HUBSPOT_DECODED[hex.toUpperCase()]!);
}

/**
 * HubSpot v3 (https://developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests):
 * `X-HubSpot-Signature-v3: <base64>`, an HMAC-SHA256 keyed with the app's client secret over
 * `<method><URI><body><X-HubSpot-Request-Timestamp>`, the timestamp in milliseconds and at most 5
 * minutes old (nor that far ahead). The URI is the one HubSpot called, so the API needs PUBLIC_URL
 * to be that address. The older v1 and v2 signatures HubSpot also sends cover no timestamp and are
 * not accepted. HubSpot posts an array of events; their `eventId`s make the delivery id.
 */
export function hubspotSignature(options: { toleranceSeconds?: number } = {}): SignatureScheme {
  const signatureHeader = 'x-hubspot-signature-v3';
  const timestampHeader = 'x-hubspot-request-timestamp';
  const tolerance = options.toleranceSeconds ?? 300;
  return scheme('hubspot-v3', [signatureHeader, timestampHeader], { body: true, eventIdField: 'eventId' }, ({ rawBody, headers, secret, now, method, url }) => {
    const signature = single(headers, signatureHeader);
    if (typeof signature !== 'string') return signature;
    const timestamp = single(headers, timestampHeader);
    if (typeof timestamp !== 'string') return timestamp;
    if (!UNIX_MS.test(timestamp)) return refuse(`header ${timestampHeader} is not a timestamp in milliseconds`);
    if (!BASE64.test(signature)) return refuse(`header ${signatureHeader} is not a base64 signature`);
    if (!method || !url) return refuse(`header ${signatureHeader} covers the URL called, which is not known here (PUBLIC_URL)`);
    const expected = hmac(secret, 'base64', method.toUpperCase(), hubspotSignedUri(url), rawBody, timestamp);
    if (!constantTimeEqual(signature, expected)) return refuse(`header ${signatureHeader} does not match the request`);
    if (!withinTolerance(Number(timestamp) / 1000, now, tolerance)) return refuse(`header ${timestampHeader} is outside the ${tolerance} s tolerance`);
    return ACCEPT;
  });
}
