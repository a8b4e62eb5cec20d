/** GET /me against the real API: who the calling key is, for any valid key, and nothing without one. */
import { authHeaders, getJson, postJson, startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

describe('GET /me', () => {
  it('names ENGINE_API_KEY as the bootstrap admin key', async () => {
    const res = await getJson(`${system.apiUrl}/me`);
    expect(res).toEqual({ status: 200, body: { keyId: 'bootstrap', name: 'ENGINE_API_KEY', scopes: ['admin'] } });
  });

  it('answers a stored key with its id, name and scopes, read-only and admin alike', async () => {
    for (const scopes of [['read'], ['admin'], ['read', 'operate']]) {
      const created = await postJson(`${system.apiUrl}/api-keys`, { name: `console ${scopes.join('+')}`, scopes });
      expect(created.status).toBe(201);
      const res = await getJson(`${system.apiUrl}/me`, authHeaders(created.body.key));
      expect(res).toEqual({ status: 200, body: { keyId: created.body.id, name: `console ${scopes.join('+')}`, scopes } });
      expect(JSON.stringify(res.body)).not.toContain(created.body.key);
    }
  });

  it('answers 401 without a key, with an unknown one and with a revoked one', async () => {
    expect((await getJson(`${system.apiUrl}/me`, { authorization: '' })).status).toBe(401);
    expect((await getJson(`${system.apiUrl}/me`, authHeaders('eng_not-a-key-anyone-made'))).status).toBe(401);
    const created = await postJson(`${system.apiUrl}/api-keys`, { name: 'revoked', scopes: ['read'] });
    expect((await getJson(`${system.apiUrl}/me`, authHeaders(created.body.key))).status).toBe(200);
    expect((await fetch(`${system.apiUrl}/api-keys/${created.body.id}`, { method: 'DELETE', headers: authHeaders() })).status).toBe(204);
    const revoked = await getJson(`${system.apiUrl}/me`, authHeaders(created.body.key));
    expect(revoked.status).toBe(401);
    expect(revoked.body).toMatchObject({ message: 'unknown or revoked API key' });
  });

  it('is in the Swagger document as a read route with its answer', async () => {
    const document = (await getJson(`${system.apiUrl}/docs-json`, { authorization: '' })).body;
    const operation = document.paths['/me'].get;
    expect(operation['x-required-scope']).toBe('read');
    expect(operation.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CallerResponse' });
    expect(Object.keys(document.components.schemas.CallerResponse.properties)).toEqual(['keyId', 'name', 'scopes']);
  });
});
