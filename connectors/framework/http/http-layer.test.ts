/**
 * The connector HTTP layer against real loopback servers: what arrives (bodies, query styles,
 * user agent, signed requests), where credentials go on redirects, what the egress policy keeps
 * from ever being contacted, and the response cap.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { parse as parseForm } from 'qs';
import { z } from 'zod';
import { defineApplication, type ApplicationDefinition } from '../../../applications/framework/application';
import { defineConnector, type RequestSpec } from '../connector';
import { executeConnector } from '../execute';
import { form, multipart, raw } from './body';
import { DEFAULT_MAX_RESPONSE_BYTES, HttpClient } from './client';
import { EgressPolicy } from './egress-policy';
import { productUserAgent } from './user-agent';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A loopback server that records what reaches it, and counts connections (a refused destination gets none). */
class Recorder {
  readonly seen: Seen[] = [];
  connections = 0;
  private server!: Server;
  url = '';
  port = 0;

  constructor(private readonly reply: (req: Seen, res: import('node:http').ServerResponse) => void = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')) {}

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const seen = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
      this.seen.push(seen);
      this.reply(seen, res);
    });
    this.server.on('connection', () => (this.connections += 1));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  last(): Seen {
    return this.seen.at(-1)!;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const tuning = { maxSocketsPerOrigin: 8, maxFreeSocketsPerOrigin: 4, maxSockets: 64 };
const clientWith = (policy: EgressPolicy, maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES) => new HttpClient({ policy, maxResponseBytes, tuning, userAgent: productUserAgent() });

const Credentials = z.object({ token: z.string(), apiKey: z.string() });
type Creds = z.output<typeof Credentials>;
const channel = (baseUrl: string) => ({ id: 'ch-1', settings: { baseUrl }, credentials: { token: 'tok-SECRET', apiKey: 'key-SECRET' } });

function app(overrides: Partial<ApplicationDefinition<z.ZodObject<{ baseUrl: z.ZodString }>, typeof Credentials>> = {}) {
  return defineApplication({
    name: 'remote',
    title: 'Remote',
    settings: z.object({ baseUrl: z.string() }),
    credentials: Credentials,
    baseUrl: (s) => s.baseUrl,
    auth: { kind: 'bearer', token: (c: Creds) => c.token },
    headers: { 'x-client': 'engine', 'x-api-key': 'placeholder' },
    ...overrides,
  });
}

function connectorFor(application: ReturnType<typeof app>, request: (input: Record<string, unknown>) => RequestSpec, output: z.ZodType = z.unknown()) {
  return defineConnector({ application, name: 'call', description: 'a call', input: z.record(z.string(), z.unknown()), output, request });
}

let target: Recorder;
let other: Recorder;
beforeEach(async () => {
  [target, other] = await Promise.all([new Recorder().start(), new Recorder().start()]);
});
afterEach(() => Promise.all([target.stop(), other.stop()]));

/** Replaces the target with one that answers as `reply` says. */
async function serveTarget(reply: ConstructorParameters<typeof Recorder>[0]): Promise<void> {
  await target.stop();
  target = await new Recorder(reply).start();
}

const loopbackAllowed = () => new EgressPolicy({ allow: '127.0.0.0/8' });

describe('bodies and query styles arrive as the remote expects them', () => {
  it("JSON by default, with the engine's user agent", async () => {
    await executeConnector(
      connectorFor(app(), () => ({ method: 'POST', path: '/json', body: { a: [1, 2], b: { c: 'd' } } })),
      channel(target.url),
      {},
      { http: clientWith(loopbackAllowed()) },
    );
    expect(target.last().headers['content-type']).toBe('application/json');
    expect(JSON.parse(target.last().body.toString())).toEqual({ a: [1, 2], b: { c: 'd' } });
    expect(target.last().headers['user-agent']).toBe('temporal-integration-engine/0.1.0');
  });

  it('an application overrides the user agent', async () => {
    await executeConnector(
      connectorFor(app({ userAgent: 'acme-sync/2.0 (ops@acme.test)' }), () => ({ method: 'GET', path: '/' })),
      channel(target.url),
      {},
      { http: clientWith(loopbackAllowed()) },
    );
    expect(target.last().headers['user-agent']).toBe('acme-sync/2.0 (ops@acme.test)');
  });

  it('form-urlencoded with nested keys in the bracket style Stripe and Rails read', async () => {
    const body = form({ amount: 1200, metadata: { order_id: '7' }, items: [{ price: 'p_1', quantity: 2 }, { price: 'p 2&3' }] });
    await executeConnector(
      connectorFor(app(), () => ({ method: 'POST', path: '/v1/checkout', body })),
      channel(target.url),
      {},
      { http: clientWith(loopbackAllowed()) },
    );
    const text = target.last().body.toString();
    expect(target.last().headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(text).toContain('metadata[order_id]=7');
    expect(text).toContain('items[0][price]=p_1');
    expect(parseForm(text)).toEqual({ amount: '1200', metadata: { order_id: '7' }, items: [{ price: 'p_1', quantity: '2' }, { price: 'p 2&3' }] });
  });

  it('multipart/form-data with a Buffer file and a streamed file', async () => {
    const body = multipart({
      purpose: 'dispute_evidence',
      file: { data: Buffer.from('%PDF-1.7 bytes'), filename: 'receipt.pdf', contentType: 'application/pdf' },
      log: { data: Readable.from([Buffer.from('line 1\n'), Buffer.from('line 2\n')]), filename: 'log.txt', contentType: 'text/plain' },
    });
    await executeConnector(
      connectorFor(app(), () => ({ method: 'POST', path: '/files', body })),
      channel(target.url),
      {},
      { http: clientWith(loopbackAllowed()) },
    );
    const seen = target.last();
    expect(seen.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    // The Fetch API's own multipart parser reads it as any server would.
    const parsed = await new Response(seen.body, { headers: { 'content-type': seen.headers['content-type']! } }).formData();
    expect(parsed.get('purpose')).toBe('dispute_evidence');
    const file = parsed.get('file') as File;
    expect([file.name, file.type, Buffer.from(await file.arrayBuffer()).toString()]).toEqual(['receipt.pdf', 'application/pdf', '%PDF-1.7 bytes']);
    const log = parsed.get('log') as File;
    expect([log.name, await log.text()]).toEqual(['log.txt', 'line 1\nline 2\n']);
  });

  it('raw text and bytes with their content type', async () => {
    const client = clientWith(loopbackAllowed());
    await executeConnector(
      connectorFor(app(), () => ({ method: 'PUT', path: '/doc.xml', body: raw('<order id="7"/>', 'application/xml') })),
      channel(target.url),
      {},
      { http: client },
    );
    expect([target.last().headers['content-type'], target.last().body.toString()]).toEqual(['application/xml', '<order id="7"/>']);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    await executeConnector(
      connectorFor(app(), () => ({ method: 'PUT', path: '/img', body: raw(png, 'image/png') })),
      channel(target.url),
      {},
      { http: client },
    );
    expect([target.last().headers['content-type'], target.last().body.equals(png)]).toEqual(['image/png', true]);
  });

  it('query arrays and objects per OpenAPI style: form explode by default, form, deepObject, spaceDelimited, pipeDelimited', async () => {
    const request = (): RequestSpec => ({
      method: 'GET',
      path: '/search',
      query: { tag: ['a', 'b c'], ids: [1, 2, 3], filter: { status: 'open', owner: 'me' }, fields: ['id', 'name'], sort: ['-created', 'name'], color: { R: 100, G: 200 }, q: 'x&y=z' },
      queryStyles: { ids: { style: 'form', explode: false }, filter: { style: 'deepObject', explode: true }, fields: { style: 'spaceDelimited' }, sort: { style: 'pipeDelimited' } },
    });
    await executeConnector(connectorFor(app(), request), channel(target.url), {}, { http: clientWith(loopbackAllowed()) });
    const url = target.last().url;
    expect(url).toBe('/search?tag=a&tag=b%20c&ids=1,2,3&filter[status]=open&filter[owner]=me&fields=id%20name&sort=-created|name&R=100&G=200&q=x%26y%3Dz');
    const query = new URL(url, target.url).searchParams;
    expect(query.getAll('tag')).toEqual(['a', 'b c']);
    expect(query.get('filter[status]')).toBe('open');
  });
});

describe('redirects', () => {
  it('keep credentials on the same origin, and arrive without any at another origin', async () => {
    await serveTarget((req, res) => {
      if (req.url.startsWith('/start')) return res.writeHead(307, { location: '/moved?page=2' }).end();
      if (req.url.startsWith('/moved')) return res.writeHead(302, { location: `${other.url}/landing?page=2&api_key=key-SECRET` }).end();
      res.writeHead(404).end();
    });
    const application = app({ auth: { kind: 'api-key', in: 'query', name: 'api_key', key: (c: Creds) => c.apiKey }, headers: { 'x-client': 'engine' } });
    const withBearerToo = connectorFor(application, () => ({ method: 'GET', path: '/start', headers: { authorization: 'Bearer set-by-the-connector', 'x-trace': 't-1' } }));
    await executeConnector(withBearerToo, channel(target.url), {}, { http: clientWith(loopbackAllowed()) });

    expect(target.seen.map((s) => new URL(s.url, target.url).searchParams.get('api_key'))).toEqual(['key-SECRET', 'key-SECRET']);
    const landed = other.last();
    expect(new URL(landed.url, other.url).searchParams.get('page')).toBe('2');
    expect(new URL(landed.url, other.url).searchParams.has('api_key')).toBe(false);
    expect(landed.headers).toMatchObject({ 'x-client': 'engine', 'x-trace': 't-1' });
    // Authorization is a credential whoever set it, as in the Fetch standard.
    expect(landed.headers.authorization).toBeUndefined();
  });

  it('drop the auth header, API key header and signing hook headers on a hop to another origin', async () => {
    await serveTarget((_req, res) => res.writeHead(308, { location: `${other.url}/elsewhere` }).end());
    const signed = app({
      auth: { kind: 'bearer', token: (c: Creds) => c.token },
      headers: { 'x-client': 'engine' },
      requestHook: (request, { credentials }) => {
        request.headers['x-api-key'] = credentials.apiKey;
        request.headers['x-signature'] = createHmac('sha256', credentials.apiKey)
          .update(request.body ?? '')
          .digest('hex');
      },
    });
    await executeConnector(
      connectorFor(signed, () => ({ method: 'GET', path: '/download' })),
      channel(target.url),
      {},
      { http: clientWith(loopbackAllowed()) },
    );
    expect(target.last().headers).toMatchObject({ authorization: 'Bearer tok-SECRET', 'x-api-key': 'key-SECRET' });
    const landed = other.last();
    expect(landed.method).toBe('GET');
    expect(landed.headers.authorization).toBeUndefined();
    expect(landed.headers['x-api-key']).toBeUndefined();
    expect(landed.headers['x-signature']).toBeUndefined();
    expect(landed.headers['x-client']).toBe('engine');
  });

  it('never send a body to another origin: a 307 there is refused, and the other origin gets nothing', async () => {
    await serveTarget((_req, res) => res.writeHead(307, { location: `${other.url}/collect` }).end());
    const post = connectorFor(app(), () => ({ method: 'POST', path: '/hooks', body: { url: 'https://engine/webhooks/x', secret: 'whsec-SECRET' } }));
    await expect(executeConnector(post, channel(target.url), {}, { http: clientWith(loopbackAllowed()) })).rejects.toMatchObject({
      errorClass: 'non-retryable',
      reason: 'RedirectNotFollowed',
      message: expect.stringContaining('to another origin'),
    });
    expect(other.connections).toBe(0);
  });

  it('send nothing to a non-network URL (axios would answer data: itself)', async () => {
    await expect(
      executeConnector(
        connectorFor(app(), () => ({ method: 'GET', path: '' })),
        channel('data:application/json,{"forged":true}'),
        {},
        { http: clientWith(loopbackAllowed()) },
      ),
    ).rejects.toMatchObject({ errorClass: 'non-retryable', reason: 'UnsupportedScheme' });
  });

  it('stop after 5 hops with a non-retryable error', async () => {
    await serveTarget((req, res) => res.writeHead(302, { location: `/hop${Number(req.url.slice(4) || 0) + 1}` }).end());
    await expect(
      executeConnector(
        connectorFor(app(), () => ({ method: 'GET', path: '/hop0' })),
        channel(target.url),
        {},
        { http: clientWith(loopbackAllowed()) },
      ),
    ).rejects.toMatchObject({
      errorClass: 'non-retryable',
      reason: 'TooManyRedirects',
    });
    expect(target.seen).toHaveLength(6);
  });

  it('303 after a POST becomes a GET without the body', async () => {
    await serveTarget((req, res) => (req.url === '/create' ? res.writeHead(303, { location: '/result/7' }).end() : res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"7"}')));
    await expect(
      executeConnector(
        connectorFor(app(), () => ({ method: 'POST', path: '/create', body: { a: 1 } })),
        channel(target.url),
        {},
        { http: clientWith(loopbackAllowed()) },
      ),
    ).resolves.toEqual({ id: '7' });
    expect(target.last()).toMatchObject({ method: 'GET', url: '/result/7' });
    expect(target.last().body.length).toBe(0);
  });
});

describe('the egress policy: a refused destination receives nothing', () => {
  const onlyTarget = () => new EgressPolicy({ allow: `127.0.0.1:${target.port}` });

  it('a redirect to a refused address is not followed, and the address gets no connection', async () => {
    await serveTarget((_req, res) => res.writeHead(302, { location: `${other.url}/internal-admin` }).end());
    await expect(
      executeConnector(
        connectorFor(app(), () => ({ method: 'GET', path: '/go' })),
        channel(target.url),
        {},
        { http: clientWith(new EgressPolicy({ allow: `127.0.0.1:${target.port}` })) },
      ),
    ).rejects.toMatchObject({
      errorClass: 'non-retryable',
      reason: 'EgressRefused',
      message: `remote.call: egress to 127.0.0.1:${other.port} refused by policy: loopback (set EGRESS_ALLOW to permit it)`,
    });
    expect(target.seen).toHaveLength(1);
    expect(other.connections).toBe(0);
  });

  it.each(['localhost', '127.1', '0x7f000001', '2130706433', '[::ffff:127.0.0.1]', '0177.0.0.1'])('a name that is loopback in disguise (%s) is refused before any connection', async (host) => {
    const policy = onlyTarget();
    await expect(
      executeConnector(
        connectorFor(app(), () => ({ method: 'GET', path: '/' })),
        channel(`http://${host}:${other.port}`),
        {},
        { http: clientWith(policy) },
      ),
    ).rejects.toMatchObject({ errorClass: 'non-retryable', reason: 'EgressRefused' });
    expect(other.connections).toBe(0);
  });

  it('the cloud metadata address is refused with a message that says how to allow it', async () => {
    await expect(
      executeConnector(
        connectorFor(app(), () => ({ method: 'GET', path: '/latest/meta-data/' })),
        channel('http://169.254.169.254'),
        {},
        { http: clientWith(onlyTarget()) },
      ),
    ).rejects.toMatchObject({
      errorClass: 'non-retryable',
      message: 'remote.call: egress to 169.254.169.254:80 refused by policy: link-local (cloud metadata) (set EGRESS_ALLOW to permit it)',
    });
  });

  it('connects to the address that was checked: one lookup, no second one a rebinding DNS could answer', async () => {
    const answers: string[] = [];
    const policy = new EgressPolicy({
      allow: `127.0.0.1:${target.port}`,
      // Only this resolver knows the name; the system's would fail, so reaching the target proves the pinned address was used.
      resolve: async (hostname) => {
        answers.push(hostname);
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    await executeConnector(
      connectorFor(app(), () => ({ method: 'GET', path: '/pinned' })),
      channel(`http://crm.rebind.test:${target.port}`),
      {},
      { http: clientWith(policy) },
    );
    expect(target.last().url).toBe('/pinned');
    expect(target.last().headers.host).toBe(`crm.rebind.test:${target.port}`);
    expect(answers).toEqual(['crm.rebind.test']);
  });

  it('a name whose answer includes a refused address is refused whole', async () => {
    const policy = new EgressPolicy({
      allow: `127.0.0.1:${target.port}`,
      resolve: async () => [
        { address: '127.0.0.1', family: 4 },
        { address: '127.0.0.2', family: 4 },
      ],
    });
    await expect(
      executeConnector(
        connectorFor(app(), () => ({ method: 'GET', path: '/' })),
        channel(`http://mixed.test:${target.port}`),
        {},
        { http: clientWith(policy) },
      ),
    ).rejects.toMatchObject({ reason: 'EgressRefused', message: expect.stringContaining('(127.0.0.2) refused by policy: loopback') });
    expect(target.connections).toBe(0);
  });
});

describe('HTTPS', () => {
  it('verifies the certificate against the name, connects to the checked address, and refuses like HTTP', async () => {
    const tlsDir = join(__dirname, '..', '..', '..', 'test', 'data', 'tls');
    const cert = readFileSync(join(tlsDir, 'cert.pem'));
    const server = createHttpsServer({ key: readFileSync(join(tlsDir, 'key.pem')), cert }, (req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ host: req.headers.host, auth: req.headers.authorization })),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const lookups: string[] = [];
      const policy = new EgressPolicy({ allow: `127.0.0.1:${port}`, resolve: async (host) => (lookups.push(host), [{ address: '127.0.0.1', family: 4 }]) });
      const http = new HttpClient({ policy, maxResponseBytes: 1 << 20, tuning: { ...tuning, ca: cert }, userAgent: 'test' });
      const connector = connectorFor(app(), () => ({ method: 'GET', path: '/me' }));
      for (let i = 0; i < 3; i++)
        await expect(executeConnector(connector, channel(`https://tls.test:${port}`), {}, { http })).resolves.toEqual({ host: `tls.test:${port}`, auth: 'Bearer tok-SECRET' });
      // One lookup: the kept-alive TLS connection served the other two.
      expect(lookups).toEqual(['tls.test']);
      // The certificate names tls.test and 127.0.0.1, not another name resolving to the same address.
      const untrustedName = new EgressPolicy({ allow: `127.0.0.1:${port}`, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
      await expect(
        executeConnector(
          connector,
          channel(`https://other.test:${port}`),
          {},
          { http: new HttpClient({ policy: untrustedName, maxResponseBytes: 1 << 20, tuning: { ...tuning, ca: cert }, userAgent: 'test' }) },
        ),
      ).rejects.toMatchObject({ errorClass: 'retryable', message: expect.stringContaining('ERR_TLS_CERT_ALTNAME_INVALID') });
      await expect(executeConnector(connector, channel(`https://127.0.0.1:${port + 1}`), {}, { http })).rejects.toMatchObject({ reason: 'EgressRefused' });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('the response cap', () => {
  it('refuses a body over the cap with a non-retryable error naming the connector and the limit', async () => {
    await serveTarget((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: 'x'.repeat(8_000) })));
    await expect(
      executeConnector(
        connectorFor(app(), () => ({ method: 'GET', path: '/big' })),
        channel(target.url),
        {},
        { http: clientWith(loopbackAllowed(), 4096) },
      ),
    ).rejects.toMatchObject({
      errorClass: 'non-retryable',
      reason: 'ResponseTooLarge',
      message: 'remote.call: the response is larger than the limit of 4 KiB (CONNECTOR_MAX_RESPONSE_BYTES)',
    });
  });

  it('counts decoded bytes: a small gzip that inflates past the cap is refused', async () => {
    const bomb = gzipSync(Buffer.alloc(5 * 1024 * 1024));
    await serveTarget((_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' }).end(bomb));
    expect(bomb.length).toBeLessThan(16 * 1024);
    await expect(
      executeConnector(
        connectorFor(app(), () => ({ method: 'GET', path: '/bomb' })),
        channel(target.url),
        {},
        { http: clientWith(loopbackAllowed(), 1024 * 1024) },
      ),
    ).rejects.toMatchObject({ reason: 'ResponseTooLarge' });
  });

  it('passes a body at the cap, and keeps the raw bytes', async () => {
    const body = JSON.stringify({ data: 'y'.repeat(4096 - 11) });
    await serveTarget((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    expect(Buffer.byteLength(body)).toBe(4096);
    const output = await executeConnector(
      defineConnector({
        application: app(),
        name: 'raw',
        description: '',
        input: z.object({}),
        output: z.number(),
        request: () => ({ method: 'GET', path: '/' }),
        evaluate: (response) => response.raw!.length,
      }),
      channel(target.url),
      {},
      { http: clientWith(loopbackAllowed(), 4096) },
    );
    expect(output).toBe(4096);
  });
});

describe('request hook', () => {
  it('signs the whole request (HMAC over method, path with query, and body bytes)', async () => {
    const signing = app({
      auth: { kind: 'none' },
      requestHook: (request, { credentials }) => {
        const timestamp = '1733000000';
        const canonical = [request.method, `${request.url.pathname}${request.url.search}`, timestamp, request.body?.toString('base64') ?? ''].join('\n');
        request.headers['x-timestamp'] = timestamp;
        request.headers['x-signature'] = createHmac('sha256', credentials.apiKey).update(canonical).digest('hex');
      },
    });
    await executeConnector(
      connectorFor(signing, () => ({ method: 'POST', path: '/orders', query: { tag: ['a', 'b'] }, body: form({ id: 7 }) })),
      channel(target.url),
      {},
      { http: clientWith(loopbackAllowed()) },
    );
    const seen = target.last();
    const expected = createHmac('sha256', 'key-SECRET')
      .update(['POST', seen.url, '1733000000', seen.body.toString('base64')].join('\n'))
      .digest('hex');
    expect(seen.url).toBe('/orders?tag=a&tag=b');
    expect(seen.headers['x-signature']).toBe(expected);
  });

  it('mints a token per request through its own call, cached until shortly before it expires', async () => {
    let mints = 0;
    let lifetimeMs = 3_600_000;
    const tokenServer = await new Recorder((req, res) => {
      mints += 1;
      // A GitHub App: a JWT in, an installation token out.
      expect(req.headers.authorization).toMatch(/^Bearer app-jwt-/);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `ghs_${mints}`, expires_at: new Date(Date.now() + lifetimeMs).toISOString() }));
    }).start();
    const githubApp = app({
      auth: { kind: 'none' },
      requestHook: async (request, context) => {
        const token = await context.token('installation', async () => {
          const answer = await context.send({
            method: 'POST',
            url: `${tokenServer.url}/app/installations/42/access_tokens`,
            headers: { authorization: `Bearer app-jwt-${context.credentials.apiKey}` },
          });
          const body = answer.body as { token: string; expires_at: string };
          return { value: body.token, expiresAt: new Date(body.expires_at) };
        });
        request.headers.authorization = `token ${token}`;
      },
    });
    const connector = connectorFor(githubApp, () => ({ method: 'GET', path: '/repos/o/r' }));
    const client = clientWith(loopbackAllowed());
    await Promise.all(Array.from({ length: 5 }, () => executeConnector(connector, channel(target.url), {}, { http: client })));
    expect(mints).toBe(1);
    expect(target.seen.map((s) => s.headers.authorization)).toEqual(Array(5).fill('token ghs_1'));

    // A token that expires within the renewal margin is minted again.
    lifetimeMs = 30_000;
    const other = { ...channel(target.url), id: 'ch-2' };
    await executeConnector(connector, other, {}, { http: client });
    await executeConnector(connector, other, {}, { http: client });
    expect(mints).toBe(3);
    await tokenServer.stop();
  });
});
