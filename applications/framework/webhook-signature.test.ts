/**
 * Webhook signature schemes against the providers' own signers, so these tests prove compatibility
 * rather than agreement of our code with itself:
 * - GitHub: @octokit/webhooks-methods signs and verifies. It ships ESM only, and jest here resolves
 *   `require` conditions (its exports offer `import` only), so it runs in a child Node process.
 * - Stripe: the `stripe` SDK's generateTestHeaderString signs and constructEvent verifies.
 * - Standard Webhooks: the reference library `standardwebhooks` signs (Webhook.sign) and verifies
 *   (Webhook.verify), and the spec's example pins the algorithm down.
 * - Slack and Shopify publish no small SDK for this (@slack/bolt and @shopify/shopify-api are whole
 *   frameworks), so the test signs per their documented algorithm, and the Slack and GitHub doc
 *   examples (known answers) pin that algorithm down.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import {
  githubSignature,
  hmacSha256,
  sharedSecretHeader,
  shopifySignature,
  slackSignature,
  standardWebhooksSignature,
  stripeSignature,
  type SignatureCheck,
  type SignatureRequest,
  type SignatureScheme,
} from './webhook-signature';

type Headers = SignatureRequest['headers'];

const SECRET = 'whsec_c2VjcmV0LWZvci10ZXN0cw';
// Both are valid Standard Webhooks secrets (whsec_<base64>) too, so every scheme runs with them.
const OTHER_SECRET = 'whsec_YW5vdGhlci1zZWNyZXQtZW50aXJlbHk';
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0); // ms
const NOW_S = NOW / 1000;
// A Stripe-shaped event (constructEvent parses it), with multi-byte UTF-8 so byte handling matters.
const BODY = JSON.stringify({ id: 'evt_1', object: 'event', type: 'customer.created', data: { object: { name: 'Zoë ✓' } } });
const RAW = Buffer.from(BODY, 'utf8');

/** The same bytes with one bit of one byte changed. */
function oneByteChanged(raw: Buffer): Buffer {
  const changed = Buffer.from(raw);
  changed[changed.length - 2] ^= 0x01;
  return changed;
}

/** Replaces the first character of a signature with another one of the same alphabet. */
const otherChar = (value: string) => (value[0] === 'a' ? 'b' : 'a') + value.slice(1);

const check = (scheme: SignatureScheme, headers: Headers, options: { raw?: Buffer; secret?: string; now?: number } = {}): SignatureCheck =>
  scheme.verify({ rawBody: options.raw ?? RAW, headers, secret: options.secret ?? SECRET, now: options.now ?? NOW });

/** Refused, the reason names the header, and gives away neither the secret nor any signature. */
function expectRefused(result: SignatureCheck, header: string | RegExp): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.reason).toMatch(header);
  expect(result.reason).not.toContain(SECRET);
  expect(result.reason).not.toContain(OTHER_SECRET);
  expect(result.reason).not.toMatch(/[A-Za-z0-9+/]{20,}/); // nothing shaped like a hex or base64 signature
}

// Per the providers' docs (cited where used); node:crypto is only the HMAC primitive here.
const hmacOf = (secret: string, payload: string, encoding: 'hex' | 'base64') => createHmac('sha256', secret).update(payload, 'utf8').digest(encoding);

// -- GitHub's reference signer, in a child process (ESM only) -----------------------------------

interface OctokitResults {
  signatures: string[];
  verified: boolean[];
}

function octokit(signs: Array<[secret: string, payload: string]>, verifies: Array<[secret: string, payload: string, signature: string]>): OctokitResults {
  const script = `
    import { readFileSync } from 'node:fs';
    import { sign, verify } from '@octokit/webhooks-methods';
    const { signs, verifies } = JSON.parse(readFileSync(0, 'utf8'));
    const signatures = await Promise.all(signs.map(([secret, payload]) => sign(secret, payload)));
    const verified = await Promise.all(verifies.map(([secret, payload, signature]) => verify(secret, payload, signature)));
    process.stdout.write(JSON.stringify({ signatures, verified }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: resolve(__dirname, '../..'), // resolves the package from the repo's node_modules
    input: JSON.stringify({ signs, verifies }),
    encoding: 'utf8',
  });
  return JSON.parse(out) as OctokitResults;
}

const GITHUB_DOC = { secret: "It's a Secret to Everybody", payload: 'Hello, World!', signature: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' };
const githubBySecret = new Map<string, string>();
let octokitVerified: boolean[] = [];

beforeAll(() => {
  const results = octokit(
    [
      [SECRET, BODY],
      [OTHER_SECRET, BODY],
      [GITHUB_DOC.secret, GITHUB_DOC.payload],
    ],
    // Vice versa: octokit accepts the test's documented-algorithm signature, and refuses a wrong one.
    [
      [SECRET, BODY, `sha256=${hmacOf(SECRET, BODY, 'hex')}`],
      [SECRET, BODY, `sha256=${hmacOf(OTHER_SECRET, BODY, 'hex')}`],
    ],
  );
  githubBySecret.set(SECRET, results.signatures[0]!);
  githubBySecret.set(OTHER_SECRET, results.signatures[1]!);
  githubBySecret.set(GITHUB_DOC.secret, results.signatures[2]!);
  octokitVerified = results.verified;
});

// -- Stripe's reference signer ------------------------------------------------------------------

const stripe = new Stripe('sk_test_not-used-no-requests-are-made');
const stripeHeader = (secret: string, timestamp = NOW_S, payload = BODY) => stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });

// -- Slack and Shopify per their docs -----------------------------------------------------------

// https://api.slack.com/authentication/verifying-requests-from-slack: basestring `v0:<timestamp>:<body>`,
// HMAC-SHA256 with the signing secret, hex, as `X-Slack-Signature: v0=<hex>`.
const slackHeaders = (secret: string, timestamp = NOW_S, body = BODY): Headers => ({
  'x-slack-signature': `v0=${hmacOf(secret, `v0:${timestamp}:${body}`, 'hex')}`,
  'x-slack-request-timestamp': String(timestamp),
});

// https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify:
// HMAC-SHA256 of the raw body with the app's client secret, base64, in `X-Shopify-Hmac-Sha256`.
const shopifyHeaders = (secret: string, body = BODY): Headers => ({ 'x-shopify-hmac-sha256': hmacOf(secret, body, 'base64') });

// -- Standard Webhooks' reference library --------------------------------------------------------

const MESSAGE_ID = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
const standardHeaders = (secret: string, timestamp = NOW, body = BODY, id = MESSAGE_ID): Headers => ({
  'webhook-id': id,
  'webhook-timestamp': String(Math.floor(timestamp / 1000)),
  'webhook-signature': new Webhook(secret).sign(id, new Date(timestamp), body),
});

// -- What every scheme must do ------------------------------------------------------------------

interface Case {
  name: string;
  scheme: SignatureScheme;
  /** Headers a correct sender (the reference signer) sends for BODY at NOW. */
  signed: (secret: string) => Headers;
  /** The same headers with the signature changed but still well formed. */
  wrongSignature: (headers: Headers) => Headers;
  /** The header a refusal of a wrong signature names. */
  signatureHeader: string;
  /** Whether the signature covers the body (a shared-secret header does not). */
  coversBody: boolean;
}

const cases: Case[] = [
  {
    name: 'github (octokit signs)',
    scheme: githubSignature(),
    signed: (secret) => ({ 'x-hub-signature-256': githubBySecret.get(secret)! }),
    wrongSignature: (h) => ({ ...h, 'x-hub-signature-256': `sha256=${otherChar(String(h['x-hub-signature-256']).slice('sha256='.length))}` }),
    signatureHeader: 'x-hub-signature-256',
    coversBody: true,
  },
  {
    name: 'shopify (documented algorithm)',
    scheme: shopifySignature(),
    signed: (secret) => shopifyHeaders(secret),
    wrongSignature: (h) => ({ ...h, 'x-shopify-hmac-sha256': otherChar(String(h['x-shopify-hmac-sha256'])) }),
    signatureHeader: 'x-shopify-hmac-sha256',
    coversBody: true,
  },
  {
    name: 'stripe (stripe SDK signs)',
    scheme: stripeSignature(),
    signed: (secret) => ({ 'stripe-signature': stripeHeader(secret) }),
    wrongSignature: (h) => ({ ...h, 'stripe-signature': String(h['stripe-signature']).replace(/v1=(.)/, (_m, c: string) => `v1=${c === 'a' ? 'b' : 'a'}`) }),
    signatureHeader: 'stripe-signature',
    coversBody: true,
  },
  {
    name: 'slack (documented algorithm)',
    scheme: slackSignature(),
    signed: (secret) => slackHeaders(secret),
    wrongSignature: (h) => ({ ...h, 'x-slack-signature': `v0=${otherChar(String(h['x-slack-signature']).slice(3))}` }),
    signatureHeader: 'x-slack-signature',
    coversBody: true,
  },
  {
    name: 'standard webhooks (standardwebhooks signs)',
    scheme: standardWebhooksSignature(),
    signed: (secret) => standardHeaders(secret),
    wrongSignature: (h) => ({ ...h, 'webhook-signature': `v1,${otherChar(String(h['webhook-signature']).slice(3))}` }),
    signatureHeader: 'webhook-signature',
    coversBody: true,
  },
  {
    name: 'shared secret header',
    scheme: sharedSecretHeader({ header: 'X-Webhook-Token' }),
    signed: (secret) => ({ 'x-webhook-token': secret }),
    wrongSignature: (h) => ({ ...h, 'x-webhook-token': `${String(h['x-webhook-token'])}x` }),
    signatureHeader: 'x-webhook-token',
    coversBody: false,
  },
];

describe.each(cases)('$name', ({ scheme, signed, wrongSignature, signatureHeader, coversBody }) => {
  it('accepts a correctly signed request', () => {
    expect(check(scheme, signed(SECRET))).toEqual({ ok: true });
  });

  it('refuses a wrong signature', () => {
    expectRefused(check(scheme, wrongSignature(signed(SECRET))), signatureHeader);
  });

  it('refuses a request signed with another secret, and one checked with another secret', () => {
    expectRefused(check(scheme, signed(OTHER_SECRET)), signatureHeader);
    expectRefused(check(scheme, signed(SECRET), { secret: OTHER_SECRET }), signatureHeader);
  });

  it.each(scheme.headers.map((name) => [name]))('refuses a request without header %s, naming it', (name) => {
    const headers = { ...signed(SECRET) };
    delete headers[name];
    expectRefused(check(scheme, headers), name);
    expectRefused(check(scheme, { ...signed(SECRET), [name]: '' }), name);
    expectRefused(check(scheme, {}), scheme.headers[0]!);
  });

  it.each(scheme.headers.map((name) => [name]))('refuses header %s sent twice, as an array or joined by Node', (name) => {
    const headers = signed(SECRET);
    const value = String(headers[name]);
    expectRefused(check(scheme, { ...headers, [name]: [value, value] }), new RegExp(`${name} was sent more than once`));
    if (scheme.kind !== 'shared-secret') expectRefused(check(scheme, { ...headers, [name]: `${value}, ${value}` }), name);
  });

  if (coversBody) {
    it('refuses a body changed by one byte', () => {
      expectRefused(check(scheme, signed(SECRET), { raw: oneByteChanged(RAW) }), signatureHeader);
      expectRefused(check(scheme, signed(SECRET), { raw: Buffer.alloc(0) }), signatureHeader);
    });
  } else {
    it('does not cover the body (why HMAC schemes are preferred)', () => {
      expect(check(scheme, signed(SECRET), { raw: oneByteChanged(RAW) })).toEqual({ ok: true });
    });
  }

  it('refuses when no secret is configured, whatever the headers say', () => {
    expectRefused(check(scheme, signed(SECRET), { secret: '' }), /secret/);
    expectRefused(check(scheme, { [signatureHeader]: '' }, { secret: '' }), /secret/);
  });

  it('never throws, whatever it is given', () => {
    const good = signed(SECRET);
    const junk: unknown[] = [undefined, null, 42, {}, [], '', ' ', '=', ',', ',,,', 't=', 'v1=', 'v0=', 'sha256=', 'é', '\u0000', 'x'.repeat(100_000), 't=1,v1=zz', 't=99999999999999999999,v1=00'];
    const requests: unknown[] = [
      { rawBody: undefined, headers: good, secret: SECRET, now: NOW },
      { rawBody: 'not a buffer', headers: good, secret: SECRET, now: NOW },
      { rawBody: RAW, headers: null, secret: SECRET, now: NOW },
      { rawBody: RAW, headers: undefined, secret: SECRET, now: NOW },
      { rawBody: RAW, headers: good, secret: undefined, now: NOW },
      { rawBody: RAW, headers: good, secret: 42, now: NOW },
      { rawBody: RAW, headers: good, secret: SECRET, now: Number.NaN },
      { rawBody: RAW, headers: good, secret: SECRET, now: undefined },
      // Headers that blow up when read: the guard turns that into a refusal too.
      {
        rawBody: RAW,
        headers: new Proxy(good, {
          get: () => {
            throw new Error('boom');
          },
        }),
        secret: SECRET,
        now: NOW,
      },
      ...scheme.headers.flatMap((name) => junk.map((value) => ({ rawBody: RAW, headers: { ...good, [name]: value }, secret: SECRET, now: NOW }))),
    ];
    for (const request of requests) {
      let result: SignatureCheck | undefined;
      expect(() => (result = scheme.verify(request as SignatureRequest))).not.toThrow();
      expect(result).toEqual(expect.objectContaining({ ok: expect.any(Boolean) }));
      if (result && !result.ok) expect(result.reason).not.toContain(SECRET);
    }
  });

  it('describes itself', () => {
    expect(scheme.headers.length).toBeGreaterThan(0);
    for (const name of scheme.headers) expect(name).toBe(name.toLowerCase());
    expect(scheme.kind).toMatch(/^[a-z0-9-]+$/);
  });
});

// -- Scheme by scheme ---------------------------------------------------------------------------

describe('github', () => {
  it("accepts GitHub's documented example", () => {
    // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
    expect(githubBySecret.get(GITHUB_DOC.secret)).toBe(GITHUB_DOC.signature);
    const request = { rawBody: Buffer.from(GITHUB_DOC.payload), headers: { 'x-hub-signature-256': GITHUB_DOC.signature }, secret: GITHUB_DOC.secret, now: NOW };
    expect(githubSignature().verify(request)).toEqual({ ok: true });
  });

  it("agrees with octokit's verify on the test's documented-algorithm signatures", () => {
    expect(octokitVerified).toEqual([true, false]);
    expect(check(githubSignature(), { 'x-hub-signature-256': `sha256=${hmacOf(SECRET, BODY, 'hex')}` })).toEqual({ ok: true });
  });

  it('refuses a signature without its sha256= prefix, or a sha1 one', () => {
    const hex = githubBySecret.get(SECRET)!.slice('sha256='.length);
    expectRefused(check(githubSignature(), { 'x-hub-signature-256': hex }), 'x-hub-signature-256');
    expectRefused(check(githubSignature(), { 'x-hub-signature-256': `sha1=${hex}` }), 'x-hub-signature-256');
  });
});

describe('hmacSha256', () => {
  const custom = hmacSha256({ header: 'X-Mailer-Signature', encoding: 'hex', prefix: 'sha256=' });

  it('lower-cases the header name and reports its kind', () => {
    expect(custom.kind).toBe('hmac-sha256');
    expect(custom.headers).toEqual(['x-mailer-signature']);
  });

  it('takes hex in either case, and nothing that is not hex', () => {
    const hex = hmacOf(SECRET, BODY, 'hex');
    expect(check(custom, { 'x-mailer-signature': `sha256=${hex.toUpperCase()}` })).toEqual({ ok: true });
    expectRefused(check(custom, { 'x-mailer-signature': `sha256=${hex.slice(0, -1)}g` }), 'x-mailer-signature is not a hex signature');
    expectRefused(check(custom, { 'x-mailer-signature': `sha256=${hex}, sha256=${hex}` }), 'x-mailer-signature is not a hex signature');
    expectRefused(check(custom, { 'x-mailer-signature': `sha256=${hex.slice(0, 10)}` }), 'x-mailer-signature');
  });

  it('signs bytes, not text: a body that is not UTF-8 verifies', () => {
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x7f]);
    const base64 = hmacSha256({ header: 'x-sig', encoding: 'base64' });
    expect(check(base64, { 'x-sig': createHmac('sha256', SECRET).update(binary).digest('base64') }, { raw: binary })).toEqual({ ok: true });
  });
});

describe('stripe', () => {
  const scheme = stripeSignature();
  const header = 'stripe-signature';

  it('accepts a timestamp inside the tolerance (either side of now) and refuses one outside it', () => {
    for (const offset of [-300, -299, 0, 299, 300]) {
      expect(check(scheme, { [header]: stripeHeader(SECRET, NOW_S + offset) })).toEqual({ ok: true });
    }
    for (const offset of [-301, -3600, 301]) {
      expectRefused(check(scheme, { [header]: stripeHeader(SECRET, NOW_S + offset) }), /stripe-signature.*tolerance/);
    }
  });

  it('takes its tolerance as an option', () => {
    const strict = stripeSignature({ toleranceSeconds: 10 });
    expect(check(strict, { [header]: stripeHeader(SECRET, NOW_S - 10) })).toEqual({ ok: true });
    expectRefused(check(strict, { [header]: stripeHeader(SECRET, NOW_S - 11) }), /tolerance/);
  });

  it("agrees with the SDK's constructEvent: stale is refused by both", () => {
    const stale = stripeHeader(SECRET, NOW_S - 301);
    expect(() => stripe.webhooks.constructEvent(BODY, stale, SECRET, 300, undefined, NOW)).toThrow(/tolerance/);
    expectRefused(check(scheme, { [header]: stale }), /tolerance/);
  });

  it('accepts a header carrying several v1 signatures (a secret being rolled) and a v0 one, if any v1 matches', () => {
    const good = hmacOf(SECRET, `${NOW_S}.${BODY}`, 'hex');
    const old = hmacOf(OTHER_SECRET, `${NOW_S}.${BODY}`, 'hex');
    const value = `t=${NOW_S},v1=${old},v1=${good},v0=${old}`;
    expect(check(scheme, { [header]: value })).toEqual({ ok: true });
    expect(check(scheme, { [header]: `t=${NOW_S},v1=${good},v1=${old}` })).toEqual({ ok: true });
    expect(stripe.webhooks.constructEvent(BODY, value, SECRET, 300, undefined, NOW).id).toBe('evt_1');
    expectRefused(check(scheme, { [header]: `t=${NOW_S},v1=${old},v0=${good}` }), header);
  });

  it("vice versa: the SDK's constructEvent accepts what the test signs per Stripe's docs", () => {
    // https://docs.stripe.com/webhooks#verify-manually: signed payload `<t>.<body>`, HMAC-SHA256, hex, as v1.
    const value = `t=${NOW_S},v1=${hmacOf(SECRET, `${NOW_S}.${BODY}`, 'hex')}`;
    expect(stripe.webhooks.constructEvent(BODY, value, SECRET, 300, undefined, NOW)).toMatchObject({ id: 'evt_1', type: 'customer.created' });
    expect(check(scheme, { [header]: value })).toEqual({ ok: true });
    expect(check(scheme, { [header]: stripeHeader(SECRET) })).toEqual({ ok: true });
    expect(stripeHeader(SECRET)).toBe(value); // the SDK and the docs agree byte for byte
  });

  it('refuses malformed headers', () => {
    const v1 = hmacOf(SECRET, `${NOW_S}.${BODY}`, 'hex');
    for (const value of [
      `v1=${v1}`,
      `t=${NOW_S}`,
      `t=${NOW_S},v1=`,
      `t=abc,v1=${v1}`,
      `t=${NOW_S}.5,v1=${v1}`,
      `t=-${NOW_S},v1=${v1}`,
      `t=${NOW_S},t=${NOW_S},v1=${v1}`,
      `t=${NOW_S};v1=${v1}`,
      'garbage',
    ]) {
      expectRefused(check(scheme, { [header]: value }), header);
    }
  });
});

describe('slack', () => {
  const scheme = slackSignature();

  it("accepts Slack's documented example", () => {
    // https://api.slack.com/authentication/verifying-requests-from-slack (the worked example).
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const request = {
      rawBody: Buffer.from(body),
      headers: { 'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503', 'x-slack-request-timestamp': '1531420618' },
      secret: '8f742231b10e8888abcd99yyyzzz85a5',
      now: 1531420618_000,
    };
    expect(scheme.verify(request)).toEqual({ ok: true });
    // The test's signer is the documented algorithm: it reproduces the example.
    expect(slackHeaders(request.secret, 1531420618, body)['x-slack-signature']).toBe(request.headers['x-slack-signature']);
    expectRefused(scheme.verify({ ...request, now: NOW }), 'x-slack-request-timestamp');
  });

  it('accepts a timestamp inside the tolerance (either side of now) and refuses one outside it', () => {
    for (const offset of [-300, -1, 0, 1, 300]) expect(check(scheme, slackHeaders(SECRET, NOW_S + offset))).toEqual({ ok: true });
    for (const offset of [-301, -86_400, 301]) expectRefused(check(scheme, slackHeaders(SECRET, NOW_S + offset)), /x-slack-request-timestamp.*tolerance/);
    expect(check(slackSignature({ toleranceSeconds: 60 }), slackHeaders(SECRET, NOW_S - 60))).toEqual({ ok: true });
    expectRefused(check(slackSignature({ toleranceSeconds: 60 }), slackHeaders(SECRET, NOW_S - 61)), /tolerance/);
  });

  it('refuses a timestamp header that does not match the signed one, and malformed ones', () => {
    const headers = slackHeaders(SECRET);
    expectRefused(check(scheme, { ...headers, 'x-slack-request-timestamp': String(NOW_S + 1) }), 'x-slack-signature');
    for (const ts of ['abc', `${NOW_S}.0`, `-${NOW_S}`, '1e9']) expectRefused(check(scheme, { ...headers, 'x-slack-request-timestamp': ts }), 'x-slack-request-timestamp');
    expectRefused(check(scheme, { ...headers, 'x-slack-signature': String(headers['x-slack-signature']).replace('v0=', 'v1=') }), 'x-slack-signature');
  });
});

describe('shopify', () => {
  it('refuses a hex signature where base64 is expected', () => {
    expectRefused(check(shopifySignature(), { 'x-shopify-hmac-sha256': hmacOf(SECRET, BODY, 'hex') }), 'x-shopify-hmac-sha256');
  });
});

describe('sharedSecretHeader', () => {
  const scheme = sharedSecretHeader({ header: 'X-Gitlab-Token' });

  it('compares the whole value: a prefix or an extension of the secret is refused', () => {
    expect(scheme.kind).toBe('shared-secret');
    expectRefused(check(scheme, { 'x-gitlab-token': SECRET.slice(0, -1) }), 'x-gitlab-token');
    expectRefused(check(scheme, { 'x-gitlab-token': `${SECRET}${SECRET}` }), 'x-gitlab-token');
    expect(check(scheme, { 'x-gitlab-token': SECRET })).toEqual({ ok: true });
  });
});

describe('standard webhooks', () => {
  const scheme = standardWebhooksSignature();
  const header = 'webhook-signature';

  it("accepts the spec's example, which the reference library reproduces", () => {
    // https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md (the signature example).
    const example = { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: '{"test": 2432232314}' };
    const signature = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
    expect(new Webhook(example.secret).sign(example.id, new Date(example.timestamp * 1000), example.body)).toBe(signature);
    const headers = { 'webhook-id': example.id, 'webhook-timestamp': String(example.timestamp), [header]: signature };
    expect(scheme.verify({ rawBody: Buffer.from(example.body), headers, secret: example.secret, now: example.timestamp * 1000 })).toEqual({ ok: true });
    expectRefused(scheme.verify({ rawBody: Buffer.from(example.body), headers, secret: example.secret, now: NOW }), /webhook-timestamp.*tolerance/);
  });

  it('vice versa: the reference library verifies what the test signs per the spec, and agrees with ours on a forgery', () => {
    // Spec: HMAC-SHA256 of `<id>.<timestamp>.<body>` keyed with the base64-decoded secret, base64, as `v1,<sig>`.
    const now = Date.now();
    const timestamp = String(Math.floor(now / 1000));
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const bySpec = `v1,${createHmac('sha256', key).update(`${MESSAGE_ID}.${timestamp}.${BODY}`).digest('base64')}`;
    const headers = { 'webhook-id': MESSAGE_ID, 'webhook-timestamp': timestamp, [header]: bySpec };
    expect(new Webhook(SECRET).verify(BODY, headers)).toMatchObject({ id: 'evt_1' });
    expect(scheme.verify({ rawBody: RAW, headers, secret: SECRET, now })).toEqual({ ok: true });
    // The library's own signature, verified by both; then one changed id, refused by both.
    const signed = standardHeaders(SECRET, now) as Record<string, string>;
    expect(() => new Webhook(SECRET).verify(BODY, signed)).not.toThrow();
    const otherId = { ...signed, 'webhook-id': 'msg_other' };
    expect(() => new Webhook(SECRET).verify(BODY, otherId)).toThrow(/signature/);
    expectRefused(scheme.verify({ rawBody: RAW, headers: otherId, secret: SECRET, now }), header);
  });

  it('signs the id: the same body and signature under another webhook-id is refused', () => {
    expectRefused(check(scheme, { ...standardHeaders(SECRET), 'webhook-id': 'msg_guessed' }), header);
    expectRefused(check(scheme, { ...standardHeaders(SECRET), 'webhook-timestamp': String(NOW_S + 1) }), header);
  });

  it('accepts a timestamp inside the tolerance (either side of now) and refuses one outside it', () => {
    for (const offset of [-300, 0, 300]) expect(check(scheme, standardHeaders(SECRET, NOW + offset * 1000))).toEqual({ ok: true });
    for (const offset of [-301, -86_400, 301]) expectRefused(check(scheme, standardHeaders(SECRET, NOW + offset * 1000)), /webhook-timestamp.*tolerance/);
    expectRefused(check(standardWebhooksSignature({ toleranceSeconds: 60 }), standardHeaders(SECRET, NOW - 61_000)), /tolerance/);
  });

  it('accepts any matching v1 among several (a secret being rolled) and ignores other versions', () => {
    const good = String(standardHeaders(SECRET)[header]);
    const old = String(standardHeaders(OTHER_SECRET)[header]);
    expect(check(scheme, { ...standardHeaders(SECRET), [header]: `${old} ${good}` })).toEqual({ ok: true });
    expect(check(scheme, { ...standardHeaders(SECRET), [header]: `v1a,${good.slice(3)} ${good}` })).toEqual({ ok: true });
    expectRefused(check(scheme, { ...standardHeaders(SECRET), [header]: `v1a,${good.slice(3)}` }), /no v1 signature/);
    expectRefused(check(scheme, { ...standardHeaders(SECRET), [header]: `${old}` }), header);
  });

  it('refuses what the reference library would let through: a lax timestamp, a joined header, a body that is not UTF-8', () => {
    const headers = standardHeaders(SECRET);
    for (const ts of [`${NOW_S}abc`, `${NOW_S}.0`, ` ${NOW_S}x`, '1e9']) expectRefused(check(scheme, { ...headers, 'webhook-timestamp': ts }), 'webhook-timestamp');
    expectRefused(check(scheme, { ...headers, [header]: `${String(headers[header])}, ${String(headers[header])}` }), header);
    expectRefused(check(scheme, { ...headers, [header]: `${String(headers[header])}  ${String(headers[header])}` }), header);
    const latin1 = Buffer.from([0x7b, 0x7d, 0xff]);
    expectRefused(check(scheme, standardHeaders(SECRET, NOW, latin1.toString('utf8')), { raw: latin1 }), /UTF-8/);
  });

  it('refuses a channel secret that is not whsec_<base64>, without showing it', () => {
    expectRefused(check(scheme, standardHeaders(SECRET), { secret: 'whsec_not*base64!' }), /whsec_<base64>/);
  });

  it('says what it signs: the body and the webhook-id header', () => {
    expect(scheme.signs).toEqual({ body: true, idHeader: 'webhook-id' });
    expect(scheme.headers[0]).toBe(header);
  });
});
