/**
 * Credentials bound to where they go, against the real API: a PATCH (settings or another version
 * of an imported application) that would carry a channel's secrets to another origin is refused
 * unless the secrets come again with it, and nothing changes; a loopback "attacker" server shows
 * what actually reaches it. A new authorization server drops the OAuth tokens. An application's
 * pinned hosts (`allowedHosts`, demo-helpdesk here) refuse settings pointing elsewhere.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { MASK } from '../../api/channels/channel-view';
import { ChannelSchedules } from '../../channels/channel-schedules';
import { connectChannel } from '../support/browser';
import { startTestOAuthServer, type TestOAuthServer } from '../support/oauth-server';
import { authHeaders, DEMO_API_KEY, getJson, postJson, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let oauth: TestOAuthServer;
let evil: Server;
let evilUrl: string;
/** Every request the attacker's server received, with the credentials it carried. */
const stolen: Array<{ url: string; apiKey: string | undefined; authorization: string | undefined }> = [];

beforeAll(async () => {
  [oauth, system] = await Promise.all([startTestOAuthServer(), startTestSystem()]);
  evil = createServer((req, res) => {
    stolen.push({ url: req.url ?? '', apiKey: req.headers['x-api-key'] as string | undefined, authorization: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  // Another origin than the demo CRM's (same address, another port).
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await Promise.all([system?.stop(), oauth?.stop(), new Promise<void>((resolve) => (evil ? evil.close(() => resolve()) : resolve()))]);
});

async function patch(id: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${system.apiUrl}/channels/${id}`, { method: 'PATCH', headers: { ...authHeaders(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}
const channel = async (id: string) => (await getJson(`${system.apiUrl}/channels/${id}`)).body;

async function crmChannel(): Promise<string> {
  // Disabled: no schedules polling whatever the tests point it at.
  const created = await postJson(`${system.apiUrl}/channels`, {
    application: 'demo-crm',
    name: `CRM ${randomUUID().slice(0, 4)}`,
    settings: { baseUrl: system.crm.url },
    credentials: { apiKey: DEMO_API_KEY },
    enabled: false,
  });
  expect(created.status).toBe(201);
  return created.body.id;
}
const listContacts = (channelId: string) => postJson(`${system.apiUrl}/applications/demo-crm/actions/listContacts/run`, { channelId, input: { perPage: 1 } });

describe('a base URL moved to another origin', () => {
  it('is refused with 409 naming the fields unless the credentials come again, and nothing changes', async () => {
    const id = await crmChannel();
    const before = await channel(id);
    for (const attempt of [
      { settings: { baseUrl: 'https://evil.example' } },
      { settings: { baseUrl: 'https://evil.example' }, credentials: { apiKey: MASK } },
      { settings: { baseUrl: 'https://evil.example' }, name: 'renamed too' },
    ]) {
      const refused = await patch(id, attempt);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toBe('settings.baseUrl moves the channel to https://evil.example; give credentials.apiKey again in the same request');
      expect(refused.body.issues).toEqual([{ field: 'credentials.apiKey', message: expect.stringContaining('settings.baseUrl moves the channel to https://evil.example') }]);
      expect(refused.body.moves).toEqual([{ field: 'settings.baseUrl', to: 'https://evil.example' }]);
    }
    expect(await channel(id)).toEqual(before);
  });

  it('does not let the key reach the other origin; given again, only the new key goes there', async () => {
    const id = await crmChannel();
    expect((await patch(id, { settings: { baseUrl: evilUrl } })).status).toBe(409);
    expect((await channel(id)).settings).toEqual({ baseUrl: system.crm.url });
    expect((await listContacts(id)).status).toBe(200); // still the CRM, with its key
    expect(stolen).toEqual([]);

    const moved = await patch(id, { settings: { baseUrl: evilUrl }, credentials: { apiKey: 'a-key-the-caller-knows' } });
    expect(moved.status).toBe(200);
    expect(moved.body.settings).toEqual({ baseUrl: evilUrl });
    await listContacts(id); // the empty answer is not a contact page: the run fails, the request was sent
    expect(stolen.length).toBeGreaterThan(0);
    expect(stolen.map((r) => r.apiKey)).not.toContain(DEMO_API_KEY);
    expect(new Set(stolen.map((r) => r.apiKey))).toEqual(new Set(['a-key-the-caller-knows']));
  });

  /**
   * Each read `B` makes of the channel is followed by `A`, a whole PATCH, before `B` goes on with
   * what it read: `B`'s view of the channel is stale by the time it writes, every time it reads.
   */
  async function interleaved(id: string, a: unknown, b: unknown, times: number): Promise<{ status: number; body: any }> {
    const read = system.channels.get.bind(system.channels);
    let inA = false;
    let left = times;
    const spy = jest.spyOn(system.channels, 'get').mockImplementation(async (channelId) => {
      const seen = await read(channelId);
      if (channelId === id && !inA && left > 0) {
        left -= 1;
        inA = true;
        expect((await patch(id, a)).status).toBe(200);
        inA = false;
      }
      return seen;
    });
    try {
      return await patch(id, b);
    } finally {
      spy.mockRestore();
    }
  }

  it('does not let a concurrent PATCH put the stale key beside the moved base URL', async () => {
    const id = await crmChannel();
    // A moves the channel, giving a key of its own; B, masked, would keep "the" key: the real one it read.
    const res = await interleaved(id, { settings: { baseUrl: evilUrl }, credentials: { apiKey: 'a-key-the-caller-knows' } }, { name: 'B was here', credentials: { apiKey: MASK } }, 1);
    // B's write over the version it read is refused; read again and checked again, it keeps A's key.
    expect(res.status).toBe(200);
    expect(await system.channels.get(id)).toMatchObject({ name: 'B was here', settings: { baseUrl: evilUrl }, credentials: { apiKey: 'a-key-the-caller-knows' } });
    await listContacts(id);
    expect(stolen.map((r) => r.apiKey)).not.toContain(DEMO_API_KEY);
  });

  it('answers 409 when the channel keeps changing under a PATCH, and the PATCH changes nothing', async () => {
    const id = await crmChannel();
    const res = await interleaved(id, { settings: { baseUrl: evilUrl }, credentials: { apiKey: 'a-key-the-caller-knows' } }, { name: 'B was here', credentials: { apiKey: MASK } }, Infinity);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('the channel changed while this request was being handled; read it again');
    expect(await system.channels.get(id)).toMatchObject({ name: expect.not.stringMatching('B was here'), settings: { baseUrl: evilUrl }, credentials: { apiKey: 'a-key-the-caller-knows' } });
  });

  describe('undone when Temporal cannot be reached', () => {
    const unreachable = () => Object.assign(new Error('Failed to connect to Temporal'), { name: 'TransportError' });
    afterEach(() => jest.restoreAllMocks());

    it('puts back the channel as it was: the old base URL with the old key', async () => {
      const id = await crmChannel();
      const before = await system.channels.get(id);
      jest.spyOn(ChannelSchedules.prototype, 'sync').mockRejectedValueOnce(unreachable());
      expect((await patch(id, { settings: { baseUrl: evilUrl }, credentials: { apiKey: 'a-key-the-caller-knows' } })).status).toBe(503);
      expect(await system.channels.get(id)).toMatchObject({ settings: before!.settings, credentials: before!.credentials, name: before!.name });
    });

    it('only over its own write: a change made meanwhile stays', async () => {
      const id = await crmChannel();
      jest.spyOn(ChannelSchedules.prototype, 'sync').mockImplementationOnce(async () => {
        // Another request moves the channel (with its key) while this one waits for Temporal.
        const moved = await system.channels.get(id);
        await system.channels.update(id, { settings: { baseUrl: evilUrl }, credentials: { apiKey: 'a-key-the-caller-knows' } }, { ifVersion: moved!.version });
        throw unreachable();
      });
      expect((await patch(id, { name: 'renamed, then undone' })).status).toBe(503);
      // Not the stale channel written back over the move (nor the real key beside the new URL).
      expect(await system.channels.get(id)).toMatchObject({ name: 'renamed, then undone', settings: { baseUrl: evilUrl }, credentials: { apiKey: 'a-key-the-caller-knows' } });
    });
  });

  it('lets a change within the same origin through', async () => {
    const id = await crmChannel();
    const moved = await patch(id, { settings: { baseUrl: `${system.crm.url}/` } });
    expect(moved.status).toBe(200);
    expect(moved.body.settings).toEqual({ baseUrl: `${system.crm.url}/` });
  });
});

describe('OAuth endpoints moved to another origin', () => {
  async function connectedHelpdesk(): Promise<string> {
    const created = await postJson(`${system.apiUrl}/channels`, {
      application: 'demo-helpdesk',
      name: 'Helpdesk',
      settings: { baseUrl: oauth.resourceUrl, authServerUrl: oauth.issuer },
      credentials: { clientId: 'helpdesk-client', clientSecret: 'helpdesk-secret' },
    });
    expect(created.status).toBe(201);
    expect((await connectChannel(system, created.body.id)).body.authStatus).toBe('authorized');
    expect((await system.store.tokens.read(created.body.id))?.tokens).toBeDefined();
    return created.body.id;
  }
  const otherIssuer = () => oauth.issuer.replace('localhost', '127.0.0.1');

  it('needs the client secret again, else 409 and nothing changes', async () => {
    const id = await connectedHelpdesk();
    const before = await channel(id);
    const refused = await patch(id, { settings: { baseUrl: oauth.resourceUrl, authServerUrl: otherIssuer() } });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(`settings.authServerUrl moves the channel to ${new URL(otherIssuer()).origin}; give credentials.clientSecret again in the same request`);
    expect(await channel(id)).toEqual(before);
    expect((await system.store.tokens.read(id))?.tokens).toBeDefined();
  });

  it('with the secret given, drops the tokens: the channel needs authorizing again', async () => {
    const id = await connectedHelpdesk();
    const moved = await patch(id, { settings: { baseUrl: oauth.resourceUrl, authServerUrl: otherIssuer() }, credentials: { clientSecret: 'helpdesk-secret' } });
    expect(moved.status).toBe(200);
    expect(moved.body.authStatus).toBe('reauthorization-required');
    expect((await system.store.tokens.read(id))?.tokens).toBeUndefined();
    const run = await postJson(`${system.apiUrl}/applications/demo-helpdesk/actions/listTickets/run`, { channelId: id, input: {} });
    expect(run.status).toBe(502);
    expect(run.body).toMatchObject({ type: 'AuthorizationRequired' });
  });
});

describe('pinned hosts (demo-helpdesk: helpdesk.example.com, *.helpdesk.example.com, loopback)', () => {
  const create = (settings: Record<string, string>) =>
    postJson(`${system.apiUrl}/channels`, { application: 'demo-helpdesk', name: 'Pinned', settings, credentials: { clientId: 'c', clientSecret: 's' } });

  const outside = "not one of demo-helpdesk's hosts";
  it.each([
    ['another host', { baseUrl: 'https://evil.example', authServerUrl: 'https://helpdesk.example.com/oauth' }, 'settings.baseUrl', outside],
    ['a host ending in an allowed name', { baseUrl: 'https://helpdesk.example.com.evil.example', authServerUrl: 'https://helpdesk.example.com/oauth' }, 'settings.baseUrl', outside],
    ['two labels under a one-label wildcard', { baseUrl: 'https://a.b.helpdesk.example.com', authServerUrl: 'https://helpdesk.example.com/oauth' }, 'settings.baseUrl', outside],
    ['an authorization server elsewhere', { baseUrl: 'https://acme.helpdesk.example.com', authServerUrl: 'https://login.evil.example' }, 'settings.authServerUrl', outside],
    [
      'plain http to an allowed host, on another port',
      { baseUrl: 'http://acme.helpdesk.example.com:8080', authServerUrl: 'https://helpdesk.example.com/oauth' },
      'settings.baseUrl',
      'only over https',
    ],
    [
      'another port of an allowed host',
      { baseUrl: 'https://acme.helpdesk.example.com', authServerUrl: 'https://helpdesk.example.com:8443/oauth' },
      'settings.authServerUrl',
      `port 8443 of helpdesk.example.com is ${outside}`,
    ],
  ])('refuses %s on create with 400 naming the field', async (_label, settings, field, message) => {
    const res = await create(settings);
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([{ field, message: expect.stringContaining(message) }]);
  });

  it('accepts its own hosts, and refuses an update pointing elsewhere, leaving the channel as it was', async () => {
    const created = await create({ baseUrl: 'https://acme.helpdesk.example.com', authServerUrl: 'https://helpdesk.example.com/oauth' });
    expect(created.status).toBe(201);
    const refused = await patch(created.body.id, { settings: { baseUrl: 'https://evil.example', authServerUrl: 'https://helpdesk.example.com/oauth' }, credentials: { clientSecret: 's' } });
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([{ field: 'settings.baseUrl', message: expect.stringContaining('evil.example') }]);
    expect((await channel(created.body.id)).settings).toEqual(created.body.settings);
  });
});

describe('imported applications', () => {
  const doc = (server: string, auth: 'api-key' | 'none') => ({
    openapi: '3.0.3',
    info: { title: 'Moving API', version: '1.0.0' },
    servers: [{ url: server }],
    ...(auth === 'api-key' ? { components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-API-Key' } } }, security: [{ key: [] }] } : {}),
    paths: { '/api/contacts': { get: { operationId: 'listContacts', responses: { '200': { description: 'ok' } } } } },
  });
  const importDoc = async (name: string, document: unknown) => {
    const res = await postJson(`${system.apiUrl}/applications/import`, { name, document: JSON.stringify(document) });
    expect(res.status).toBe(201);
    return res.body.application as string;
  };

  it('moving to a version whose server is another origin counts as a move', async () => {
    const v1 = await importDoc('moving-api', doc(system.crm.url, 'api-key'));
    const v2 = await importDoc('moving-api', doc(evilUrl, 'api-key'));
    expect([v1, v2]).toEqual(['moving-api@v1', 'moving-api@v2']);
    const created = await postJson(`${system.apiUrl}/channels`, { application: v1, name: 'Moving', credentials: { apiKey: DEMO_API_KEY }, enabled: false });
    expect(created.status).toBe(201);
    const refused = await patch(created.body.id, { application: v2 });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(`application moves the channel to ${evilUrl}; give credentials.apiKey again in the same request`);
    expect((await channel(created.body.id)).application).toBe(v1);
    expect((await patch(created.body.id, { application: v2, credentials: { apiKey: 'new-key' } })).status).toBe(200);
  });

  it("does not let a version without the secret carry it off, nor a move back skip the old version's pins", async () => {
    // v1 keeps an API key for the CRM; v2, imported by the same key holder, asks for no credentials and lives elsewhere.
    const v1 = await importDoc('switching-api', doc(system.crm.url, 'api-key'));
    const v2 = await importDoc('switching-api', doc(evilUrl, 'none'));
    const created = await postJson(`${system.apiUrl}/channels`, { application: v1, name: 'Switching', credentials: { apiKey: DEMO_API_KEY }, enabled: false });
    expect(created.status).toBe(201);
    const toV2 = await patch(created.body.id, { application: v2, settings: { baseUrl: evilUrl } });
    expect(toV2.status).toBe(409);
    expect(toV2.body.message).toContain('give credentials.apiKey again');
    expect((await channel(created.body.id)).application).toBe(v1);

    // Moved to v2 with the key dropped (`null`), a move back to v1 is checked against v1's schema (and pins): it needs the key.
    expect((await patch(created.body.id, { application: v2, settings: { baseUrl: evilUrl }, credentials: { apiKey: null } })).status).toBe(200);
    const back = await patch(created.body.id, { application: v1 });
    expect(back.status).toBe(400);
    expect(JSON.stringify(back.body)).toContain('credentials.apiKey');
    expect(stolen.filter((request) => request.apiKey === DEMO_API_KEY)).toEqual([]);
  });

  it('leaves an application without credentials free to move', async () => {
    const open = await importDoc('open-api', doc(system.crm.url, 'none'));
    const created = await postJson(`${system.apiUrl}/channels`, { application: open, name: 'Open', enabled: false });
    expect(created.status).toBe(201);
    const moved = await patch(created.body.id, { settings: { baseUrl: evilUrl } });
    expect(moved.status).toBe(200);
    expect(moved.body.settings).toEqual({ baseUrl: evilUrl });
  });
});
