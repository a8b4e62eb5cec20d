/**
 * Attacks on the management surface, against the real API: every operation in the Swagger
 * document without a key, with an unknown or revoked key, with too small a scope; a form post; a
 * foreign Host (DNS rebinding); a flood; the public listener when management has its own.
 */
import { createHmac } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { storeDeps } from '../../api/core.module';
import { createApp } from '../../api/create-app';
import { listen } from '../../api/listeners';
import type { SecurityConfig } from '../../api/auth/security-config';
import { flows } from '../../workflows/flows';
import { authHeaders, getJson, postJson, startTestSystem, testSecurity, type TestSystem } from '../support/system';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
interface Operation {
  method: Method;
  path: string;
  security?: unknown[];
  'x-required-scope'?: 'read' | 'operate' | 'admin';
}

/** What is public by design (issue: webhooks, the OAuth callback and connect links, /health). */
const PUBLIC_OPERATIONS = [/^post \/webhooks\//, /^get \/console/, /^get \/oauth\/callback$/, /^get \/oauth\/connect\//, /^get \/health$/];

let system: TestSystem;
let operations: Operation[];
const keys: Record<'read' | 'operate' | 'admin', string> = { read: '', operate: '', admin: '' };

beforeAll(async () => {
  system = await startTestSystem();
  const document = (await getJson(`${system.apiUrl}/docs-json`, { authorization: '' })).body as { paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>> };
  operations = Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ ...operation, method: method as Method, path })));
  for (const scope of ['read', 'operate', 'admin'] as const) {
    const created = await postJson(`${system.apiUrl}/api-keys`, { name: `test-${scope}`, scopes: [scope] });
    expect(created.status).toBe(201);
    keys[scope] = created.body.key;
  }
});

afterAll(async () => {
  await system?.stop();
});

/** Sends an operation with path parameters filled in and, for writes, an empty JSON object. */
async function call(operation: Operation, headers: Record<string, string>): Promise<Response> {
  const url = `${system.apiUrl}${operation.path.replace(/\{[^}]+\}/g, 'no-such-thing')}`;
  const write = operation.method !== 'get' && operation.method !== 'delete';
  return fetch(url, { method: operation.method.toUpperCase(), headers: { ...(write ? { 'content-type': 'application/json' } : {}), ...headers }, body: write ? '{}' : undefined });
}

const name = (operation: Operation) => `${operation.method} ${operation.path}`;
const isPublic = (operation: Operation) => Array.isArray(operation.security) && operation.security.length === 0;

describe('every operation in the Swagger document', () => {
  it('has the public ones exactly where the design puts them, and declares the bearer scheme', async () => {
    expect(operations.length).toBeGreaterThan(20);
    const publicOnes = operations.filter(isPublic).map(name);
    for (const operation of publicOnes) expect(PUBLIC_OPERATIONS.some((pattern) => pattern.test(operation))).toBe(true);
    const document = (await getJson(`${system.apiUrl}/docs-json`)).body;
    expect(document.components.securitySchemes['api-key']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ 'api-key': [] }]);
    for (const operation of operations.filter((o) => !isPublic(o))) expect(['read', 'operate', 'admin']).toContain(operation['x-required-scope']);
  });

  it('answers 401 without a key, with a malformed header, and with an unknown key', async () => {
    const answered: string[] = [];
    for (const operation of operations.filter((o) => !isPublic(o))) {
      for (const headers of [{}, { authorization: 'Basic YWRtaW46YWRtaW4=' }, authHeaders('eng_not-a-key-anyone-made')]) {
        const res = await call(operation, headers);
        if (res.status !== 401) answered.push(`${name(operation)} ${JSON.stringify(headers)} → ${res.status}`);
        else expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    }
    expect(answered).toEqual([]);
  });

  it("answers 403 to a key whose scope is below the operation's, and lets the right scope through", async () => {
    const wrong: string[] = [];
    for (const operation of operations.filter((o) => !isPublic(o))) {
      const needed = operation['x-required-scope']!;
      const below = needed === 'admin' ? (['read', 'operate'] as const) : needed === 'operate' ? (['read'] as const) : [];
      for (const scope of below) {
        const res = await call(operation, authHeaders(keys[scope]));
        if (res.status !== 403) wrong.push(`${name(operation)} with ${scope} → ${res.status}`);
      }
      const allowed = await call(operation, authHeaders(keys[needed]));
      if (allowed.status === 401 || allowed.status === 403) wrong.push(`${name(operation)} with ${needed} → ${allowed.status}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('API keys', () => {
  it('are shown once, listed without the key, and stop working when revoked', async () => {
    const created = await postJson(`${system.apiUrl}/api-keys`, { name: 'ci', scopes: ['operate'] });
    expect(created).toMatchObject({ status: 201, body: { id: expect.stringMatching(/^key_/), key: expect.stringMatching(/^eng_/), scopes: ['operate'], name: 'ci' } });
    const { id, key } = created.body;
    expect((await getJson(`${system.apiUrl}/channels`, authHeaders(key))).status).toBe(200);

    const listed = await getJson(`${system.apiUrl}/api-keys`);
    const entry = listed.body.find((k: { id: string }) => k.id === id);
    expect(entry).toMatchObject({ name: 'ci', scopes: ['operate'], createdAt: expect.any(String), lastUsedAt: expect.any(String) });
    expect(JSON.stringify(listed.body)).not.toContain(key);
    // Stored hashed: the database holds no key.
    const rows = await system.store.db.selectFrom('api_keys').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(key);

    expect((await fetch(`${system.apiUrl}/api-keys/${id}`, { method: 'DELETE', headers: authHeaders() })).status).toBe(204);
    expect((await getJson(`${system.apiUrl}/channels`, authHeaders(key))).status).toBe(401);
    expect((await fetch(`${system.apiUrl}/api-keys/${id}`, { method: 'DELETE', headers: authHeaders() })).status).toBe(404);
  });

  it('refuses a key request that names no scope or an unknown one, naming the field', async () => {
    const res = await postJson(`${system.apiUrl}/api-keys`, { name: 'x', scopes: ['root'] });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('scopes.0');
    expect((await postJson(`${system.apiUrl}/api-keys`, { name: 'x', scopes: [] })).status).toBe(400);
  });
});

describe('no driving from a browser', () => {
  it('refuses a form post and a text/plain post to a management route with 415, changing nothing', async () => {
    const before = (await getJson(`${system.apiUrl}/channels`)).body.length;
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', 'application=demo-crm&name=evil'],
      ['text/plain', '{"application":"demo-crm","name":"evil"}'],
      ['multipart/form-data; boundary=x', '--x--'],
    ]) {
      const res = await fetch(`${system.apiUrl}/channels`, { method: 'POST', headers: { ...authHeaders(), 'content-type': type! }, body });
      expect(res.status).toBe(415);
    }
    expect((await getJson(`${system.apiUrl}/channels`)).body.length).toBe(before);
  });

  it('refuses a Host it does not own (DNS rebinding) with 403, even with a key', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${system.apiUrl}/channels`, { headers: { ...authHeaders(), host: 'attacker.example:3000' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('tells an anonymous /health only the status; a key gets the details', async () => {
    const anonymous = await getJson(`${system.apiUrl}/health`, { authorization: '' });
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ status: 'ok' });
    const detailed = await getJson(`${system.apiUrl}/health`, authHeaders(keys.read));
    expect(detailed.body).toMatchObject({ status: 'ok', temporal: { address: expect.any(String) }, store: { reachable: true } });
    expect((await getJson(`${system.apiUrl}/health`, authHeaders('eng_wrong'))).status).toBe(401);
  });

  it('refuses an import without an admin key before reading its body', async () => {
    const body = JSON.stringify({ document: 'x'.repeat(5_000_000) });
    const send = (headers: Record<string, string>) => fetch(`${system.apiUrl}/applications/import`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await send({})).status).toBe(401);
    expect((await send(authHeaders(keys.read))).status).toBe(403);
    expect((await send(authHeaders(keys.operate))).status).toBe(403);
  });
});

describe('deployments', () => {
  async function startApp(overrides: Partial<SecurityConfig>, adminPort?: number): Promise<{ app: NestExpressApplication; url: string; adminUrl?: string }> {
    const app = await createApp(
      {
        client: system.client,
        settings: system.settings,
        flows,
        ...storeDeps(system.store),
        security: testSecurity(overrides),
        publicUrl: () => 'http://127.0.0.1',
      },
      { closeClientOnShutdown: false, logger: false },
    );
    const { url, adminUrl } = await listen(app, { port: 0, host: '127.0.0.1', ...(adminPort !== undefined ? { adminPort, adminHost: '127.0.0.1' } : {}) });
    return { app, url, adminUrl };
  }

  it('with ADMIN_PORT serves management only there; the public port serves webhooks, health and docs', async () => {
    const { app, url, adminUrl } = await startApp({ separateAdminListener: true }, 0);
    try {
      expect((await getJson(`${url}/channels`)).status).toBe(404);
      expect((await postJson(`${url}/api-keys`, { name: 'x', scopes: ['admin'] })).status).toBe(404);
      expect((await getJson(`${url}/health`, { authorization: '' })).status).toBe(200);
      expect((await getJson(`${url}/docs-json`, { authorization: '' })).status).toBe(200);
      expect((await postJson(`${url}/webhooks/demo-crm/orders/no-such-channel`, {})).status).toBe(404);
      expect((await getJson(`${adminUrl}/channels`)).status).toBe(200);
      expect((await getJson(`${adminUrl}/channels`, { authorization: '' })).status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('with DOCS_PUBLIC=false puts /docs, /docs-json and /docs-yaml behind a key', async () => {
    const { app, url } = await startApp({ docsPublic: false });
    try {
      for (const path of ['/docs-json', '/docs-yaml', '/docs']) expect((await getJson(`${url}${path}`, { authorization: '' })).status).toBe(401);
      expect((await getJson(`${url}/docs-json`, authHeaders(keys.read))).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('answers a flood of management calls with 429 and Retry-After, per key', async () => {
    const { app, url } = await startApp({ rateLimits: { ...testSecurity().rateLimits, perKey: { limit: 5, windowMs: 60_000 } } });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 8; i++) {
        const res = await fetch(`${url}/flows`, { headers: authHeaders(keys.read) });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
      }
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      // Another key has its own budget.
      expect((await fetch(`${url}/flows`, { headers: authHeaders(keys.operate) })).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('answers a flood of verified deliveries with 429 per channel; forged ones and other channels do not use its budget', async () => {
    const { app, url } = await startApp({ rateLimits: { ...testSecurity().rateLimits, webhookPerChannel: { limit: 3, windowMs: 60_000 } } });
    const secret = 'flood-test-webhook-secret';
    const mailerChannel = (name: string) =>
      system.channels.create({
        application: 'demo-mailer',
        name,
        settings: { baseUrl: 'http://127.0.0.1:9', crmChannelId: 'demo-crm-default' },
        credentials: { apiToken: 'token-for-flood-test', webhookSecret: secret },
        enabled: true,
        authStatus: 'configured',
      });
    const [mailer, other] = [await mailerChannel('flooded mailer'), await mailerChannel('quiet mailer')];
    // A body the flow's schema refuses (400) after verification: counted, and nothing is started.
    const body = '{"not":"an event"}';
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const deliver = (path: string, sig = signature) =>
      fetch(`${url}/webhooks/demo-mailer/contact-events/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-mailer-signature': sig }, body });
    try {
      // Forged deliveries are refused (401) and cost the channel nothing.
      for (let i = 0; i < 5; i++) expect((await deliver(mailer.id, `sha256=${'0'.repeat(64)}`)).status).toBe(401);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await deliver(mailer.id)).status);
      expect(statuses).toEqual([400, 400, 400]);
      const limited = await deliver(mailer.id);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await limited.json()).toMatchObject({ statusCode: 429, message: expect.stringContaining(`channel ${mailer.id}`) });
      // The channel is the one routing resolves, however the path spells it.
      const encoded = mailer.id.replace(/^(.)/, (c) => `%${c.charCodeAt(0).toString(16)}`);
      expect((await deliver(encoded)).status).toBe(429);
      // Another channel is not slowed by the flooded one.
      expect((await deliver(other.id)).status).toBe(400);
    } finally {
      await app.close();
      await system.channels.delete(mailer.id);
      await system.channels.delete(other.id);
    }
  });

  it('answers a flood from one source address with 429 on public routes and on calls without a valid key', async () => {
    const { app, url } = await startApp({ rateLimits: { ...testSecurity().rateLimits, perSource: { limit: 3, windowMs: 60_000 } } });
    try {
      const statuses = [];
      for (const path of ['/health', '/webhooks/demo-crm/orders/a', '/oauth/callback?state=x'])
        statuses.push((await fetch(`${url}${path}`, path.startsWith('/webhooks') ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' } : {})).status);
      expect(statuses).not.toContain(429);
      expect((await fetch(`${url}/health`)).status).toBe(429);
      // Guessing keys counts against the source too…
      expect((await fetch(`${url}/channels`, { headers: authHeaders('eng_guess') })).status).toBe(429);
      // …while a valid key has its own budget.
      expect((await fetch(`${url}/channels`, { headers: authHeaders(keys.read) })).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
