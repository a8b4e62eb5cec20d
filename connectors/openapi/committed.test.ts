/**
 * Applications as code, against a real SQLite store and a repository of the test's own (a folder
 * with applications/<name>/): imported at the version the repository gives, again as a lookup,
 * a changed document as the next version, a stale or conflicting one refused with the fix named,
 * and the application file's settings, hosts and pagination as the runtime sees them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { generateKey } from '../../store/credential-cipher';
import { openStore, type Store } from '../../store/open-store';
import { VersionConflictError } from '../../store/imported-application-store';
import { ConnectorRegistry } from '../registry';
import { ApplicationFileError } from './application-file';
import { committedApplications, importCommittedApplications, readCommitted, readVersions, StaleCommittedApplicationError, withVersionOf } from './committed';
import { importOpenApi, NameTakenError } from './import';

const document = (extra: Record<string, unknown> = {}) => ({
  openapi: '3.1.0',
  info: { title: 'Stock', version: '1' },
  servers: [{ url: 'https://api.stock.example/v2' }],
  components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } } },
  security: [{ key: [] }],
  paths: {
    '/items': {
      get: {
        operationId: 'listItems',
        parameters: [{ name: 'cursor', in: 'query', schema: { type: 'string' } }],
        responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array' }, next_cursor: { type: ['string', 'null'] } } } } } } },
      },
    },
    '/moves': { get: { operationId: 'listMoves', parameters: [{ name: 'page', in: 'query', schema: { type: 'integer' } }], responses: { 200: { description: 'ok' } } } },
    ...extra,
  },
});

/** A repository with one committed application, as `npm run generate` leaves it (versions.json up to date unless `generate: false`). */
/** Every folder a test made, removed after it. */
const made: string[] = [];
const scratch = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};

function repository(files: { document?: unknown; applicationFile?: unknown; generate?: boolean } = {}): string {
  const root = scratch('engine-committed-');
  write(root, files);
  return root;
}

function write(root: string, files: { document?: unknown; applicationFile?: unknown; generate?: boolean }): void {
  const folder = join(root, 'applications', 'stock');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'openapi.yaml'), stringify(files.document ?? document()));
  if (files.applicationFile !== undefined) writeFileSync(join(folder, 'application.yaml'), stringify(files.applicationFile));
  if (files.generate === false) return;
  const [app] = committedApplications(root);
  const { versions } = withVersionOf(readVersions(app!, root), readCommitted(app!, root).hash);
  writeFileSync(join(folder, 'versions.json'), JSON.stringify(versions));
}

let store: Store;
beforeEach(async () => {
  store = await openStore(scratch('engine-committed-store-'), () => undefined, { CREDENTIALS_KEYS: generateKey('t') });
});
afterEach(async () => {
  await store.close();
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('committed applications at start', () => {
  it('are imported at the version the repository gives, and found again without a new version', async () => {
    const root = repository();
    expect(await importCommittedApplications(store.imported, root)).toEqual([{ application: 'stock@v1', created: true }]);
    expect(await importCommittedApplications(store.imported, root)).toEqual([{ application: 'stock@v1', created: false }]);
    expect((await store.imported.list()).map((v) => `${v.slug}@v${v.version}`)).toEqual(['stock@v1']);
  });

  it('agree when the worker and the API import at once', async () => {
    const root = repository();
    const [worker, api] = await Promise.all([new ConnectorRegistry(store.imported, { root }).ready(), new ConnectorRegistry(store.imported, { root }).ready()]);
    expect([...worker, ...api].map((r) => r.application)).toEqual(['stock@v1', 'stock@v1']);
    expect([...worker, ...api].filter((r) => r.created)).toHaveLength(1);
    expect(await store.imported.list()).toHaveLength(1);
  });

  it('make a changed document the next version, keep the old one for its channels, and give a document seen before its old version', async () => {
    const root = repository();
    await importCommittedApplications(store.imported, root);
    write(root, { document: document({ '/audits': { get: { operationId: 'listAudits', responses: { 200: { description: 'ok' } } } } }) });
    expect(await importCommittedApplications(store.imported, root)).toEqual([{ application: 'stock@v2', created: true }]);
    const registry = new ConnectorRegistry(store.imported, { root });
    expect((await registry.actionsOf('stock@v2')).map((c) => c.name)).toEqual(['listItems', 'listMoves', 'listAudits']);
    expect((await registry.actionsOf('stock@v1')).map((c) => c.name)).toEqual(['listItems', 'listMoves']);
    write(root, { document: document() });
    expect(await importCommittedApplications(store.imported, root)).toEqual([{ application: 'stock@v1', created: false }]);
    // An application file is part of the version: the same document with one is another version.
    write(root, { applicationFile: { rateLimit: { requestsPerSecond: 2 } } });
    expect(await importCommittedApplications(store.imported, root)).toEqual([{ application: 'stock@v3', created: true }]);
  });

  it('stop the start, naming the command, for a document changed since npm run generate', async () => {
    const root = repository();
    write(root, { document: document({ '/new': { get: { operationId: 'listNew', responses: { 200: { description: 'ok' } } } } }), generate: false });
    await expect(importCommittedApplications(store.imported, root)).rejects.toThrow(StaleCommittedApplicationError);
    await expect(importCommittedApplications(store.imported, root)).rejects.toThrow(
      /^applications\/stock\/openapi\.yaml changed since `npm run generate` wrote applications\/stock\/versions\.json and applications\/stock\/openapi\.types\.ts: run it/,
    );
    expect(await store.imported.list()).toEqual([]);
  });

  it('refuse a store that holds the version as another document, storing nothing', async () => {
    const root = repository();
    // Imported through the API before it was committed, under the same name.
    await store.imported.save('stock', 'another-document', (version) => ({
      slug: 'stock',
      version,
      title: 't',
      dialect: '3.1',
      servers: [],
      auth: { kind: 'none' },
      components: {},
      actions: [],
      unsupported: [],
    }));
    await expect(importCommittedApplications(store.imported, root)).rejects.toThrow(VersionConflictError);
    await expect(importCommittedApplications(store.imported, root)).rejects.toThrow(
      'stock@v1: the store holds another document under this version (imported through the API before the application was committed, or from another branch of the repository)',
    );
  });
});

describe('the application file', () => {
  const runtime = async (applicationFile: unknown) => {
    const root = repository({ applicationFile });
    const registry = new ConnectorRegistry(store.imported, { root });
    await registry.ready();
    return { application: (await registry.application('stock@v1'))!, connector: async (name: string) => (await registry.connector(`stock@v1.${name}`))! };
  };

  it("pins the document's hosts and loopback when it names none, pages as the document hints, and adds nothing else", async () => {
    const { application, connector } = await runtime({});
    expect(application.allowedHosts).toEqual(['api.stock.example', 'localhost', '127.0.0.1']);
    expect([application.rateLimit, application.webhooks, application.idempotencyKeyHeader]).toEqual([undefined, undefined, undefined]);
    expect((await connector('listItems')).paginator?.style).toBe('cursor');
    expect((await connector('listMoves')).paginator).toBeUndefined();
    expect(Object.keys((application.credentials as unknown as { shape: object }).shape)).toEqual(['apiKey']);
  });

  it('sets base URL, hosts, auth, rate limit, idempotency header, pagination and the webhook signature', async () => {
    const { application, connector } = await runtime({
      title: 'Stock keeper',
      baseUrl: 'https://eu.stock.example/v2',
      allowedHosts: ['*.stock.example', '127.0.0.1'],
      auth: { kind: 'bearer' },
      rateLimit: { requestsPerSecond: 3, scope: 'channel' },
      idempotencyKeyHeader: 'Idempotency-Key',
      pagination: { listItems: { style: 'none' }, listMoves: { style: 'page-number', param: 'page', results: '$' } },
      webhooks: { signature: { scheme: 'hmac-sha256', header: 'X-Stock-Signature', encoding: 'hex', prefix: 'sha256=' } },
    });
    expect(application).toMatchObject({
      title: 'Stock keeper (v1, imported)',
      allowedHosts: ['*.stock.example', '127.0.0.1'],
      auth: { kind: 'bearer' },
      rateLimit: { requestsPerSecond: 3, scope: 'channel' },
      idempotencyKeyHeader: 'Idempotency-Key',
    });
    expect(application.baseUrl({})).toBe('https://eu.stock.example/v2');
    expect(application.webhooks?.signature).toMatchObject({ kind: 'hmac-sha256', headers: ['x-stock-signature'] });
    expect(application.webhooks?.secret({ token: 't', webhookSecret: 'shh' })).toBe('shh');
    expect(Object.keys((application.credentials as unknown as { shape: object }).shape)).toEqual(['token', 'webhookSecret']);
    expect((await connector('listItems')).paginator).toBeUndefined();
    expect((await connector('listMoves')).paginator?.style).toBe('page-number');
  });

  it.each([
    [{ baseUrl: 'http://api.stock.example/v2' }, 'baseUrl', 'http: is not https: credentials go to api.stock.example only over https'],
    [{ baseUrl: 'https://evil.example/v2', allowedHosts: ['api.stock.example'] }, 'baseUrl', "host evil.example is not one of stock's hosts (api.stock.example)"],
    [{ allowedHosts: ['api.other.example'] }, 'servers[0]', "host api.stock.example is not one of stock's hosts (api.other.example)"],
    [
      { auth: { kind: 'oauth2-client-credentials', tokenUrl: 'https://login.evil.example/token' }, allowedHosts: ['api.stock.example'] },
      'auth.tokenUrl',
      "host login.evil.example is not one of stock's hosts (api.stock.example)",
    ],
    [{ pagination: { listThings: { style: 'link-header' } } }, 'pagination.listThings', 'the document has no action "listThings" (actions are named from operationId in camelCase)'],
    [{ pagination: { listItems: { style: 'cursor', param: 'after', next: 'next_cursor' } } }, 'pagination.listItems', 'param: listItems has no query parameter "after"'],
    [{ webhooks: { signature: { scheme: 'md5' } } }, 'webhooks.signature.scheme', expect.stringMatching(/^Invalid discriminator value. Expected 'hmac-sha256' \| 'github'/)],
    [{ allowedHosts: ['https://api.stock.example'] }, 'allowedHosts.0', expect.stringMatching(/^a host/)],
    [{ rateLimit: { requestsPerSecond: 5 }, extra: true }, '(root)', expect.stringMatching(/extra/)],
  ])('refuses %j, naming %s', async (applicationFile, location, message) => {
    const root = repository({ applicationFile, generate: false });
    let error: unknown;
    try {
      readCommitted(committedApplications(root)[0]!, root);
      write(root, { applicationFile });
      await importCommittedApplications(store.imported, root);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ApplicationFileError);
    expect((error as ApplicationFileError).issues).toEqual([{ location, message }]);
    expect(await store.imported.list()).toEqual([]);
  });
});

it("refuses an import through the API under a committed application's name (409), storing nothing", async () => {
  // This repository commits applications/inventory/.
  await expect(importOpenApi(store.imported, document(), { name: 'inventory' })).rejects.toThrow(NameTakenError);
  await expect(importOpenApi(store.imported, { ...document(), info: { title: 'Inventory', version: '1' } })).rejects.toThrow(
    '"inventory" is the name of an application committed under applications/inventory/, imported when the system starts',
  );
  expect(await store.imported.list()).toEqual([]);
});
