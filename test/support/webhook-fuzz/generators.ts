/**
 * The webhook fuzz's request generators: one per mutation family, each drawing a malformed delivery
 * from a seeded Rng. `generate` keeps only drafts the validity model says cannot start a run.
 */
import { ENGINE_ORIGIN } from '../../../connectors/framework/change-origin';
import { BODY_LIMIT, MAILER_SECRET, sign } from './api-rules';
import { caseSeed, Rng } from './random';
import type { Context, Draft, Family, FuzzRequest, Headers, Json, Target } from './types';
import { couldStartRun } from './validity';

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

const json = (value: Json, indent?: number) => Buffer.from(JSON.stringify(value, null, indent), 'utf8');
/** Every byte percent-encoded (lone surrogates become U+FFFD first, where encodeURIComponent throws). */
const percentEncode = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
const isObject = (value: Json | undefined): value is { [key: string]: Json } => typeof value === 'object' && value !== null && !Array.isArray(value);

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
    ['leading garbage', () => rng.pick([")]}'\n", 'x', ',', 'while(1);', '\u0000']) + text],
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
      const bom = rng.pick([
        [0xef, 0xbb, 0xbf],
        [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf],
        [0xfe, 0xff],
        [0xff, 0xfe, 0x00, 0x00],
      ]);
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
      return {
        what: `form-urlencoded ${JSON.stringify(form.slice(0, 40))}`,
        method: 'POST',
        path,
        headers: signed(body, `application/x-www-form-urlencoded${rng.chance(0.2) ? '; charset=iso-8859-1' : ''}`),
        body,
      };
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
    [
      'repeated header',
      () =>
        rng.pick([
          [right, right],
          [right, `sha256=${flip(hex)}`],
          [`sha256=${flip(hex)}`, right],
        ]),
    ],
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
// Request #index
// ---------------------------------------------------------------------------------------------

/**
 * Request #index of the run seeded with `seed`. Drafts the pessimistic check throws away (they
 * might have been valid) are counted per family in `regenerated`.
 */
export function generate(seed: number, index: number, ctx: Context, regenerated: Map<Family, number>): FuzzRequest {
  const rng = new Rng(caseSeed(seed, index));
  const family = rng.weighted(FAMILIES);
  for (let attempt = 0; attempt < 200; attempt++) {
    const draft = GENERATORS[family](rng, ctx);
    if (!couldStartRun(draft, ctx)) return { ...draft, index, family };
    regenerated.set(family, (regenerated.get(family) ?? 0) + 1);
  }
  throw new Error(`seed ${seed} #${index} [${family}]: no invalid request in 200 attempts; the generator is broken`);
}
