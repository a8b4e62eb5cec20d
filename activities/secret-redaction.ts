/**
 * Keeps a channel's secrets out of the error text an activity reports: that text goes into
 * workflow history, GET /runs and logs. The common leak is a remote that echoes the API key or the
 * whole Authorization header back in its error body, which the connector quotes in its message.
 * Redacted once, at the activity's boundary (message, details and cause chain), so no connector
 * has to think of it.
 */
import { ApplicationFailure, TemporalFailure } from '@temporalio/common';

export const REDACTED = '[redacted]';

/**
 * Shorter values are not looked for: a credential such as "eu" or "v2" would shred ordinary
 * words in every message, and three characters reveal little of a secret anyway.
 */
const MIN_SECRET_LENGTH = 4;

/** An auth scheme in front of the credentials of a header value: `Basic <base64>`, `Bearer <token>`. */
const SCHEME_PREFIX = /^[A-Za-z][A-Za-z0-9_-]*\s+(\S.*)$/;

/** How deep details are walked; they are small, plain values. */
const MAX_DEPTH = 8;

/** The secrets of one channel (and of the requests made for it), and their removal from text. */
export class SecretRedactor {
  private readonly secrets = new Set<string>();
  /** Longest first, so a secret containing a shorter one is taken out whole. */
  private ordered: string[] = [];

  /** Every string leaf of `value`: a channel's decrypted credentials, its OAuth tokens. */
  addValues(value: unknown, depth = 0): void {
    if (typeof value === 'string') return this.add(value);
    if (depth >= MAX_DEPTH || typeof value !== 'object' || value === null) return;
    for (const leaf of Array.isArray(value) ? value : Object.values(value)) this.addValues(leaf, depth + 1);
  }

  /**
   * A credential header or query value as it was sent (what auth or a request hook set): the value,
   * and the credentials after its auth scheme, so the base64 `user:pass` of basic auth and a bare
   * bearer token are found on their own too (and `user:pass` itself, decoded).
   */
  addSent(value: string): void {
    this.add(value);
    const credentials = SCHEME_PREFIX.exec(value)?.[1];
    if (!credentials) return;
    this.add(credentials);
    if (/^basic\s/i.test(value)) this.add(Buffer.from(credentials, 'base64').toString('utf8'));
  }

  get size(): number {
    return this.secrets.size;
  }

  redact(text: string): string {
    if (this.ordered.length === 0 || text === '') return text;
    let result = text;
    for (const secret of this.ordered) if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    for (const secret of this.ordered) result = redactCutOff(result, secret);
    return result;
  }

  private add(value: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
    for (const form of encodingsOf(value)) if (form.length >= MIN_SECRET_LENGTH) this.secrets.add(form);
    this.ordered = [...this.secrets].sort((a, b) => b.length - a.length);
  }
}

/**
 * Base64 of a value is looked for only from this length on: the base64 of a short value is short
 * and generic enough to turn up in ordinary text.
 */
const MIN_BASE64_SOURCE_LENGTH = 8;

/**
 * The forms a value takes when a remote quotes it back: as it is, URL-encoded (a query string or
 * form body echoed), JSON-escaped (inside a JSON string of the body), JSON-escaped the way PHP's
 * json_encode does it (`\/`, `\u00e9`), HTML-escaped (an HTML error page quoting it) and, for a
 * bare key, base64 (a remote that decodes nothing and quotes what it would have sent).
 */
function encodingsOf(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const forms = [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2), json, phpJson(json), ...htmlEscapes(value)];
  if (value.length >= MIN_BASE64_SOURCE_LENGTH) forms.push(...base64Forms(value));
  return forms;
}

/** PHP's json_encode by default escapes `/` and writes every non-ASCII character as \uXXXX. */
function phpJson(json: string): string {
  // eslint-disable-next-line no-control-regex -- the ASCII range is the point: everything outside it is escaped
  return json.replace(/\//g, '\\/').replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * What the common HTML escapers make of `& < > " ' /`, one table per family, so a value with
 * several of them is found as one escaper writes it (mixing styles inside one value is not).
 * Characters a table leaves out stay as they are.
 */
const HTML_ESCAPES: ReadonlyArray<Readonly<Record<string, string>>> = [
  // escape-html (Express), lodash, Rails, .NET
  { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' },
  // PHP htmlspecialchars
  { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#039;' },
  // Python html.escape; OWASP's rule adds the slash
  { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' },
  { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '/': '&#x2F;' },
  // Go html.EscapeString
  { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' },
  // every character as a decimal, or a hexadecimal (upper or lower case), reference
  numericEscapes((c) => `&#${c.charCodeAt(0)};`),
  numericEscapes((c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`),
  numericEscapes((c) => `&#x${c.charCodeAt(0).toString(16)};`),
];

function numericEscapes(escape: (c: string) => string): Record<string, string> {
  return Object.fromEntries([...'&<>"\'/'].map((c) => [c, escape(c)]));
}

function htmlEscapes(value: string): string[] {
  if (!/[&<>"'/]/.test(value)) return [];
  return HTML_ESCAPES.map((table) => value.replace(/[&<>"'/]/g, (c) => table[c] ?? c));
}

/** Standard and URL-safe base64, each with and without its `=` padding. */
function base64Forms(value: string): string[] {
  const standard = Buffer.from(value, 'utf8').toString('base64');
  const urlSafe = Buffer.from(value, 'utf8').toString('base64url');
  return [standard, standard.replace(/=+$/, ''), urlSafe, urlSafe.padEnd(standard.length, '=')];
}

/**
 * The start of a secret where a quoted answer was cut off: connectors quote a body excerpt of at
 * most 200 characters and end it with "…", so a secret can be split there (or at the very end).
 */
function redactCutOff(text: string, secret: string): string {
  let result = text;
  const cuts: number[] = [];
  for (let i = result.indexOf('…'); i >= 0; i = result.indexOf('…', i + 1)) cuts.push(i);
  cuts.push(result.length);
  // From the right, so the positions to the left stay valid while replacing.
  for (const cut of cuts.reverse()) {
    for (let length = Math.min(secret.length - 1, cut); length >= MIN_SECRET_LENGTH; length--) {
      if (result.slice(cut - length, cut) === secret.slice(0, length)) {
        result = `${result.slice(0, cut - length)}${REDACTED}${result.slice(cut)}`;
        break;
      }
    }
  }
  return result;
}

/** A value with every string in it redacted: failure details. */
export function redactValue(value: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth >= MAX_DEPTH || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, redact, depth + 1)]));
}

/**
 * The error as it may leave the activity: message, stack (which repeats the message), details and
 * every cause redacted. An ApplicationFailure is rebuilt with the same type and retry semantics;
 * another error keeps its class (an AbortError must stay one for Temporal to see a cancellation)
 * and is redacted in place. Temporal's own failures (a cancellation) carry no remote text and pass
 * as they are.
 */
export function redactError(err: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (depth >= MAX_DEPTH) return err;
  if (err instanceof ApplicationFailure) {
    const cause = err.cause === undefined ? undefined : redactError(err.cause, redact, depth + 1);
    const details = err.details == null ? err.details : (redactValue(err.details, redact) as unknown[]);
    const copy = new ApplicationFailure(redact(err.message), err.type, err.nonRetryable, details, cause instanceof Error ? cause : undefined, err.nextRetryDelay, err.category);
    if (err.stack) copy.stack = redact(err.stack);
    return copy;
  }
  if (err instanceof TemporalFailure) return err;
  if (err instanceof Error) {
    err.message = redact(err.message);
    if (err.stack) err.stack = redact(err.stack);
    if (err.cause !== undefined) err.cause = redactError(err.cause, redact, depth + 1);
    return err;
  }
  return typeof err === 'string' ? redact(err) : err;
}
