/**
 * Importing OpenAPI documents through the real API: one action per operation for each real
 * document, versions, clear errors with nothing stored, and imported actions running through a
 * real Temporal against a loopback server that plays the Petstore.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startTestSystem, type TestSystem } from './support/system';

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
  const res = await fetch(`${system.apiUrl}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
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
    const res = await api('POST', '/applications/import', { name: 'github', document: text });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ application: 'github@v1', actions: expected });
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
    changed.paths['/pet/{petId}/vaccinations'] = { get: { operationId: 'listVaccinations', parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'ok' } } } };
    const v2 = await api('POST', '/applications/import', { name: 'versioned', document: changed });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ application: 'versioned@v2', version: 2, actions: again.body.actions + 1 });
  });

  it('reports unsupported parts with where they occur', async () => {
    const res = await api('POST', '/applications/import', { name: 'callbacks', document: data('callbacks-3.0.json') });
    expect(res.status).toBe(201);
    expect(res.body.unsupported).toEqual(expect.arrayContaining([expect.objectContaining({ location: expect.stringMatching(/^paths\..+\.callbacks$/), message: expect.stringMatching(/callbacks are not supported/) })]));
    const petstoreImport = await api('POST', '/applications/import', { name: 'petstore', document: data('petstore-3.0.json') });
    expect(petstoreImport.body.unsupported).toEqual(expect.arrayContaining([expect.objectContaining({ location: 'components.securitySchemes.petstore_auth' })]));
  });

  it('rejects broken documents with the parser message and location, storing nothing', async () => {
    const before = (await api('GET', '/applications')).body.length;
    const cases: Array<[unknown, RegExp]> = [
      ['openapi: 3.0.0\ninfo:\n  title: x\n  version: "1"\npaths:\n  /a: [unclosed', /not valid YAML \(line \d+, column \d+\)/],
      ['{"openapi": "3.0.0", "info": ', /not valid JSON/],
      [{ swagger: '2.0', info: { title: 'old', version: '1' }, paths: {} }, /Swagger 2.0 is not supported/],
      [{ openapi: '3.0.3', paths: {} }, /invalid OpenAPI document/],
      [{ openapi: '3.0.3', info: { title: 'ext', version: '1' }, paths: { '/a': { get: { responses: { 200: { $ref: 'other.yaml#/responses/ok' } } } } } }, /external \$ref/],
    ];
    for (const [document, message] of cases) {
      const res = await api('POST', '/applications/import', { name: 'broken', document });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    const external = await api('POST', '/applications/import', { name: 'broken', document: cases[4]![0] });
    expect(external.body.issues).toEqual([expect.objectContaining({ location: 'paths./a.get.responses.200' })]);
    expect((await api('GET', '/applications')).body.length).toBe(before);
    expect((await api('POST', '/applications/import', { document: '' })).status).toBe(400);
  });
});

describe('imported actions', () => {
  it('run through Temporal with the channel\'s credentials, validating input and output', async () => {
    await api('POST', '/applications/import', { name: 'petstore', document: data('petstore-3.0.json') });
    const apps = (await api('GET', '/applications')).body;
    expect(apps.find((a: { name: string }) => a.name === 'petstore@v1')).toMatchObject({ auth: { kind: 'api-key' }, credentialsSchema: { properties: { apiKey: { format: 'password', writeOnly: true } } } });

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
