/**
 * Caps on POST /applications/import through the real API, with small caps from the environment
 * (read at each request): versions per application answer 409 naming the application and how
 * many it has; bytes over a rolling 24 hours answer 429 with Retry-After (413 for a document over
 * the cap on its own). Nothing is stored by a refused import. The bytes are reserved before
 * processing, so concurrent imports cannot share the same remaining bytes, and a document that is
 * processed without becoming a version (one that fails) costs its bytes too. A JSON document
 * imported before is found without processing it.
 */
import { ImportBudget, secondsUntilFits, type ImportEntry } from '../../api/applications/import-caps';
import { ImportController } from '../../api/applications/import.controller';
import { authHeaders, postJson, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
const savedEnv = { versions: process.env.IMPORT_MAX_VERSIONS, bytes: process.env.IMPORT_MAX_BYTES_PER_DAY, timeout: process.env.IMPORT_TIMEOUT_MS };

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
  restore('IMPORT_MAX_VERSIONS', savedEnv.versions);
  restore('IMPORT_MAX_BYTES_PER_DAY', savedEnv.bytes);
  restore('IMPORT_TIMEOUT_MS', savedEnv.timeout);
});
afterEach(() => {
  delete process.env.IMPORT_MAX_VERSIONS;
  delete process.env.IMPORT_MAX_BYTES_PER_DAY;
  delete process.env.IMPORT_TIMEOUT_MS;
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
/** Everything the byte cap counts: stored versions, and the attempts (refused after processing, failed) of this API process. */
const bytesCounted = async () => (await bytesStored()) + system.app.get(ImportController).budget.ledgerBytes();

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
    const used = await bytesCounted();
    // Room for one such document, not two.
    process.env.IMPORT_MAX_BYTES_PER_DAY = String(used + size + Math.floor(size / 2));
    expect((await importDocument(document)).status).toBe(201);
    expect(await bytesCounted()).toBe(used + size);

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

describe('bytes reserved before processing', () => {
  it('accepts only what fits of concurrent imports over the cap, answering 429 to the rest', async () => {
    const documents = [1, 2, 3, 4, 5, 6].map((n) => documentOf(`Raced ${n}`, 1));
    const size = Buffer.byteLength(documents[0]!);
    // Room for two of them: each would fit on its own, as every one of them did before it was reserved.
    process.env.IMPORT_MAX_BYTES_PER_DAY = String((await bytesCounted()) + 2 * size + Math.floor(size / 2));
    const answers = await Promise.all(documents.map(importDocument));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 201, 429, 429, 429, 429]);
    expect((await system.store.imported.list()).filter((row) => row.slug.startsWith('raced-'))).toHaveLength(2);
  });

  it('counts a document that fails (400) against the bytes, so it cannot be sent again and again for free', async () => {
    const failing = JSON.stringify({ openapi: '3.0.3', info: { title: 'Failing', version: '1' } }); // no paths
    const valid = documentOf('After Failing', 1);
    const used = await bytesCounted();
    // Room for the failing document, not for it and the valid one, nor for it twice.
    expect(Buffer.byteLength(valid)).toBeGreaterThan(Buffer.byteLength(failing));
    process.env.IMPORT_MAX_BYTES_PER_DAY = String(used + Buffer.byteLength(failing) + Math.floor(Buffer.byteLength(failing) / 2));
    const failed = await importDocument(failing);
    expect(failed.status).toBe(400);
    expect(failed.body.message).toMatch(/no paths/);
    expect(await bytesCounted()).toBe(used + Buffer.byteLength(failing));
    expect((await importDocument(valid)).status).toBe(429);
    expect((await importDocument(failing)).status).toBe(429);
    expect(await storedVersions('after-failing')).toBe(0);
  });

  it('finds a JSON document imported before by its hash, without processing it again and at no cost; a changed one is processed', async () => {
    const document = JSON.stringify({
      openapi: '3.0.3',
      info: { title: 'Known Document', version: '1' },
      paths: { '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/thing' } } } } } } } },
      components: { schemas: { thing: { type: 'object', properties: { id: { type: 'string' } } } } },
    });
    expect((await importDocument(document)).status).toBe(201);
    // YAML is processed before it is found (its aliases are the worker's to expand): that costs its bytes.
    const yaml = `# the same document as YAML\n${document}`;
    let used = await bytesCounted();
    expect(await importDocument(yaml)).toMatchObject({ status: 200, body: { application: 'known-document@v1', created: false } });
    expect(await bytesCounted()).toBe(used + Buffer.byteLength(yaml));

    // Processing would now go over the time limit (422): a 200 means the document was not processed.
    process.env.IMPORT_TIMEOUT_MS = '1';
    used = await bytesCounted();
    expect(await importDocument(document)).toMatchObject({ status: 200, body: { application: 'known-document@v1', created: false, actions: 1 } });
    expect(await postJson(`${system.apiUrl}/applications/import`, { document: JSON.parse(document) })).toMatchObject({ status: 200, body: { application: 'known-document@v1', created: false } });
    expect(await bytesCounted()).toBe(used);
    const changed = document.replace('"version":"1"', '"version":"2"');
    expect((await importDocument(changed)).status).toBe(422);
    expect(await bytesCounted()).toBe(used + Buffer.byteLength(changed));
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

describe('ImportBudget', () => {
  const entry = (bytes: number): ImportEntry => ({ bytes, createdAt: new Date(Date.now() - 3600_000) });
  const reserved = async (budget: ImportBudget, bytes: number) => {
    const result = await budget.reserve(bytes, 100);
    if (!('reservation' in result)) throw new Error(`${bytes} bytes were refused`);
    return result.reservation;
  };
  /** Ends take their turn after the reserves before them: wait for one to have happened. */
  const settled = async (budget: ImportBudget) => (await reserved(budget, 0)).end('unused');

  it('counts pending reservations and attempts; a stored one is left to the store, an unused one is freed', async () => {
    const stored: ImportEntry[] = [entry(20)];
    const budget = new ImportBudget(async () => [...stored]);
    const first = await reserved(budget, 30);
    expect(await budget.reserve(60, 100)).toEqual({ retryAfterSeconds: 23 * 3600, usedBytes: 50 });
    stored.push(entry(30));
    first.end('stored');
    await settled(budget);
    expect(budget.ledgerBytes()).toBe(0);
    (await reserved(budget, 10)).end('unused');
    await settled(budget);
    expect(budget.ledgerBytes()).toBe(0);
    (await reserved(budget, 40)).end('attempted');
    await settled(budget);
    expect(budget.ledgerBytes()).toBe(40);
    expect(await budget.reserve(11, 100)).toMatchObject({ usedBytes: 90 });
  });

  it('lets an import that was stored end only after a reserve that read the store before it was', async () => {
    const stored: ImportEntry[] = [];
    let readStarted!: () => void;
    let finishRead!: () => void;
    const budget = new ImportBudget(async () => {
      const snapshot = [...stored];
      readStarted();
      await new Promise<void>((resolve) => (finishRead = resolve));
      return snapshot;
    });
    const started = new Promise<void>((resolve) => (readStarted = resolve));
    const firstReserve = budget.reserve(60, 100);
    await started;
    finishRead();
    const first = await firstReserve;
    if (!('reservation' in first)) throw new Error('refused');

    const secondStarted = new Promise<void>((resolve) => (readStarted = resolve));
    const second = budget.reserve(60, 100);
    await secondStarted; // its read does not see the version below
    stored.push({ bytes: 60, createdAt: new Date() });
    first.reservation.end('stored');
    finishRead();
    expect(await second).toMatchObject({ usedBytes: 60 });
  });
});
