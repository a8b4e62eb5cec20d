/**
 * The connector framework against a real HTTP server on loopback: request building through the
 * application (base URL, headers, each auth kind), response evaluation into typed errors,
 * Retry-After, timeouts, network errors, and output validation.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { defineApplication } from '../../applications/framework/application';
import type { Auth } from '../../applications/framework/auth';
import { defineConnector, type Connector } from './connector';
import { ConnectorError, NonRetryableConnectorError, RateLimitedConnectorError, RetryableConnectorError } from './errors';
import { executeConnector } from './execute';
import { retryAfterMs } from './retry-after';
import { freePort } from '../../test/support/ports';

type Reply = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number };
let server: Server;
let baseUrl: string;
let nextReply: Reply;
let lastRequest: { method: string; url: string; headers: IncomingMessage['headers']; body: string };

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    lastRequest = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() };
    const reply = nextReply;
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (res.destroyed) return;
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

const Credentials = z.object({ user: z.string(), secret: z.string() });
function appWith(auth: Auth<z.output<typeof Credentials>>) {
  return defineApplication({
    name: 'test-service',
    title: 'Test service',
    settings: z.object({ baseUrl: z.url() }),
    credentials: Credentials,
    baseUrl: (s) => `${s.baseUrl}/v1/`,
    auth,
    headers: { 'X-Client': 'engine' },
    timeoutMs: 500,
  });
}
const bearerApp = appWith({ kind: 'bearer', token: (c) => c.secret });

const getThing = defineConnector({
  application: bearerApp,
  name: 'getThing',
  description: 'GET one thing',
  input: z.object({ id: z.string().min(1), expand: z.boolean().default(false) }),
  output: z.object({ id: z.string(), name: z.string() }),
  request: ({ id, expand }) => ({ method: 'GET', path: `/things/${id}`, query: { expand } }),
});

const channel = () => ({ settings: { baseUrl }, credentials: { user: 'ada', secret: 's3cr3t-token' } });
const run = (input: unknown, connector: Connector = getThing) => executeConnector(connector, channel(), input);

describe('request building', () => {
  it('joins base URL and path, adds query, shared headers and bearer auth', async () => {
    nextReply = { status: 200, body: JSON.stringify({ id: '7', name: 'seven' }) };
    await expect(run({ id: '7' })).resolves.toEqual({ id: '7', name: 'seven' });
    expect(lastRequest).toMatchObject({ method: 'GET', url: '/v1/things/7?expand=false' });
    expect(lastRequest.headers).toMatchObject({ authorization: 'Bearer s3cr3t-token', 'x-client': 'engine' });
  });

  it.each([
    [
      'basic',
      { kind: 'basic', username: (c) => c.user, password: (c) => c.secret } as const,
      (r: typeof lastRequest) => r.headers.authorization,
      `Basic ${Buffer.from('ada:s3cr3t-token').toString('base64')}`,
    ],
    ['api key header', { kind: 'api-key', in: 'header', name: 'X-Api-Key', key: (c) => c.secret } as const, (r: typeof lastRequest) => r.headers['x-api-key'], 's3cr3t-token'],
    ['api key query', { kind: 'api-key', in: 'query', name: 'api_key', key: (c) => c.secret } as const, (r: typeof lastRequest) => new URL(r.url, baseUrl).searchParams.get('api_key'), 's3cr3t-token'],
    ['none', { kind: 'none' } as const, (r: typeof lastRequest) => r.headers.authorization, undefined],
  ] satisfies Array<[string, Auth<z.output<typeof Credentials>>, (r: typeof lastRequest) => unknown, unknown]>)('applies %s auth', async (_name, auth, read, expected) => {
    const connector = defineConnector({ ...getThing, application: appWith(auth) });
    nextReply = { status: 200, body: JSON.stringify({ id: '1', name: 'one' }) };
    await run({ id: '1' }, connector);
    expect(read(lastRequest)).toEqual(expected);
  });

  it('sends a JSON body for writes', async () => {
    const createThing = defineConnector({
      application: bearerApp,
      name: 'createThing',
      description: 'POST a thing',
      input: z.object({ name: z.string() }),
      output: z.object({ id: z.string(), name: z.string() }),
      request: (thing) => ({ method: 'POST', path: '/things', body: thing }),
    });
    nextReply = { status: 201, body: JSON.stringify({ id: '9', name: 'nine' }) };
    await run({ name: 'nine' }, createThing);
    expect(lastRequest).toMatchObject({ method: 'POST', body: '{"name":"nine"}' });
    expect(lastRequest.headers['content-type']).toBe('application/json');
  });

  it('rejects invalid input before any request, naming the field', async () => {
    nextReply = { status: 500 };
    const err = await run({ id: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetryableConnectorError);
    expect(err).toMatchObject({ reason: 'InvalidInput', message: expect.stringContaining('id:') });
  });

  it('reports invalid channel credentials by field, without their values', async () => {
    const err = await executeConnector(getThing, { settings: { baseUrl }, credentials: { user: 'ada', secret: 42 } }, { id: '1' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'InvalidChannelConfig', message: expect.stringContaining('secret') });
    expect((err as Error).message).not.toContain('42');
  });
});

describe('response evaluation', () => {
  it.each([400, 401, 403, 404, 409, 422])('%i is non-retryable, with status, body excerpt and connector name', async (status) => {
    nextReply = { status, body: JSON.stringify({ error: `nope ${status}` }) };
    const err = await run({ id: '1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetryableConnectorError);
    expect(err).toMatchObject({ status, reason: `HttpStatus${status}`, message: `test-service.getThing: HTTP ${status}: {"error":"nope ${status}"}` });
  });

  it.each([408, 425, 500, 502, 503, 504])('%i is retryable', async (status) => {
    nextReply = { status, body: '' };
    const err = await run({ id: '1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableConnectorError);
    expect(err).toMatchObject({ status, errorClass: 'retryable' });
  });

  it('429 and 503 with Retry-After become rate limits carrying the delay', async () => {
    nextReply = { status: 429, headers: { 'retry-after': '7' } };
    await expect(run({ id: '1' })).rejects.toMatchObject({ errorClass: 'rate-limited', retryAfterMs: 7_000, status: 429 });
    nextReply = { status: 503, headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() } };
    const err = (await run({ id: '1' }).catch((e: unknown) => e)) as RateLimitedConnectorError;
    expect(err).toBeInstanceOf(RateLimitedConnectorError);
    expect(err.retryAfterMs).toBeGreaterThan(28_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('a 2xx that breaks the output schema is a non-retryable error naming the field', async () => {
    nextReply = { status: 200, body: JSON.stringify({ id: 7, name: 'seven' }) };
    await expect(run({ id: '7' })).rejects.toMatchObject({ errorClass: 'non-retryable', reason: 'InvalidResponse', message: expect.stringContaining('id: Invalid input: expected string') });
  });

  it('a connector can override evaluation, e.g. for 200-with-error-body APIs', async () => {
    const quirky = defineConnector({
      ...getThing,
      name: 'getQuirkyThing',
      evaluate: (response, defaults) => {
        const body = response.body as { ok?: boolean; error?: string };
        if (body.ok === false) throw new NonRetryableConnectorError('test-service.getQuirkyThing', body.error ?? 'error', 'RemoteError');
        return defaults();
      },
    });
    nextReply = { status: 200, body: JSON.stringify({ ok: false, error: 'no such thing' }) };
    await expect(run({ id: '1' }, quirky)).rejects.toMatchObject({ reason: 'RemoteError', message: 'test-service.getQuirkyThing: no such thing' });
  });

  it('a slow answer past the timeout is retryable', async () => {
    nextReply = { status: 200, body: '{}', delayMs: 1_500 };
    await expect(run({ id: '1' })).rejects.toMatchObject({ errorClass: 'retryable', reason: 'Timeout' });
  });

  it('a cancellation (Temporal cancelling the activity) aborts the request at once and is not classified', async () => {
    nextReply = { status: 200, body: '{}', delayMs: 1_500 };
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(new Error('activity cancelled')), 50);
    const started = performance.now();
    const err = await executeConnector(getThing, channel(), { id: '1' }, { signal: cancel.signal }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(400); // not the 500 ms timeout, not the 1.5 s answer
    expect(err).not.toBeInstanceOf(ConnectorError);
  });

  it('a refused connection is retryable', async () => {
    const closedPort = await freePort(); // nothing listens there any more
    const err = await executeConnector(getThing, { settings: { baseUrl: `http://127.0.0.1:${closedPort}` }, credentials: { user: 'a', secret: 'b' } }, { id: '1' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ errorClass: 'retryable', reason: 'NetworkError', message: expect.stringContaining('ECONNREFUSED') });
  });
});

describe('the response hook', () => {
  it('sees the status and headers of every answer, errors too, with the channel it came for', async () => {
    const seen: Array<{ status: number; quota: string | null; channelId: string | undefined; baseUrl: string }> = [];
    const app = defineApplication({
      name: 'quota-service',
      title: 'Quota service',
      settings: z.object({ baseUrl: z.url() }),
      credentials: Credentials,
      baseUrl: (s) => s.baseUrl,
      auth: { kind: 'bearer', token: (c) => c.secret },
      responseHook: (response, { channelId, settings }) => void seen.push({ status: response.status, quota: response.headers.get('x-quota'), channelId, baseUrl: settings.baseUrl }),
    });
    const get = defineConnector({ application: app, name: 'get', description: 'GET', input: z.object({}), output: z.unknown(), request: () => ({ method: 'GET', path: '/q' }) });
    nextReply = { status: 200, headers: { 'x-quota': '3/40' }, body: '{}' };
    await executeConnector(get, { id: 'ch-1', ...channel() }, {});
    nextReply = { status: 429, headers: { 'x-quota': '40/40', 'retry-after': '1' }, body: '{}' };
    await expect(executeConnector(get, { id: 'ch-2', ...channel() }, {})).rejects.toBeInstanceOf(RateLimitedConnectorError);
    expect(seen).toEqual([
      { status: 200, quota: '3/40', channelId: 'ch-1', baseUrl },
      { status: 429, quota: '40/40', channelId: 'ch-2', baseUrl },
    ]);
  });
});

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 0, 1);
  it.each([
    [{ 'retry-after': '120' }, 120_000],
    [{ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'Wed, 31 Dec 2025 00:00:00 GMT' }, 0],
    [{ 'ratelimit-reset': '15' }, 15_000],
    [{ 'x-ratelimit-reset': String(now / 1000 + 60) }, 60_000],
    [{ 'x-ratelimit-reset': String(now / 1000 + 60), 'x-ratelimit-remaining': '0' }, 60_000],
    // Quota left: the reset time says nothing about when to try again.
    [{ 'x-ratelimit-reset': String(now / 1000 + 3000), 'x-ratelimit-remaining': '4999' }, undefined],
    [{ 'ratelimit-reset': '15', 'ratelimit-remaining': '3' }, undefined],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('%j -> %s', (headers, expected) => {
    expect(retryAfterMs(new Headers(headers), now)).toBe(expected);
  });
});
