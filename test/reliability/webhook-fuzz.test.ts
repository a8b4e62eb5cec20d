/**
 * Webhook fuzz run: thousands of malformed deliveries (broken JSON, wrong types, huge bodies, odd
 * encodings, bad and replayed signatures, unknown paths and channels, unusual methods) against the
 * real API. Every one must be refused with a 4xx, none may start a run, and afterwards the API
 * still takes a valid delivery and reports healthy.
 *
 * Deterministic: request #i is generated from (seed, i) alone, so a failure names its seed and
 * index and reproduces with RELIABILITY_FUZZ_SEED. RELIABILITY_FUZZ_REQUESTS sets the count
 * (default 2000). SHOW_SYSTEM_OUTPUT=1 prints the status histogram per mutation family.
 *
 * Every generated request is checked by a deliberately pessimistic local model of the API before it
 * is sent (`couldStartRun`): anything that might be a valid delivery (a flow path and an enabled
 * channel, however the path decodes; an accepted content type; a matching signature; a body that
 * passes every listening flow's schema, however it decodes) is regenerated. The one rule of the
 * API it trusts is the documented body limit: a valid body over 1mb is sent, and must get 413.
 * So any 2xx or any run is the API's fault, not the generator's. Proved once by hand: making
 * request #5 a valid order failed both the 4xx test (a 202) and the no-run test (its workflow id).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { request, type ClientRequest, type OutgoingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { ENGINE_ORIGIN } from '../../connectors/demo-mailer/origin';
import { flows } from '../../workflows/flows';
import type { FlowDefinition, WebhookTrigger } from '../../workflows/framework/flow';
import { orderPlacedExample } from '../../workflows/order-placed.schema';
import { eventually, startTestSystem, type TestSystem } from '../support/system';

const SEED = Number(process.env.RELIABILITY_FUZZ_SEED ?? 0x5eed_2026) >>> 0;
const COUNT = Number(process.env.RELIABILITY_FUZZ_REQUESTS ?? 2000);
const CONCURRENCY = 16;
const REQUEST_TIMEOUT_MS = 20_000;
const SHOW = Boolean(process.env.SHOW_SYSTEM_OUTPUT);
const MAILER_SECRET = 'fuzz-mailer-webhook-secret-not-real';
/** The API's WEBHOOK_BODY_LIMIT default (1mb). */
const BODY_LIMIT = 1024 * 1024;
/** The API's pattern for delivery and entity ids. */
const DELIVERY_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// ---------------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------------

/** mulberry32: tiny, fast, good enough for fuzzing, and the same sequence on every machine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)]!;
  }
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let at = this.next() * total;
    for (const [item, w] of items) {
      at -= w;
      if (at < 0) return item;
    }
    return items[items.length - 1]![0];
  }
  token(length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }
  /** Awkward text: emoji, right-to-left, zero-width, NUL, lone surrogates, combining marks. */
  oddText(): string {
    return this.pick(['💥', 'مرحبا', '\u200b', '\u0000', '\ud800', '\udfff', 'e\u0301', '\u202e', 'Ω≈ç√', '\ufeff', '\\', '"', '\u2028']).repeat(this.between(1, 20));
  }
}

/** Request #index's own generator: one request reproduces without generating the ones before it. */
const caseSeed = (index: number) => (SEED ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;

// ---------------------------------------------------------------------------------------------
// What is sent
// ---------------------------------------------------------------------------------------------

type Family = 'broken-json' | 'wrong-types' | 'huge-body' | 'encoding' | 'bad-signature' | 'unknown-path' | 'unknown-channel' | 'method';

const FAMILIES: ReadonlyArray<readonly [Family, number]> = [
  ['broken-json', 15],
  ['wrong-types', 22],
  ['huge-body', 1],
  ['encoding', 15],
  ['bad-signature', 17],
  ['unknown-path', 11],
  ['unknown-channel', 11],
  ['method', 8],
];

type Headers = Record<string, string | string[]>;

interface Draft {
  /** What this request breaks, for the failure message. */
  what: string;
  method: string;
  /** Raw request target, sent as is (no URL normalisation on our side). */
  path: string;
  headers: Headers;
  body: Buffer;
  /** Sent with Transfer-Encoding: chunked instead of a Content-Length. */
  chunked?: boolean;
}

interface FuzzRequest extends Draft {
  index: number;
  family: Family;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A flow path as the API serves it, with the channel it reaches. */
interface Target {
  /** Path under /webhooks/, e.g. `demo-crm/orders` or `demo-crm/orders/demo-crm-default`. */
  path: string;
  flows: FlowDefinition<WebhookTrigger>[];
  signed: boolean;
}

interface Context {
  targets: Target[];
  mailerTarget: Target;
  /** The bare flow paths (`demo-crm/orders`, `demo-mailer/contact-events`, …). */
  flowPaths: Target[];
  mailerChannelId: string;
  disabledChannelId: string;
  channels: Map<string, { application: string; enabled: boolean }>;
}

const json = (value: Json, indent?: number) => Buffer.from(JSON.stringify(value, null, indent), 'utf8');
const sign = (body: Buffer, secret = MAILER_SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
/** Every byte percent-encoded (lone surrogates become U+FFFD first, where encodeURIComponent throws). */
const percentEncode = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
const isObject = (value: Json | undefined): value is { [key: string]: Json } => typeof value === 'object' && value !== null && !Array.isArray(value);

function webhookFlowsAt(path: string): FlowDefinition<WebhookTrigger>[] {
  const found = flows.webhooksAt(path);
  if (found.length === 0) throw new Error(`no flow listens on ${path}: the fuzz targets are out of date`);
  return found;
}

/** A body every flow on the target accepts, with fresh ids. */
function validBody(rng: Rng, target: Target): { [key: string]: Json } {
  const value = JSON.parse(JSON.stringify(target.flows[0]!.trigger.example)) as Json;
  if (!isObject(value)) throw new Error(`example of ${target.path} is not an object`);
  for (const key of ['orderId', 'ticketId', 'id']) if (typeof value[key] === 'string') value[key] = `fuzz_${rng.token(10)}`;
  return value;
}

function schemasPass(target: Target, value: unknown): boolean {
  return target.flows.every((flow) => flow.trigger.body.safeParse(value).success);
}

// --- JSON tree mutations ----------------------------------------------------------------------

type JsonPath = Array<string | number>;

function pathsOf(value: Json, prefix: JsonPath = []): JsonPath[] {
  const out: JsonPath[] = [];
  if (Array.isArray(value)) value.forEach((item, i) => out.push([...prefix, i], ...pathsOf(item, [...prefix, i])));
  else if (isObject(value)) for (const [key, item] of Object.entries(value)) out.push([...prefix, key], ...pathsOf(item, [...prefix, key]));
  return out;
}

function parentOf(root: Json, path: JsonPath): Json | undefined {
  let node: Json | undefined = root;
  for (const key of path.slice(0, -1)) node = Array.isArray(node) ? node[key as number] : isObject(node) ? node[key as string] : undefined;
  return node;
}

function setAt(root: Json, path: JsonPath, value: Json | undefined): void {
  const parent = parentOf(root, path);
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(key as number, 1);
    else parent[key as number] = value;
  } else if (isObject(parent)) {
    if (value === undefined) delete parent[key as string];
    else parent[key as string] = value;
  }
}

function wrongValue(rng: Rng): Json {
  return rng.pick<() => Json>([
    () => null,
    () => true,
    () => false,
    () => 0,
    () => -1,
    () => 1.5,
    () => 1e308,
    () => Number.MAX_SAFE_INTEGER * 4,
    () => '',
    () => ' ',
    () => '12',
    () => 'null',
    () => [],
    () => ({}),
    () => [1, 'two', null],
    () => ({ nested: { deeper: [null, { x: 1 }] } }),
    () => rng.oddText(),
    () => 'x'.repeat(rng.between(1_000, 20_000)),
  ])();
}

/** Values that have the right JSON type but break the field's rules. */
const SEMANTIC: Record<string, Json[]> = {
  customerEmail: ['not-an-email', '@', 'ada@', '@example.com', 'a b@example.com'],
  email: ['not-an-email', '', 'ada@@example.com'],
  currency: ['EURO', 'E', '', '€€€€'],
  total: [-1, -0.01, '129.50'],
  type: ['exploded', 'OPENED', '', 'contact.exploded'],
  occurredAt: ['yesterday', '2026-13-45T99:00:00Z', '', 0],
  updatedAt: ['tomorrow', '2026-02-30', 17],
  version: [1.5, '2', -0.5],
  subscribed: ['yes', 1, 'true'],
  ticketId: ['x'.repeat(101), ''],
  contactId: [''],
  orderId: [''],
  id: [''],
  text: ['x'.repeat(2_001)],
  firstName: [null, 7],
  origin: [null, 42],
  contact: [null, [], 'ada@example.com'],
};

/** One mutation of the body tree; returns the new root (it may be replaced) and what was done. */
function mutate(rng: Rng, root: Json): { root: Json; what: string } {
  const paths = pathsOf(root);
  const op = rng.weighted<string>([
    ['replace-root', 2],
    ['wrong-type', 5],
    ['missing', 4],
    ['renamed', 2],
    ['semantic', 5],
    ['wrapped', 1],
    ['huge-string', 1],
    ['extra', 1],
  ]);
  if (op === 'replace-root' || paths.length === 0) {
    const replacement = rng.pick<Json>([[], [root], 'just a string', 42, null, true, false, '', {}, [[[[]]]], { body: root }]);
    return { root: replacement, what: `body replaced by ${JSON.stringify(replacement).slice(0, 40)}` };
  }
  const path = rng.pick(paths);
  const name = path.join('.');
  switch (op) {
    case 'wrong-type': {
      const value = wrongValue(rng);
      setAt(root, path, value);
      return { root, what: `${name} = ${JSON.stringify(value).slice(0, 40)}` };
    }
    case 'missing':
      setAt(root, path, undefined);
      return { root, what: `${name} removed` };
    case 'renamed': {
      const parent = parentOf(root, path);
      const key = path[path.length - 1]!;
      if (isObject(parent) && typeof key === 'string') {
        const renamed = rng.pick([key.toUpperCase(), `${key} `, ` ${key}`, `${key}\u0000`, key.replace(/I/g, 'ı'), '']);
        parent[renamed] = parent[key]!;
        delete parent[key];
        return { root, what: `${name} renamed to ${JSON.stringify(renamed)}` };
      }
      setAt(root, path, undefined);
      return { root, what: `${name} removed` };
    }
    case 'semantic': {
      const candidates = paths.filter((p) => typeof p[p.length - 1] === 'string' && Object.hasOwn(SEMANTIC, p[p.length - 1]!));
      if (candidates.length === 0) return mutate(rng, root);
      const at = rng.pick(candidates);
      const value = rng.pick(SEMANTIC[at[at.length - 1] as string]!);
      setAt(root, at, value);
      return { root, what: `${at.join('.')} = ${JSON.stringify(value).slice(0, 40)}` };
    }
    case 'wrapped': {
      const parent = parentOf(root, path);
      const key = path[path.length - 1]!;
      const current = Array.isArray(parent) ? parent[key as number] : isObject(parent) ? parent[key as string] : null;
      setAt(root, path, [current ?? null]);
      return { root, what: `${name} wrapped in an array` };
    }
    case 'huge-string': {
      // Within the body limit: the schema, not the parser, has to refuse it.
      const size = rng.between(100_000, 900_000);
      if (isObject(root)) root[rng.pick(['padding', 'customerName', 'text', 'origin'])] = 'y'.repeat(size);
      return { root, what: `a ${size}-character string added` };
    }
    default: {
      if (isObject(root)) {
        // Computed keys: own properties named like Object.prototype members, not prototype changes.
        const key = rng.pick(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', `x-${rng.token(6)}`]);
        root[key] = rng.pick<Json>([{ orderId: 'proto' }, { polluted: true }, 'x', null]);
        return { root, what: `extra field ${key}` };
      }
      return mutate(rng, root);
    }
  }
}

/** A body the target's schemas refuse (checked here, before sending). */
function invalidBody(rng: Rng, target: Target): { value: Json; what: string } {
  let root: Json = validBody(rng, target);
  const notes: string[] = [];
  const wanted = rng.between(1, 3);
  for (let i = 0; i < 12 && (i < wanted || schemasPass(target, root)); i++) {
    const step = mutate(rng, root);
    root = step.root;
    notes.push(step.what);
  }
  if (schemasPass(target, root)) return { value: [], what: 'body replaced by []' };
  return { value: root, what: notes.join(', ') };
}

/** A delivery id header the API refuses (non-empty, not letters, digits and . _ : -). */
function badDeliveryId(rng: Rng): string {
  return rng.pick(['has space', 'a/b', 'x'.repeat(129), 'caf\u00e9', '../etc/passwd', '*', 'id;drop', '%2e%2e', '"quoted"']);
}

// --- broken JSON -------------------------------------------------------------------------------

function breakJson(rng: Rng, text: string): { text: string; what: string } {
  const at = rng.int(Math.max(1, text.length));
  const breakers: Array<[string, () => string]> = [
    ['truncated', () => text.slice(0, at)],
    ['character dropped', () => text.slice(0, at) + text.slice(at + 1)],
    ['character inserted', () => text.slice(0, at) + rng.pick(['{', '}', '[', ']', '"', ':', ',', '\\', '\u0000', '\n']) + text.slice(at)],
    ['trailing comma', () => text.replace(/}\s*$/, ',}')],
    ['single quotes', () => text.replace(/"/g, "'")],
    ['unquoted keys', () => text.replace(/"(\w+)":/g, '$1:')],
    ['comment', () => `/* webhook */ ${text}`],
    ['line comment', () => `${text} // end`],
    ['NaN', () => text.replace(/:\s*("[^"]*"|[-\d.eE]+|true|false|null)/, ':NaN')],
    ['Infinity', () => text.replace(/:\s*("[^"]*"|[-\d.eE]+|true|false|null)/, ':-Infinity')],
    ['trailing garbage', () => text + rng.pick(['}', 'x', '\u0000', ',{}', ' true', ']', text])],
    ['leading garbage', () => rng.pick([')]}\'\n', 'x', ',', 'while(1);', '\u0000']) + text],
    ['unterminated string', () => text.slice(0, Math.max(0, text.lastIndexOf('"')))],
    ['raw control character in a string', () => text.replace(/":\s*"/, `":"${rng.pick(['\n', '\t', '\u0001', '\u001f'])}`)],
    ['bad escape', () => text.replace(/":\s*"/, `":"${rng.pick(['\\x41', '\\u12', '\\uZZZZ', '\\', '\\a', '\\0'])}`)],
    ['bad number', () => text.replace(/:\s*("[^"]*"|[-\d.eE]+|true|false|null)/, `:${rng.pick(['01', '1.', '.5', '-', '1e', '+1', '0x10', '1_000', '--1'])}`)],
    ['empty', () => ''],
    ['whitespace only', () => rng.pick([' ', '\n\t\r ', '\u00a0'])],
    ['unbalanced nesting', () => '['.repeat(rng.between(1, 100_000))],
    ['unbalanced object nesting', () => '{"a":'.repeat(rng.between(1, 50_000))],
    ['JSON5', () => "{orderId:'x', total: .5, currency: 'EUR',}"],
    ['undefined', () => rng.pick(['undefined', 'None', 'nil', 'True'])],
    ['two documents', () => `${text}\n${text}`],
    ['binary garbage', () => rng.bytes(rng.between(1, 2_000)).toString('latin1')],
  ];
  const [what, breaker] = rng.pick(breakers);
  return { text: breaker(), what };
}

/** Valid JSON that no flow accepts: scalars at the top, deep nesting, duplicate keys. */
function oddJson(rng: Rng, target: Target): { text: string; what: string } {
  const depth = rng.between(1_000, 100_000);
  return rng.pick<() => { text: string; what: string }>([
    () => ({ text: rng.pick(['null', 'true', '0', '"string"', '-1e999', '[]', '{}']), what: 'top-level scalar or empty' }),
    () => ({ text: '['.repeat(depth) + ']'.repeat(depth), what: `arrays nested ${depth} deep` }),
    () => ({ text: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth), what: `objects nested ${depth} deep` }),
    () => {
      const body = invalidBody(rng, target);
      return { text: JSON.stringify(body.value).replace(/^\{/, '{"orderId":1,"ticketId":[],"id":{},'), what: `duplicate keys, ${body.what}` };
    },
  ])();
}

// --- requests per family -----------------------------------------------------------------------

function jsonHeaders(target: Target, body: Buffer, signed = true): Headers {
  const headers: Headers = { 'content-type': 'application/json' };
  if (target.signed && signed) headers['x-mailer-signature'] = sign(body);
  return headers;
}

function brokenJson(rng: Rng, ctx: Context): Draft {
  const target = rng.pick(ctx.targets);
  const broken = rng.chance(0.8) ? breakJson(rng, JSON.stringify(validBody(rng, target), null, rng.chance(0.2) ? 2 : undefined)) : oddJson(rng, target);
  const body = Buffer.from(broken.text, 'utf8');
  return { what: broken.what, method: 'POST', path: `/webhooks/${target.path}`, headers: jsonHeaders(target, body), body };
}

function wrongTypes(rng: Rng, ctx: Context): Draft {
  const target = rng.pick(ctx.targets);
  if (rng.chance(0.12)) {
    // A body every flow accepts, signed when it must be: only the delivery id is wrong.
    const body = json(validBody(rng, target));
    const header = target.flows[0]!.trigger.deliveryIdHeader ?? 'x-delivery-id';
    const id = badDeliveryId(rng);
    return { what: `valid body, ${header}: ${JSON.stringify(id).slice(0, 40)}`, method: 'POST', path: `/webhooks/${target.path}`, headers: { ...jsonHeaders(target, body), [header]: id }, body };
  }
  if (rng.chance(0.05) && !target.signed) {
    // ticket-events: a schema-valid event whose entity id the API refuses.
    const value = validBody(rng, target);
    if ('ticketId' in value) {
      value.ticketId = rng.pick(['has/slash', 'with space', 'ü', 'a'.repeat(100).replace(/a$/, '/')]);
      const body = json(value);
      return { what: `entity id ${JSON.stringify(value.ticketId)}`, method: 'POST', path: `/webhooks/${target.path}`, headers: jsonHeaders(target, body), body };
    }
  }
  const { value, what } = invalidBody(rng, target);
  if (rng.chance(0.1)) {
    // The same mistakes, form-encoded (every value a string, nested ones bracketed).
    const form = new URLSearchParams();
    if (isObject(value)) for (const [key, item] of Object.entries(value)) form.append(key, typeof item === 'string' ? item : JSON.stringify(item));
    const body = Buffer.from(form.toString(), 'utf8');
    const headers: Headers = { 'content-type': 'application/x-www-form-urlencoded' };
    if (target.signed) headers['x-mailer-signature'] = sign(body);
    return { what: `form-encoded: ${what}`, method: 'POST', path: `/webhooks/${target.path}`, headers, body };
  }
  const body = json(value, rng.chance(0.2) ? 2 : undefined);
  return { what, method: 'POST', path: `/webhooks/${target.path}`, headers: jsonHeaders(target, body), body };
}

function hugeBody(rng: Rng, ctx: Context): Draft {
  const target = rng.pick(ctx.targets);
  const size = rng.between(BODY_LIMIT + 1_000, 2_500_000);
  const value = validBody(rng, target);
  const filler = rng.pick(['x', 'é', '💥']);
  value[rng.pick(['customerName', 'text', 'origin', 'padding'])] = filler.repeat(Math.ceil(size / Buffer.byteLength(filler)));
  const asJson = json(value);
  const variant = rng.pick(['json', 'json-chunked', 'form', 'array', 'text/plain', 'latin1', 'unknown-path']);
  const path = variant === 'unknown-path' ? `/webhooks/nope/${rng.token(8)}` : `/webhooks/${target.path}`;
  switch (variant) {
    case 'form': {
      const body = Buffer.from(new URLSearchParams({ orderId: 'x', padding: 'z'.repeat(size) }).toString(), 'utf8');
      return { what: `form body of ${body.length} bytes`, method: 'POST', path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body };
    }
    case 'array': {
      const body = Buffer.from(`[${'0,'.repeat(Math.ceil(size / 2))}0]`, 'utf8');
      return { what: `array body of ${body.length} bytes`, method: 'POST', path, headers: jsonHeaders(target, body), body };
    }
    case 'text/plain':
      return { what: `text/plain body of ${asJson.length} bytes`, method: 'POST', path, headers: { 'content-type': 'text/plain' }, body: asJson };
    case 'latin1':
      return { what: `latin1 body of ${asJson.length} bytes`, method: 'POST', path, headers: { 'content-type': 'application/json; charset=latin1' }, body: asJson };
    default:
      return { what: `${variant} body of ${asJson.length} bytes`, method: 'POST', path, headers: jsonHeaders(target, asJson), body: asJson, chunked: variant === 'json-chunked' };
  }
}

function oddEncoding(rng: Rng, ctx: Context): Draft {
  const target = rng.pick(ctx.targets);
  const path = `/webhooks/${target.path}`;
  const invalid = invalidBody(rng, target);
  const text = JSON.stringify(invalid.value);
  const signed = (body: Buffer, contentType: string): Headers => (target.signed ? { 'content-type': contentType, 'x-mailer-signature': sign(body) } : { 'content-type': contentType });
  const variants: Array<() => Draft> = [
    () => {
      const bom = rng.chance(0.5);
      const body = Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
      return { what: `UTF-16LE body${bom ? ' with BOM' : ''}, charset=utf-16 (${invalid.what})`, method: 'POST', path, headers: signed(body, 'application/json; charset=utf-16'), body };
    },
    () => {
      const body = Buffer.from(text, 'utf8');
      const charset = rng.pick(['utf-16', 'utf-16be', 'UTF-32', 'utf-7', 'utf-99', 'utf-']);
      return { what: `UTF-8 bytes declared charset=${charset} (${invalid.what})`, method: 'POST', path, headers: signed(body, `application/json; charset=${charset}`), body };
    },
    () => {
      const body = Buffer.from(text.replace(/"([^"]*)"/, '"$1\u00e9"'), 'latin1');
      const charset = rng.pick(['latin1', 'iso-8859-1', 'windows-1252', 'ascii', 'us-ascii', 'utf8', 'ucs-2', 'binary', 'ebcdic']);
      return { what: `latin1 bytes, charset=${charset} (${invalid.what})`, method: 'POST', path, headers: signed(body, `application/json; charset=${charset}`), body };
    },
    () => {
      const bad = rng.pick([[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xfe, 0xff]]);
      const utf8 = Buffer.from(text, 'utf8');
      const quote = utf8.indexOf('"', rng.int(utf8.length));
      const cut = quote < 0 ? utf8.length : quote + 1;
      const body = Buffer.concat([utf8.subarray(0, cut), Buffer.from(bad), utf8.subarray(cut)]);
      return { what: `invalid UTF-8 bytes ${Buffer.from(bad).toString('hex')} (${invalid.what})`, method: 'POST', path, headers: signed(body, 'application/json'), body };
    },
    () => {
      const bom = rng.pick([[0xef, 0xbb, 0xbf], [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], [0xfe, 0xff], [0xff, 0xfe, 0x00, 0x00]]);
      const body = Buffer.concat([Buffer.from(bom), Buffer.from(text, 'utf8')]);
      return { what: `BOM ${Buffer.from(bom).toString('hex')} (${invalid.what})`, method: 'POST', path, headers: signed(body, 'application/json'), body };
    },
    () => {
      const encoding = rng.pick(['gzip', 'deflate', 'br', 'zstd', 'compress', 'x-gzip', 'gzip, gzip', 'identity, gzip', 'chunked', 'base64', '*']);
      const body = rng.chance(0.3) ? Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), rng.bytes(rng.between(0, 64))]) : Buffer.from(text, 'utf8');
      return { what: `content-encoding: ${encoding}, body not encoded so`, method: 'POST', path, headers: { ...signed(body, 'application/json'), 'content-encoding': encoding }, body };
    },
    () => {
      const form = rng.pick([
        '%ZZ=1',
        'a=%E0%A4%A',
        '&&&=&=',
        '=',
        'a[b][c][d][e][f][g][h][i]=1',
        'a[]=1&a[1000000]=2',
        'ticketId=T1&type=opened',
        'ticketId[]=T1&contactId[]=c&type[]=opened',
        'ticketId[__proto__]=x&contactId=c&type=opened',
        'contact[email]=ada%40example.com&type=contact.updated',
        Array.from({ length: rng.between(1_001, 3_000) }, (_, i) => `k${i}=${i}`).join('&'),
        text,
      ]);
      const body = Buffer.from(form, 'utf8');
      return { what: `form-urlencoded ${JSON.stringify(form.slice(0, 40))}`, method: 'POST', path, headers: signed(body, `application/x-www-form-urlencoded${rng.chance(0.2) ? '; charset=iso-8859-1' : ''}`), body };
    },
    () => {
      // A body the flows would take, under a content type the API does not read.
      const body = json(validBody(rng, target));
      const contentType = rng.pick<string | undefined>([
        undefined,
        '',
        'text/plain',
        'application/xml',
        'text/json',
        'application/json5',
        'application/jsonx',
        'application/octet-stream',
        'multipart/form-data; boundary=----fuzz',
        '*/*',
        'json',
        'application/',
        '/json',
        'application/json; charset',
        'application/json;;;',
        'application/json; charset="utf-8',
        'application/json; charset=utf-8; charset=latin1',
        'application /json',
        'application/\u00e9json',
        'application/problem+json',
        'APPLICATION/JSON; CHARSET=UTF-8',
      ]);
      const headers: Headers = contentType === undefined ? {} : { 'content-type': contentType };
      if (target.signed) headers['x-mailer-signature'] = sign(body);
      return { what: `content-type ${JSON.stringify(contentType)}`, method: 'POST', path, headers, body };
    },
    () => {
      const body = Buffer.from(text, 'utf8');
      const name = rng.pick(['content-type', 'x-delivery-id', 'x-mailer-signature', 'x-fuzz']);
      const value = name === 'content-type' ? `application/json; x=${'a'.repeat(rng.between(8_000, 20_000))}` : 'a'.repeat(rng.between(8_000, 20_000));
      return { what: `header ${name} of ${value.length} characters (${invalid.what})`, method: 'POST', path, headers: { ...signed(body, 'application/json'), [name]: value }, body };
    },
    () => {
      const body = Buffer.from(text.replace(/"/, '"\u0000'), 'utf8');
      return { what: `NUL byte in body (${invalid.what})`, method: 'POST', path, headers: signed(body, 'application/json'), body };
    },
  ];
  return rng.pick(variants)();
}

function badSignature(rng: Rng, ctx: Context): Draft {
  const target = ctx.mailerTarget;
  const path = `/webhooks/${target.path}`;
  const event = validBody(rng, target);
  const body = json(event);
  const right = sign(body);
  const hex = right.slice('sha256='.length);
  const flip = (s: string) => {
    const at = rng.int(s.length);
    return s.slice(0, at) + ((parseInt(s[at]!, 16) + rng.between(1, 15)) % 16).toString(16) + s.slice(at + 1);
  };
  const signatures: Array<[string, () => string | string[] | undefined]> = [
    ['no signature', () => undefined],
    ['empty signature', () => ''],
    ['prefix only', () => 'sha256='],
    ['signed with another secret', () => sign(body, rng.pick(['wrong-secret', `${MAILER_SECRET} `, MAILER_SECRET.toUpperCase(), '']))],
    ['wrong prefix', () => `${rng.pick(['sha1=', 'SHA256=', 'sha256:', 'sha256 =', 'sha512=', 'v1=', 'sha256=sha256=', ''])}${hex}`],
    ['one nibble changed', () => `sha256=${flip(hex)}`],
    ['truncated', () => `sha256=${hex.slice(0, rng.int(hex.length))}`],
    ['extra characters', () => `sha256=${hex}${rng.pick(['0', 'ff', 'g', ' x', '=='])}`],
    ['base64 instead of hex', () => `sha256=${Buffer.from(hex, 'hex').toString('base64')}`],
    ['not hex', () => `sha256=${rng.token(64, 'ghijklmnopqrstuvwxyz!@#$%^&*()')}`],
    ['random hex', () => `sha256=${rng.token(64, '0123456789abcdef')}`],
    ['repeated header', () => rng.pick([[right, right], [right, `sha256=${flip(hex)}`], [`sha256=${flip(hex)}`, right]])],
    ['huge signature', () => `sha256=${'ab'.repeat(rng.between(1_000, 6_000))}`],
  ];
  const replays: Array<[string, () => Buffer]> = [
    ['field changed', () => json({ ...event, origin: rng.pick(['attacker', ENGINE_ORIGIN, 'user ']) })],
    ['nested field changed', () => json({ ...event, contact: { ...(isObject(event.contact) ? event.contact : {}), email: 'mallory@example.com' } })],
    ['trailing whitespace', () => Buffer.concat([body, Buffer.from(rng.pick([' ', '\n', '\r\n', '\t']))])],
    ['keys reordered', () => json(Object.fromEntries(Object.entries(event).reverse()) as { [key: string]: Json })],
    ['pretty-printed', () => json(event, 2)],
    ['other event', () => json(validBody(rng, target))],
    ['re-encoded', () => Buffer.from(JSON.stringify(event).replace(/a/, '\\u0061'), 'utf8')],
  ];
  const headers: Headers = { 'content-type': 'application/json' };
  if (rng.chance(0.35)) {
    // Replay: a valid signature of one body, sent with another.
    const [what, other] = rng.pick(replays);
    const sent = other();
    headers['x-mailer-signature'] = right;
    if (rng.chance(0.5)) headers['x-mailer-delivery'] = `replay-${rng.token(8)}`;
    return { what: `replayed signature, body ${what}`, method: 'POST', path, headers, body: sent };
  }
  const [what, signature] = rng.pick(signatures);
  const value = signature();
  if (value !== undefined) headers[rng.pick(['x-mailer-signature', 'X-Mailer-Signature'])] = value;
  if (rng.chance(0.2)) headers[rng.pick(['x-hub-signature-256', 'x-signature', 'x-mailer-signature-256'])] = right;
  return { what, method: 'POST', path, headers, body };
}

function unknownPath(rng: Rng, ctx: Context): Draft {
  const target = rng.pick(ctx.targets);
  const paths = [
    `/webhooks/nope/${rng.token(6)}`,
    '/webhooks/',
    '/webhooks',
    '/webhooks/demo-crm',
    '/webhooks/demo-crm/',
    '/webhooks/demo-crm/orderz',
    `/webhooks/${target.path}/${rng.token(4)}/${rng.token(4)}`,
    '/webhooks/../../etc/passwd',
    '/webhooks/..%2F..%2Fetc%2Fpasswd',
    '/webhooks/%2e%2e/%2e%2e/etc/passwd',
    '/webhooks/../webhooks/demo-crm/orders',
    '/webhooks/./demo-crm/orders',
    '/webhooks//demo-crm/orders',
    '/webhooks/demo-crm//orders',
    '/webhooks/demo-crm%2Forders',
    '/webhooks/demo%2Dcrm/orders',
    '/webhooks/DEMO-CRM/ORDERS',
    '/WEBHOOKS/demo-crm/orders',
    '/webhook/demo-crm/orders',
    '/webhooks.json',
    '/webhooks/demo-crm/orders.json',
    '/webhooks/demo-crm/orders;channel=x',
    '/webhooks/%',
    '/webhooks/%zz',
    '/webhooks/%E0%A4%A',
    '/webhooks/%00',
    '/webhooks/demo-crm/orders%00',
    `/webhooks/${percentEncode(rng.oddText())}`,
    '/webhooks/%ED%A0%80',
    '/webhooks/demo-crm/orders/%C0%AF',
    '/webhooks/\u00e9t\u00e9',
    '/webhooks/constructor',
    '/webhooks/__proto__/x',
    '/webhooks/*',
    '/webhooks/:path',
    `/webhooks/${'a/'.repeat(rng.between(100, 2_000))}`,
    `/webhooks/${'x'.repeat(rng.between(1_000, 12_000))}`,
    `/webhooks/${target.path}?channel=${rng.token(8)}`,
    `/webhooks/${target.path}?channelId=demo-crm-default&path=../../x`,
  ];
  const path = rng.pick(paths);
  // Any body: the pessimistic check regenerates a valid one on a path that might still resolve.
  const valid = rng.chance(0.5);
  const body = valid ? json(validBody(rng, target)) : json(invalidBody(rng, target).value);
  return { what: `unknown path, ${valid ? 'valid' : 'invalid'} body`, method: 'POST', path, headers: jsonHeaders(target, body), body };
}

function unknownChannel(rng: Rng, ctx: Context): Draft {
  // The flow paths themselves (the mailer's too), with a channel that is not theirs.
  const target = rng.pick(ctx.flowPaths);
  const channel = rng.pick<string>([
    `ch_${rng.token(12)}`,
    rng.token(rng.between(1, 40)),
    target.signed ? 'demo-crm-default' : ctx.mailerChannelId,
    ctx.disabledChannelId,
    'demo-mailer-default',
    'demo-crm-default'.toUpperCase(),
    'demo-crm-default%20',
    'demo-crm-default%00',
    `${ctx.mailerChannelId}%0A`,
    encodeURIComponent("' OR '1'='1"),
    encodeURIComponent('"; DROP TABLE channels; --'),
    '%2e%2e',
    '..',
    '%',
    '__proto__',
    'toString',
    'x'.repeat(rng.between(200, 5_000)),
    percentEncode(rng.oddText()),
  ]);
  // Bare mailer path: its default channel does not exist in this system.
  const path = target.signed && rng.chance(0.2) ? `/webhooks/${target.path}` : `/webhooks/${target.path}/${channel}`;
  const valid = rng.chance(0.6);
  const body = valid ? json(validBody(rng, target)) : json(invalidBody(rng, target).value);
  const headers = jsonHeaders(target, body);
  return { what: `unknown channel ${JSON.stringify(path.slice(-40))}, ${valid ? 'valid signed' : 'invalid'} body`, method: 'POST', path, headers, body };
}

function unusualMethod(rng: Rng, ctx: Context): Draft {
  const target = rng.pick(ctx.targets);
  const method = rng.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'TRACE', 'PROPFIND', 'SEARCH', 'OPTIONS']);
  const withBody = method !== 'HEAD' && method !== 'TRACE' && rng.chance(0.7);
  const body = withBody ? json(validBody(rng, target)) : Buffer.alloc(0);
  const headers: Headers = withBody ? jsonHeaders(target, body) : {};
  if (rng.chance(0.3)) headers[rng.pick(['x-http-method-override', 'x-http-method', 'x-method-override'])] = 'POST';
  return { what: `${method} ${withBody ? 'with a valid body' : 'without a body'}`, method, path: `/webhooks/${target.path}`, headers, body };
}

const GENERATORS: Record<Family, (rng: Rng, ctx: Context) => Draft> = {
  'broken-json': brokenJson,
  'wrong-types': wrongTypes,
  'huge-body': hugeBody,
  encoding: oddEncoding,
  'bad-signature': badSignature,
  'unknown-path': unknownPath,
  'unknown-channel': unknownChannel,
  method: unusualMethod,
};

// ---------------------------------------------------------------------------------------------
// The pessimistic model: could the API start a run for this request?
// ---------------------------------------------------------------------------------------------

/** Headers as the server sees them: lower-case names, repeats joined with ", " (content-type: first wins). */
function serverHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, raw] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      const trimmed = value.trim();
      if (!(name in out)) out[name] = trimmed;
      else if (name !== 'content-type') out[name] = `${out[name]}, ${trimmed}`;
    }
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Every webhook path the request target might be routed to, however a server normalises it. */
function routeCandidates(rawPath: string): string[] {
  const target = rawPath.split('?')[0]!;
  const variants = new Set<string>();
  for (const decoded of [target, safeDecode(target), target.split('/').map(safeDecode).join('/')]) {
    for (const cased of [decoded, decoded.toLowerCase()]) {
      variants.add(cased);
      // Dot segments resolved and empty segments dropped, as a normalising proxy would.
      const segments: string[] = [];
      for (const segment of cased.split('/')) {
        if (segment === '' || segment === '.') continue;
        if (segment === '..') segments.pop();
        else segments.push(segment);
      }
      variants.add(`/${segments.join('/')}`);
    }
  }
  const out: string[] = [];
  for (const variant of variants) {
    const match = /^\/+webhooks\/+(.+)$/i.exec(variant);
    if (match) out.push(match[1]!, match[1]!.replace(/\/+$/, ''));
  }
  return out;
}

function decodedBodies(body: Buffer, contentEncoding: string | undefined): Buffer[] {
  const buffers = [body];
  if (contentEncoding && contentEncoding.toLowerCase() !== 'identity') {
    for (const inflate of [gunzipSync, inflateSync, inflateRawSync, brotliDecompressSync]) {
      try {
        buffers.push(inflate(body));
      } catch {
        // not that encoding
      }
    }
  }
  return buffers;
}

function texts(buffer: Buffer): string[] {
  const utf8 = buffer.toString('utf8');
  const swapped = Buffer.from(buffer);
  if (swapped.length % 2 === 0) swapped.swap16();
  return [utf8, utf8.replace(/^\ufeff+/, ''), buffer.toString('utf16le').replace(/^\ufeff/, ''), swapped.toString('utf16le').replace(/^\ufeff/, ''), buffer.toString('latin1')];
}

function bodyCandidates(buffer: Buffer, contentType: string): unknown[] {
  const out: unknown[] = [undefined, {}];
  const form = contentType === 'application/x-www-form-urlencoded';
  for (const text of texts(buffer)) {
    if (!form) {
      try {
        out.push(JSON.parse(text) as unknown);
      } catch {
        // not JSON this way
      }
    }
    if (form || contentType !== 'application/json') out.push(Object.fromEntries(new URLSearchParams(text)));
  }
  return out;
}

function couldStartRun(r: Draft, ctx: Context): boolean {
  if (r.method.toUpperCase() !== 'POST') return false;
  const headers = serverHeaders(r.headers);
  const contentType = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (!contentType || !(contentType === 'application/json' || contentType === 'application/x-www-form-urlencoded' || /^application\/[a-z0-9.+-]+\+json$/.test(contentType))) return false;
  // Over WEBHOOK_BODY_LIMIT the API answers 413 (its documented contract): a huge valid body is
  // malformed too, and must not start a run.
  if (!headers['content-encoding'] && r.body.length > BODY_LIMIT) return false;
  for (const path of routeCandidates(r.path)) {
    let listening = flows.webhooksAt(path);
    let channelId = listening.length > 0 ? `${listening[0]!.application.name}-default` : '';
    if (listening.length === 0) {
      const cut = path.lastIndexOf('/');
      if (cut <= 0) continue;
      listening = flows.webhooksAt(path.slice(0, cut));
      channelId = path.slice(cut + 1);
    }
    if (listening.length === 0) continue;
    const application = listening[0]!.application;
    const channel = ctx.channels.get(channelId);
    if (!channel || channel.application !== application.name || !channel.enabled) continue;
    const buffers = decodedBodies(r.body, headers['content-encoding']);
    if (application.webhooks) {
      // The only signed application here; another one would need its own check.
      if (application.name !== 'demo-mailer') return true;
      const given = headers['x-mailer-signature'] ?? '';
      // Independent of the API's verifier: the sha256= prefix, then hex in any case.
      const verified = buffers.some((buffer) => given.startsWith('sha256=') && given.slice(7).toLowerCase() === sign(buffer).slice(7));
      if (!verified) continue;
    }
    const trigger = listening[0]!.trigger;
    const deliveryId = headers[trigger.deliveryIdHeader ?? 'x-delivery-id'];
    if (deliveryId && !DELIVERY_ID.test(deliveryId)) continue;
    for (const buffer of buffers) {
      for (const candidate of bodyCandidates(buffer, contentType)) {
        const parsed = listening.map((flow) => flow.trigger.body.safeParse(candidate));
        if (!parsed.every((p) => p.success)) continue;
        // A single entity flow refuses an entity id outside the pattern before it signals.
        const only = listening.length === 1 ? listening[0]!.trigger : undefined;
        if (only?.mode === 'signal' && !DELIVERY_ID.test(only.entityId(parsed[0]!.data))) continue;
        return true;
      }
    }
  }
  return false;
}

/** Drafts the pessimistic check threw away (they might have been valid), per family. */
const regenerated = new Map<Family, number>();

function generate(index: number, ctx: Context): FuzzRequest {
  const rng = new Rng(caseSeed(index));
  const family = rng.weighted(FAMILIES);
  for (let attempt = 0; attempt < 200; attempt++) {
    const draft = GENERATORS[family](rng, ctx);
    if (!couldStartRun(draft, ctx)) return { ...draft, index, family };
    regenerated.set(family, (regenerated.get(family) ?? 0) + 1);
  }
  throw new Error(`seed ${SEED} #${index} [${family}]: no invalid request in 200 attempts; the generator is broken`);
}

// ---------------------------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------------------------

interface Answer {
  /** 0 when no status line came back. */
  status: number;
  text: string;
  error?: string;
  ms: number;
}

/** One request on its own connection (node:http, no keep-alive), the target sent byte for byte. */
function send(port: number, r: FuzzRequest): Promise<Answer> {
  return new Promise((resolve) => {
    const started = Date.now();
    let status = 0;
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      resolve({ status, text: Buffer.concat(chunks).toString('utf8').slice(0, 2_000), ms: Date.now() - started, ...(error ? { error } : {}) });
    };
    const headers: OutgoingHttpHeaders = { ...r.headers };
    if (!r.chunked) headers['content-length'] = r.body.length;
    let req: ClientRequest;
    try {
      req = request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent: false, timeout: REQUEST_TIMEOUT_MS }, (res) => {
        status = res.statusCode ?? 0;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => finish());
        res.on('error', (err) => finish(err.message));
      });
    } catch (err) {
      finish(`the client refused to send it: ${(err as Error).message}`);
      return;
    }
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    // An error after the status line (the server closed while a huge body was still going out) still counts as answered.
    req.on('error', (err) => finish(err.message));
    if (r.chunked) {
      for (let at = 0; at < r.body.length; at += 64 * 1024) req.write(r.body.subarray(at, at + 64 * 1024));
      req.end();
    } else {
      req.end(r.body);
    }
  });
}

async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function explain(r: FuzzRequest, a: Answer): string {
  const shortHeaders = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, (Array.isArray(v) ? v.join(' | ') : v).slice(0, 80)]));
  const preview = r.body.subarray(0, 160).toString('latin1');
  const answer = a.status ? `${a.status} ${a.text.slice(0, 300)}` : `no answer (${a.error})`;
  return `seed ${SEED} #${r.index} [${r.family}: ${r.what}] ${r.method} ${r.path.slice(0, 160)} headers=${JSON.stringify(shortHeaders)} body(${r.body.length} bytes)=${JSON.stringify(preview)} → ${answer}`;
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

let system: TestSystem;
let ctx: Context;
let port: number;
let runsBefore: string[] = [];
const validRuns: string[] = [];

async function runsOnQueue(): Promise<string[]> {
  const ids: string[] = [];
  for await (const run of system.client.workflow.list({ query: `TaskQueue = "${system.settings.taskQueue}"` })) ids.push(run.workflowId);
  return ids.sort();
}

beforeAll(async () => {
  system = await startTestSystem();
  port = Number(new URL(system.apiUrl).port);
  // A signed application's channel (through the store: no subscription at a remote), and a disabled one.
  const mailer = await system.channels.create({
    application: 'demo-mailer',
    name: 'fuzz mailer',
    settings: { baseUrl: 'http://127.0.0.1:9', crmChannelId: 'demo-crm-default' },
    credentials: { apiToken: 'fuzz-token-not-real', webhookSecret: MAILER_SECRET },
    enabled: true,
    authStatus: 'configured',
  });
  const disabled = await system.channels.create({ application: 'demo-crm', name: 'fuzz disabled', settings: { baseUrl: system.crm.url }, credentials: { apiKey: 'x' }, enabled: false, authStatus: 'configured' });
  const target = (path: string, flowPath: string): Target => {
    const listening = webhookFlowsAt(flowPath);
    return { path, flows: listening, signed: listening[0]!.application.webhooks !== undefined };
  };
  const mailerTarget = target(`demo-mailer/contact-events/${mailer.id}`, 'demo-mailer/contact-events');
  ctx = {
    targets: [
      target('demo-crm/orders', 'demo-crm/orders'),
      target('demo-crm/orders/demo-crm-default', 'demo-crm/orders'),
      target('demo-crm/ticket-events', 'demo-crm/ticket-events'),
      target('demo-crm/ticket-events/demo-crm-default', 'demo-crm/ticket-events'),
      mailerTarget,
    ],
    mailerTarget,
    flowPaths: [target('demo-crm/orders', 'demo-crm/orders'), target('demo-crm/ticket-events', 'demo-crm/ticket-events'), target('demo-mailer/contact-events', 'demo-mailer/contact-events')],
    mailerChannelId: mailer.id,
    disabledChannelId: disabled.id,
    channels: new Map((await system.channels.list()).map((c) => [c.id, { application: c.application, enabled: c.enabled }])),
  };
  runsBefore = await runsOnQueue();
});
afterAll(async () => {
  await system?.stop();
});

it(`answers ${COUNT} malformed webhook requests with 4xx, never a 5xx (seed ${SEED})`, async () => {
  const requests = Array.from({ length: COUNT }, (_, i) => generate(i, ctx));
  const errorLinesBefore = system.apiLogLines.length;
  const started = Date.now();
  const answers = await inPool(requests, CONCURRENCY, (r) => send(port, r));
  const elapsed = Date.now() - started;

  const histogram = new Map<Family, Map<string, number>>();
  const failures: string[] = [];
  requests.forEach((r, i) => {
    const a = answers[i]!;
    const key = a.status ? String(a.status) : 'no answer';
    const perFamily = histogram.get(r.family) ?? new Map<string, number>();
    perFamily.set(key, (perFamily.get(key) ?? 0) + 1);
    histogram.set(r.family, perFamily);
    if (!(a.status >= 400 && a.status < 500)) failures.push(explain(r, a));
  });
  if (SHOW) {
    const lines = [...histogram].sort(([a], [b]) => a.localeCompare(b)).map(([family, statuses]) => {
      const total = [...statuses.values()].reduce((s, n) => s + n, 0);
      const counts = [...statuses].sort(([a], [b]) => a.localeCompare(b)).map(([status, n]) => `${status}×${n}`).join(' ');
      return `  ${family.padEnd(16)} ${String(total).padStart(5)}  ${counts}${regenerated.get(family) ? `  (${regenerated.get(family)} possibly valid drafts regenerated)` : ''}`;
    });
    const slowest = Math.max(...answers.map((a) => a.ms));
    console.log(`webhook fuzz: seed ${SEED}, ${COUNT} requests in ${elapsed} ms (concurrency ${CONCURRENCY}, slowest ${slowest} ms)\n${lines.join('\n')}`);
  }

  // The API logs every 5xx, and every unexpected exception, at error level (pino 50+).
  const errorLines = system.apiLogLines.slice(errorLinesBefore).filter((line) => ((JSON.parse(line) as { level?: number }).level ?? 0) >= 50);
  expect({ seed: SEED, failures: failures.slice(0, 20), failureCount: failures.length, apiErrorLogs: errorLines.slice(0, 5) }).toEqual({ seed: SEED, failures: [], failureCount: 0, apiErrorLogs: [] });
}, 300_000);

it('is still healthy afterwards: /health is 200 and valid deliveries start runs that complete', async () => {
  const health = await fetch(`${system.apiUrl}/health`);
  expect(health.status).toBe(200);
  expect(((await health.json()) as { status: string }).status).toBe('ok');

  const order = await fetch(`${system.apiUrl}/webhooks/demo-crm/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-delivery-id': `after-fuzz-${randomUUID()}` },
    body: JSON.stringify({ ...orderPlacedExample, orderId: 'ord_after_fuzz' }),
  });
  expect(order.status).toBe(202);
  const orderRun = (await order.json()) as { workflowId: string };
  validRuns.push(orderRun.workflowId);
  await expect(system.client.workflow.getHandle(orderRun.workflowId).result()).resolves.toMatchObject({ contactId: expect.any(String), noteId: expect.any(String) });

  // The signed path too: a correctly signed event (our own echo, so the run ends without calling the mailer).
  const event = Buffer.from(JSON.stringify({ ...(flows.webhooksAt('demo-mailer/contact-events')[0]!.trigger.example as object), id: `evt_after_fuzz_${randomUUID()}`, origin: ENGINE_ORIGIN }), 'utf8');
  const mailer = await fetch(`${system.apiUrl}/webhooks/${ctx.mailerTarget.path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-mailer-signature': sign(event) }, body: event });
  expect(mailer.status).toBe(202);
  const mailerRun = (await mailer.json()) as { workflowId: string };
  validRuns.push(mailerRun.workflowId);
  await expect(system.client.workflow.getHandle(mailerRun.workflowId).result()).resolves.toEqual({ skipped: 'echo' });
});

it('started no run for any malformed request', async () => {
  expect(runsBefore).toEqual([]);
  // Visibility is eventually consistent: wait until the runs started after the fuzz show up, so
  // anything the fuzz started (earlier) has had the time to show up too.
  if (validRuns.length > 0) await eventually(async () => ((await runsOnQueue()).filter((id) => validRuns.includes(id)).length === validRuns.length ? true : undefined), 30_000, 'the valid runs in visibility');
  else await new Promise((r) => setTimeout(r, 3_000));
  const unexpected = (await runsOnQueue()).filter((id) => !validRuns.includes(id));
  expect({ seed: SEED, unexpectedRuns: unexpected }).toEqual({ seed: SEED, unexpectedRuns: [] });
});
