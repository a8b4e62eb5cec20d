/**
 * Caps on POST /applications/import through the real API, with small caps from the environment
 * (read at each request): versions per application answer 409 naming the application and how
 * many it has; bytes over a rolling 24 hours answer 429 with Retry-After (413 for a document over
 * the cap on its own). Nothing is stored by a refused import.
 */
import { secondsUntilFits } from '../../api/applications/import-caps';
import { authHeaders, postJson, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
const savedEnv = { versions: process.env.IMPORT_MAX_VERSIONS, bytes: process.env.IMPORT_MAX_BYTES_PER_DAY };

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
  restore('IMPORT_MAX_VERSIONS', savedEnv.versions);
  restore('IMPORT_MAX_BYTES_PER_DAY', savedEnv.bytes);
});
afterEach(() => {
  delete process.env.IMPORT_MAX_VERSIONS;
  delete process.env.IMPORT_MAX_BYTES_PER_DAY;
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** A small valid document; `version` makes each one a different document. */
function documentOf(title: string, version: number, padding = 0): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title, version: String(version), description: 'x'.repeat(padding) },
    servers: [{ url: 'https://capped.example.com' }],
    paths: { '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok' } } } } },
  });
}

const importDocument = (document: string) => postJson(`${system.apiUrl}/applications/import`, { document });
const storedVersions = async (slug: string) => (await system.store.imported.list()).filter((row) => row.slug === slug).length;
const bytesStored = async () => (await system.store.imported.importsSince(new Date(Date.now() - 24 * 3600_000))).reduce((sum, row) => sum + row.bytes, 0);

describe('versions per application (IMPORT_MAX_VERSIONS)', () => {
  it('answers 409 naming the application and its versions once it has the most allowed, storing nothing', async () => {
    process.env.IMPORT_MAX_VERSIONS = '2';
    expect((await importDocument(documentOf('Capped Versions', 1))).status).toBe(201);
    expect((await importDocument(documentOf('Capped Versions', 2))).status).toBe(201);
    const refused = await importDocument(documentOf('Capped Versions', 3));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ application: 'capped-versions', versions: 2, limit: 2 });
    expect(refused.body.message).toMatch(/capped-versions already has 2 versions.*IMPORT_MAX_VERSIONS=2/);
    expect(await storedVersions('capped-versions')).toBe(2);
    // A document imported before is still found: no new version is needed for it.
    expect(await importDocument(documentOf('Capped Versions', 1))).toMatchObject({ status: 200, body: { application: 'capped-versions@v1', created: false } });
    // Another application is not held back by this one's versions.
    expect((await importDocument(documentOf('Other Capped', 1))).status).toBe(201);
  });
});

describe('bytes per day (IMPORT_MAX_BYTES_PER_DAY)', () => {
  it('answers 429 with Retry-After when the last 24 hours and this document weigh more than the cap, storing nothing', async () => {
    const document = documentOf('Capped Bytes', 1);
    const size = Buffer.byteLength(document);
    const used = await bytesStored();
    // Room for one such document, not two.
    process.env.IMPORT_MAX_BYTES_PER_DAY = String(used + size + Math.floor(size / 2));
    expect((await importDocument(document)).status).toBe(201);
    expect(await bytesStored()).toBe(used + size);

    const res = await fetch(`${system.apiUrl}/applications/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeaders() },
      body: JSON.stringify({ document: documentOf('Capped Bytes', 2) }),
    });
    expect(res.status).toBe(429);
    const body = (await res.json()) as { message: string; retryAfterSeconds: number };
    const retryAfter = Number(res.headers.get('retry-after'));
    // The oldest imports of this system leave the window a day after they came, i.e. within the next 24 hours.
    expect(retryAfter).toBeGreaterThan(24 * 3600 - 300);
    expect(retryAfter).toBeLessThanOrEqual(24 * 3600);
    expect(body.retryAfterSeconds).toBe(retryAfter);
    expect(body.message).toMatch(/IMPORT_MAX_BYTES_PER_DAY/);
    expect(await storedVersions('capped-bytes')).toBe(1);
  });

  it('answers 413 for a document that alone weighs more than the cap, before processing it', async () => {
    process.env.IMPORT_MAX_BYTES_PER_DAY = '1000';
    const refused = await importDocument(documentOf('Too Big', 1, 2_000));
    expect(refused.status).toBe(413);
    expect(refused.body.message).toMatch(/more than IMPORT_MAX_BYTES_PER_DAY=1000/);
    expect(await storedVersions('too-big')).toBe(0);
  });
});

describe('secondsUntilFits', () => {
  const now = new Date('2026-01-02T12:00:00Z');
  const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3600_000);

  it('waits until enough of the oldest imports have left the 24-hour window', () => {
    const window = [
      { bytes: 40, createdAt: hoursAgo(23) },
      { bytes: 30, createdAt: hoursAgo(10) },
      { bytes: 20, createdAt: hoursAgo(1) },
    ];
    expect(secondsUntilFits(window, 10, 100, now)).toBe(0);
    expect(secondsUntilFits(window, 30, 100, now)).toBe(3600); // the 40 bytes leave in an hour
    expect(secondsUntilFits(window, 60, 100, now)).toBe(14 * 3600); // and the 30 bytes 13 hours later
  });
});
