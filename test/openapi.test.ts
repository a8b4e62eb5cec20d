/**
 * Importing OpenAPI documents through the real API: one action per operation for each real
 * document, versions, clear errors with nothing stored, and imported actions running through a
 * real Temporal against loopback servers that play the remote: the Petstore (3.0 and Swagger
 * 2.0), GitHub, and one that records exactly what arrives (query styles, form and multipart
 * bodies). Lenient import with warnings, strict refusal, and hostile documents ($ref bombs,
 * catastrophic patterns) that must not stall the API.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse as parseQs } from 'qs';
import { parse as parseYaml } from 'yaml';
import { authHeaders, startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
let petstore: Server;
let petstoreUrl: string;
const petstoreCalls: Array<{ method: string; url: string; apiKey: string | undefined; body: string }> = [];

beforeAll(async () => {
  system = await startTestSystem();
  petstore = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    petstoreCalls.push({ method: req.method!, url: req.url!, apiKey: req.headers.api_key as string | undefined, body });
    const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (req.headers.api_key !== 'special-key') return json(401, { message: 'api_key required' });
    const pet = /^\/v2\/pet\/(\d+)$/.exec(req.url!);
    if (req.method === 'GET' && pet) return Number(pet[1]) === 404 ? json(404, { message: 'Pet not found' }) : json(200, { id: Number(pet[1]), name: 'Rex', photoUrls: [], status: 'available' });
    if (req.method === 'POST' && req.url === '/v2/pet') return json(200, { ...JSON.parse(body), id: 77 });
    return json(404, { message: 'no route' });
  });
  await new Promise<void>((resolve) => petstore.listen(0, '127.0.0.1', resolve));
  petstoreUrl = `http://127.0.0.1:${(petstore.address() as AddressInfo).port}/v2`;
});
afterAll(async () => {
  await system?.stop();
  await new Promise<void>((resolve) => petstore?.close(() => resolve()));
});

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${system.apiUrl}${path}`, {
    method,
    headers: body === undefined ? authHeaders() : { ...authHeaders(), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const data = (file: string) => readFileSync(join(__dirname, 'data', 'openapi', file), 'utf8');

/** Counted straight from the document, independently of the importer. */
function operationCount(document: unknown): number {
  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  return Object.values((document as { paths: Record<string, Record<string, unknown>> }).paths).reduce((n, item) => n + methods.filter((m) => item[m]).length, 0);
}

describe('POST /applications/import', () => {
  it.each([
    ['petstore-3.0.json', 'petstore'],
    ['petstore-3.1.yaml', 'petstore-yaml'],
    ['train-travel-3.1.yaml', 'train-travel'],
  ])('imports %s with exactly one action per operation', async (file, name) => {
    const text = data(file);
    const expected = operationCount(file.endsWith('.json') ? JSON.parse(text) : parseYaml(text));
    const res = await api('POST', '/applications/import', { name, document: text });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ application: `${name}@v1`, version: 1, actions: expected, created: true });
    console.log(`${file}: ${expected} operations imported in ${res.body.durationMs} ms`);
    const listed = (await api('GET', '/applications')).body.find((a: { name: string }) => a.name === `${name}@v1`);
    expect(listed).toBeDefined();
  });

  it("imports GitHub's REST API document (13 MB) with exactly one action per operation", async () => {
    const text = readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8');
    const expected = operationCount(JSON.parse(text));
    expect(expected).toBeGreaterThan(1_000);
    const res = await api('POST', '/applications/import', { name: 'github-rest', document: text });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ application: 'github-rest@v1', actions: expected });
    console.log(`api.github.com.json: ${expected} operations imported in ${res.body.durationMs} ms`);
  });

  it('returns the existing version for the same document, and a new version for a changed one', async () => {
    const text = data('petstore-3.0.json');
    const again = await api('POST', '/applications/import', { name: 'versioned', document: text });
    expect(again.body).toMatchObject({ version: 1, created: true });
    const same = await api('POST', '/applications/import', { name: 'versioned', document: text });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ application: 'versioned@v1', created: false });
    const changed = JSON.parse(text);
    changed.paths['/pet/{petId}/vaccinations'] = {
      get: { operationId: 'listVaccinations', parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'ok' } } },
    };
    const v2 = await api('POST', '/applications/import', { name: 'versioned', document: changed });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ application: 'versioned@v2', version: 2, actions: again.body.actions + 1 });
  });

  it('reports unsupported parts with where they occur', async () => {
    const res = await api('POST', '/applications/import', { name: 'callbacks', document: data('callbacks-3.0.json') });
    expect(res.status).toBe(201);
    expect(res.body.unsupported).toEqual(
      expect.arrayContaining([expect.objectContaining({ location: expect.stringMatching(/^paths\..+\.callbacks$/), message: expect.stringMatching(/callbacks are not supported/) })]),
    );
    const petstoreImport = await api('POST', '/applications/import', { name: 'petstore', document: data('petstore-3.0.json') });
    expect(petstoreImport.body.unsupported).toEqual(expect.arrayContaining([expect.objectContaining({ location: 'components.securitySchemes.petstore_auth' })]));
  });

  it('rejects broken documents with the parser message and location, storing nothing', async () => {
    const before = (await api('GET', '/applications')).body.length;
    const cases: Array<[unknown, RegExp]> = [
      ['openapi: 3.0.0\ninfo:\n  title: x\n  version: "1"\npaths:\n  /a: [unclosed', /not valid YAML \(line \d+, column \d+\)/],
      ['{"openapi": "3.0.0", "info": ', /not valid JSON/],
      [{ swagger: '1.2', info: { title: 'older', version: '1' }, paths: {} }, /swagger: version 1.2 is not supported/],
      [{ openapi: '3.0.3', info: { title: 'no paths', version: '1' } }, /paths: the document has no paths object/],
      [{ openapi: '2.5', info: { title: 'odd', version: '1' }, paths: {} }, /openapi: must be a 3.0.x or 3.1.x version string/],
      [{ openapi: '3.0.3', info: { title: 'ext', version: '1' }, paths: { '/a': { get: { responses: { 200: { $ref: 'other.yaml#/responses/ok' } } } } } }, /external \$ref/],
    ];
    for (const [document, message] of cases) {
      const res = await api('POST', '/applications/import', { name: 'broken', document });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    // Lenient by default, a validation fault is a warning; strict refuses it as before.
    const strict = await api('POST', '/applications/import?strict=true', { name: 'broken', document: { openapi: '3.0.3', paths: {} } });
    expect(strict.status).toBe(400);
    expect(strict.body.message).toMatch(/invalid OpenAPI document/);
    expect(strict.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ location: '(root)', message: "must have required property 'info'" })]));
    expect((await api('POST', '/applications/import?strict=maybe', { name: 'broken', document: data('petstore-3.0.json') })).body.issues).toEqual([expect.objectContaining({ field: 'strict' })]);
    const external = await api('POST', '/applications/import', { name: 'broken', document: cases.at(-1)![0] });
    expect(external.body.issues).toEqual([expect.objectContaining({ location: 'paths./a.get.responses.200' })]);
    expect((await api('GET', '/applications')).body.length).toBe(before);
    expect((await api('POST', '/applications/import', { document: '' })).status).toBe(400);
  });
});

describe('imported actions', () => {
  it("run through Temporal with the channel's credentials, validating input and output", async () => {
    await api('POST', '/applications/import', { name: 'petstore', document: data('petstore-3.0.json') });
    const apps = (await api('GET', '/applications')).body;
    expect(apps.find((a: { name: string }) => a.name === 'petstore@v1')).toMatchObject({
      auth: { kind: 'api-key' },
      credentialsSchema: { properties: { apiKey: { format: 'password', writeOnly: true } } },
    });

    const channel = (await api('POST', '/channels', { application: 'petstore@v1', name: 'Pets', settings: { baseUrl: petstoreUrl }, credentials: { apiKey: 'special-key' } })).body;
    expect(channel).toMatchObject({ application: 'petstore@v1', credentials: { apiKey: '********' } });

    const found = await api('POST', '/applications/petstore@v1/actions/getPetById/run', { channelId: channel.id, input: { petId: 7 } });
    expect(found.status).toBe(200);
    expect(found.body.output).toEqual({ id: 7, name: 'Rex', photoUrls: [], status: 'available' });
    expect(petstoreCalls.at(-1)).toMatchObject({ method: 'GET', url: '/v2/pet/7', apiKey: 'special-key' });

    const created = await api('POST', '/applications/petstore@v1/actions/addPet/run', { channelId: channel.id, input: { body: { name: 'Tom', photoUrls: ['x'] } } });
    expect(created.status).toBe(200);
    expect(petstoreCalls.at(-1)).toMatchObject({ method: 'POST', url: '/v2/pet' });
    expect(JSON.parse(petstoreCalls.at(-1)!.body)).toEqual({ name: 'Tom', photoUrls: ['x'] });

    const badInput = await api('POST', '/applications/petstore@v1/actions/getPetById/run', { channelId: channel.id, input: { petId: 'seven' } });
    expect(badInput.status).toBe(400);
    expect(badInput.body.issues).toEqual([expect.objectContaining({ field: 'input.petId' })]);

    const missing = await api('POST', '/applications/petstore@v1/actions/getPetById/run', { channelId: channel.id, input: { petId: 404 } });
    expect(missing.status).toBe(502);
    expect(missing.body).toMatchObject({ type: 'HttpStatus404', message: expect.stringContaining('petstore@v1.getPetById: HTTP 404') });

    expect((await api('POST', '/applications/petstore@v1/actions/noSuchAction/run', { channelId: channel.id, input: {} })).status).toBe(404);
  });

  it('keeps channels on their version until moved; two versions run side by side', async () => {
    const text = data('petstore-3.0.json');
    const changed = JSON.parse(text);
    changed.info.title = 'Swagger Petstore (renamed)';
    await api('POST', '/applications/import', { name: 'zoo', document: text });
    await api('POST', '/applications/import', { name: 'zoo', document: changed });
    const v1 = (await api('POST', '/channels', { application: 'zoo@v1', name: 'old', settings: { baseUrl: petstoreUrl }, credentials: { apiKey: 'special-key' } })).body;
    const v2 = (await api('POST', '/channels', { application: 'zoo@v2', name: 'new', settings: { baseUrl: petstoreUrl }, credentials: { apiKey: 'special-key' } })).body;
    expect((await api('POST', '/applications/zoo@v1/actions/getPetById/run', { channelId: v1.id, input: { petId: 1 } })).status).toBe(200);
    expect((await api('POST', '/applications/zoo@v2/actions/getPetById/run', { channelId: v2.id, input: { petId: 2 } })).status).toBe(200);
    // A channel of v1 is not a channel of v2 until it is moved.
    expect((await api('POST', '/applications/zoo@v2/actions/getPetById/run', { channelId: v1.id, input: { petId: 1 } })).status).toBe(404);
    const moved = await api('PATCH', `/channels/${v1.id}`, { application: 'zoo@v2' });
    expect(moved.body.application).toBe('zoo@v2');
    expect((await api('POST', '/applications/zoo@v2/actions/getPetById/run', { channelId: v1.id, input: { petId: 1 } })).status).toBe(200);
    expect((await api('PATCH', `/channels/${v1.id}`, { application: 'demo-crm' })).status).toBe(400);
  });
});

/** A loopback server that records each request (raw URL, headers, body bytes) and answers with `respond`. */
async function loopback(respond: (req: Received) => [number, unknown]): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
    received.push(request);
    const [status, body] = respond(request);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The multipart body as a browser-grade parser (undici's, behind Response.formData) reads it. */
const multipartOf = (request: Received) => new Response(request.body, { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
const base64 = (data: string | Buffer) => Buffer.from(data).toString('base64');
const run = (application: string, action: string, channelId: string, input: unknown) => api('POST', `/applications/${application}/actions/${action}/run`, { channelId, input });

describe('lenient import of real documents with faults', () => {
  it("imports GitHub's document with faults deep in a response schema, naming where; strict refuses it; the action still runs", async () => {
    const document = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'));
    const issue = document.components.schemas.issue;
    // Two faults real documents have: 3.1's nullable type in a 3.0 document, and Swagger 2's `required: true` on a property.
    issue.properties.number.type = ['integer', 'null'];
    issue.properties.labels.items.oneOf[1].properties.id.required = true;
    const expected = operationCount(document);

    const lenient = await api('POST', '/applications/import', { name: 'github-faulty', document });
    expect(lenient.status).toBe(201);
    expect(lenient.body).toMatchObject({ application: 'github-faulty@v1', actions: expected });
    expect(lenient.body.warnings).toEqual(
      expect.arrayContaining([
        { location: 'components.schemas.issue.properties.number.type', message: 'must be string' },
        { location: 'components.schemas.issue.properties.labels.items.oneOf.1.properties.id.required', message: 'must be array' },
      ]),
    );
    // The 1,211 parser errors (one per path reaching the shared schema) are merged into where the faults are written.
    expect(lenient.body.warnings.length).toBeLessThan(10);

    const strict = await api('POST', '/applications/import?strict=true', { name: 'github-strict', document });
    expect(strict.status).toBe(400);
    expect(strict.body.message).toMatch(/^invalid OpenAPI document: .*components\.schemas\.issue\.properties\.number\.type: must be string/);
    expect(strict.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ location: 'components.schemas.issue.properties.labels.items.oneOf.1.properties.id.required' })]));
    expect((await api('GET', '/applications')).body.find((a: { name: string }) => a.name === 'github-strict@v1')).toBeUndefined();

    // The faulty response schema still validates the response (the bad keyword is ignored), nullable components included.
    const example = { ...document.components.examples.issue.value, milestone: null };
    const github = await loopback(() => [200, example]);
    try {
      const channel = (await api('POST', '/channels', { application: 'github-faulty@v1', name: 'GitHub', settings: { baseUrl: github.url }, credentials: {} })).body;
      const got = await run('github-faulty@v1', 'issuesGet', channel.id, { owner: 'octocat', repo: 'Hello-World', issue_number: 1347 });
      expect(got.status).toBe(200);
      expect(got.body.output).toMatchObject({ number: 1347, milestone: null, labels: [expect.objectContaining({ id: 208045946, name: 'bug' })] });
      expect(github.received.at(-1)).toMatchObject({ method: 'GET', url: '/repos/octocat/Hello-World/issues/1347' });
    } finally {
      await github.close();
    }
  }, 120_000);
});

describe('Swagger 2.0', () => {
  it('converts the Swagger Petstore: actions, auth and base URL come through, and its form, file and array inputs run', async () => {
    const text = data('petstore-2.0.json');
    const res = await api('POST', '/applications/import', { name: 'petstore-two', document: text });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ application: 'petstore-two@v1', actions: operationCount(JSON.parse(text)), title: 'Swagger Petstore' });
    expect(res.body.unsupported).toEqual(expect.arrayContaining([expect.objectContaining({ location: 'components.securitySchemes.petstore_auth' })]));
    const app = (await api('GET', '/applications')).body.find((a: { name: string }) => a.name === 'petstore-two@v1');
    expect(app).toMatchObject({ auth: { kind: 'api-key' }, settingsSchema: { properties: { baseUrl: { description: 'Base URL; default http://petstore.swagger.io/v2' } } } });

    const remote = await loopback((req) =>
      req.url.includes('/uploadImage') ? [200, { code: 200, type: 'ok', message: 'stored' }] : req.url.startsWith('/v2/pet/findByStatus') ? [200, []] : [200, {}],
    );
    try {
      const channel = (await api('POST', '/channels', { application: 'petstore-two@v1', name: 'Pets 2', settings: { baseUrl: `${remote.url}/v2` }, credentials: { apiKey: 'special-key' } })).body;

      // collectionFormat: multi → form, explode.
      expect((await run('petstore-two@v1', 'findPetsByStatus', channel.id, { status: ['available', 'sold'] })).status).toBe(200);
      expect(remote.received.at(-1)).toMatchObject({ url: '/v2/pet/findByStatus?status=available&status=sold', headers: expect.objectContaining({ api_key: 'special-key' }) });

      // formData parameters → an x-www-form-urlencoded body.
      expect((await run('petstore-two@v1', 'updatePetWithForm', channel.id, { petId: 7, body: { name: 'Rex', status: 'sold' } })).status).toBe(200);
      const form = remote.received.at(-1)!;
      expect(form).toMatchObject({ method: 'POST', url: '/v2/pet/7', headers: expect.objectContaining({ 'content-type': 'application/x-www-form-urlencoded' }) });
      expect(parseQs(form.body.toString())).toEqual({ name: 'Rex', status: 'sold' });

      // type: file → a multipart file part.
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);
      const uploaded = await run('petstore-two@v1', 'uploadFile', channel.id, {
        petId: 7,
        body: { additionalMetadata: 'front', file: { filename: 'rex.png', contentType: 'image/png', base64: base64(png) } },
      });
      expect(uploaded.status).toBe(200);
      expect(uploaded.body.output).toEqual({ code: 200, type: 'ok', message: 'stored' });
      const parts = await multipartOf(remote.received.at(-1)!);
      expect(parts.get('additionalMetadata')).toBe('front');
      const file = parts.get('file') as File;
      expect({ name: file.name, type: file.type }).toEqual({ name: 'rex.png', type: 'image/png' });
      expect(Buffer.from(await file.arrayBuffer())).toEqual(png);
    } finally {
      await remote.close();
    }
  });
});

describe('parameter styles, form and multipart bodies, patterns', () => {
  let remote: Awaited<ReturnType<typeof loopback>>;
  let channelId: string;
  let imported: { status: number; body: any };
  beforeAll(async () => {
    remote = await loopback((req) => [req.url.startsWith('/v1/uploads') ? 201 : 200, { ok: true }]);
    imported = await api('POST', '/applications/import', { name: 'encodings', document: data('encodings-3.1.yaml') });
    channelId = (await api('POST', '/channels', { application: 'encodings@v1', name: 'Encodings', settings: { baseUrl: `${remote.url}/v1` }, credentials: { token: 't0ken' } })).body.id;
  });
  afterAll(() => remote?.close());

  it('imports every operation; an XML-only body is listed as unsupported, a pattern RE2 cannot run as a warning', () => {
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ actions: operationCount(parseYaml(data('encodings-3.1.yaml'))) });
    expect(imported.body.unsupported).toEqual([expect.objectContaining({ location: 'paths./xml.post.requestBody', message: expect.stringMatching(/application\/xml are not supported/) })]);
    expect(imported.body.warnings).toEqual([
      { location: 'paths./codes.get.parameters.1.schema.pattern', message: expect.stringMatching(/^pattern "\^\(a\)\\1\$" is not enforced: the linear-time engine \(RE2\) cannot run it/) },
    ]);
  });

  it('serialises query arrays and objects per their declared style', async () => {
    const input = {
      tags: ['a', 'b c'],
      ids: [1, 2],
      filter: { status: 'open', owner: 'me' },
      colors: ['red', 'blue'],
      words: ['hello', 'world'],
      point: { x: 1, y: 2 },
      q: { a: 1 },
      'X-Tags': ['x', 'y'],
    };
    expect((await run('encodings@v1', 'search', channelId, input)).status).toBe(200);
    const request = remote.received.at(-1)!;
    const [path, query] = request.url.split('?');
    expect(path).toBe('/v1/search');
    expect(query!.split('&')).toEqual([
      'tags=a',
      'tags=b%20c', // form, explode (the default)
      'ids=1,2', // form, explode: false
      'filter[status]=open',
      'filter[owner]=me', // deepObject
      'colors=red|blue', // pipeDelimited
      'words=hello%20world', // spaceDelimited
      'x=1',
      'y=2', // an object, form, explode
      'q=%7B%22a%22%3A1%7D', // `content: application/json`
    ]);
    expect(parseQs(query!)).toMatchObject({ tags: ['a', 'b c'], filter: { status: 'open', owner: 'me' } });
    expect(request.headers).toMatchObject({ 'x-tags': 'x,y', authorization: 'Bearer t0ken' });
  });

  it('serialises path parameters per their label and matrix styles', async () => {
    expect((await run('encodings@v1', 'getItems', channelId, { ids: [1, 2], coords: { lat: 1.5, lon: 2 } })).status).toBe(200);
    expect(remote.received.at(-1)!.url).toBe('/v1/items/.1,2/;lat=1.5;lon=2');
  });

  it('sends a form body that the remote parses back into the input', async () => {
    const body = { name: 'Rex & Co', tags: ['a', 'b'], metadata: { order_id: '7' } };
    expect((await run('encodings@v1', 'submitForm', channelId, { body })).status).toBe(200);
    const request = remote.received.at(-1)!;
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(parseQs(request.body.toString())).toEqual(body);
  });

  it('sends a multipart body: fields, JSON objects, and files given as base64 or { filename, contentType, base64 }', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const body = {
      description: 'two files',
      labels: ['l1', 'l2'],
      meta: { a: 1 },
      file: { filename: 'hello.txt', contentType: 'text/plain', base64: base64('hello world') },
      attachments: [base64(bytes), { filename: 'b.png', base64: base64(bytes.subarray(0, 8)) }],
    };
    const res = await run('encodings@v1', 'upload', channelId, { body });
    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({ ok: true });
    const request = remote.received.at(-1)!;
    expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const parts = await multipartOf(request);
    expect(parts.get('description')).toBe('two files');
    expect(parts.getAll('labels')).toEqual(['l1', 'l2']);
    expect(parts.get('meta')).toBe('{"a":1}');
    const file = parts.get('file') as File;
    expect({ name: file.name, type: file.type, text: await file.text() }).toEqual({ name: 'hello.txt', type: 'text/plain', text: 'hello world' });
    const [first, second] = parts.getAll('attachments') as File[];
    // A bare base64 string is named after its field; the content type comes from the document's `encoding`.
    expect({ name: first!.name, type: first!.type }).toEqual({ name: 'attachments', type: 'image/png' });
    expect(Buffer.from(await first!.arrayBuffer())).toEqual(bytes);
    expect({ name: second!.name, type: second!.type, size: second!.size }).toEqual({ name: 'b.png', type: 'image/png', size: 8 });

    const notBase64 = await run('encodings@v1', 'upload', channelId, { body: { file: 'not base64!' } });
    expect(notBase64.status).toBe(400);
    expect(notBase64.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'input.body.file' })]));
  });

  it('checks a catastrophic pattern in linear time; a pattern RE2 cannot run is not enforced', async () => {
    // First use compiles the validator; what is timed is the check itself.
    expect((await run('encodings@v1', 'checkCode', channelId, { code: 'b' })).status).toBe(400);
    const started = performance.now();
    const evil = await run('encodings@v1', 'checkCode', channelId, { code: `${'a'.repeat(30)}!` });
    const elapsed = performance.now() - started;
    expect(evil.status).toBe(400);
    expect(evil.body.issues).toEqual([expect.objectContaining({ field: 'input.code', message: 'must match pattern "^(a+)+$"' })]);
    // V8's backtracking engine needs minutes for this value; RE2 answers at once.
    expect(elapsed).toBeLessThan(100);

    expect((await run('encodings@v1', 'checkCode', channelId, { code: 'aaaa', twice: 'xy' })).status).toBe(200);
    expect(remote.received.at(-1)!.url).toBe('/v1/codes?code=aaaa&twice=xy');
  });
});

describe('hostile documents', () => {
  it('answers 422 to a $ref bomb after the time limit, while /health keeps answering at once', async () => {
    // Under 3 KB: each level refers to the one below three times, so dereferenced it has 3^20 nodes.
    const schemas: Record<string, unknown> = { n0: { type: 'string' } };
    for (let i = 1; i <= 20; i++) schemas[`n${i}`] = { allOf: [0, 1, 2].map(() => ({ $ref: `#/components/schemas/n${i - 1}` })) };
    const bomb = {
      openapi: '3.0.3',
      info: { title: 'bomb', version: '1' },
      paths: { '/x': { get: { responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/n20' } } } } } } } },
      components: { schemas },
    };
    expect(JSON.stringify(bomb).length).toBeLessThan(3_000);

    // Warm up: the first health checks open the connections to Temporal.
    for (let i = 0; i < 5; i++) await (await fetch(`${system.apiUrl}/health`)).text();
    const started = performance.now();
    let finished = false;
    const importing = api('POST', '/applications/import', { name: 'bomb', document: bomb }).finally(() => (finished = true));
    const health: number[] = [];
    while (!finished) {
      const sent = performance.now();
      const res = await fetch(`${system.apiUrl}/health`);
      await res.text();
      expect(res.status).toBe(200);
      health.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const res = await importing;
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('the document took longer than 10 s to process (IMPORT_TIMEOUT_MS)');
    expect(performance.now() - started).toBeGreaterThanOrEqual(10_000);
    console.log(`$ref bomb: 422 after ${Math.round(performance.now() - started)} ms; ${health.length} health checks meanwhile: ${health.map(Math.round).join(', ')} ms`);
    expect(health.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...health)).toBeLessThan(100);
    expect((await api('GET', '/applications')).body.find((a: { name: string }) => a.name.startsWith('bomb@'))).toBeUndefined();
  }, 60_000);
});
