/**
 * OAuth consent bound to the person who started it, against the real API and a real
 * authorization server on loopback: a connect link opens once; its consent completes only in the
 * browser that opened it (two cookie jars play two browsers); the code is exchanged only with the
 * authorization server the consent started with; imported OAuth applications connect too.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { consentCookieName } from '../../api/oauth/consent-cookie';
import { startTestOAuthServer, type TestOAuthServer } from '../support/oauth-server';
import { connectChannel, connectLink, consentUpToCallback, TestBrowser } from '../support/browser';
import { authHeaders, getJson, postJson, startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let oauth: TestOAuthServer;

beforeAll(async () => {
  [oauth, system] = await Promise.all([startTestOAuthServer(), startTestSystem()]);
});
afterAll(async () => {
  await Promise.all([system?.stop(), oauth?.stop()]);
});

async function helpdeskChannel(name = `Helpdesk ${randomUUID().slice(0, 4)}`): Promise<string> {
  const created = await postJson(`${system.apiUrl}/channels`, {
    application: 'demo-helpdesk',
    name,
    settings: { baseUrl: oauth.resourceUrl, authServerUrl: oauth.issuer },
    credentials: { clientId: 'helpdesk-client', clientSecret: 'helpdesk-secret' },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

const authStatus = async (id: string) => (await getJson(`${system.apiUrl}/channels/${id}`)).body.authStatus;

describe('POST /channels/:id/oauth/connect', () => {
  it('answers a short-lived connect URL made of a random token', async () => {
    const id = await helpdeskChannel();
    const before = Date.now();
    const link = await connectLink(system, id);
    expect(link.status).toBe(201);
    expect(link.url).toMatch(new RegExp(`^${system.apiUrl}/oauth/connect/[A-Za-z0-9_-]{43}$`));
    expect(link.url).not.toContain(id);
    const ttl = new Date(link.expiresAt).getTime() - before;
    expect(ttl).toBeGreaterThan(9 * 60_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000 + 1_000);
    expect((await connectLink(system, id)).url).not.toBe(link.url);
  });

  it('is a management route: no key, no link', async () => {
    const id = await helpdeskChannel();
    expect((await postJson(`${system.apiUrl}/channels/${id}/oauth/connect`, undefined, { authorization: '' })).status).toBe(401);
    expect((await fetch(`${system.apiUrl}/channels/${id}/oauth/authorize`, { redirect: 'manual' })).status).toBe(401);
  });

  it('is refused for a channel that does not use OAuth authorization code', async () => {
    const res = await postJson(`${system.apiUrl}/channels/demo-crm-default/oauth/connect`, undefined);
    expect(res.status).toBe(409);
  });

  it('keeps GET /channels/:id/oauth/authorize, as a redirect to a fresh connect link', async () => {
    const id = await helpdeskChannel();
    const res = await fetch(`${system.apiUrl}/channels/${id}/oauth/authorize`, { redirect: 'manual', headers: authHeaders() });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${system.apiUrl}/oauth/connect/[A-Za-z0-9_-]{43}$`));
  });
});

describe('GET /oauth/connect/:token', () => {
  it('binds the consent to the browser with an HttpOnly, SameSite=Lax cookie and redirects to the stored authorization endpoint only', async () => {
    const id = await helpdeskChannel();
    const link = await connectLink(system, id);
    const browser = new TestBrowser();
    // A query cannot choose where the link redirects to.
    const opened = await browser.get(`${link.url}?redirect_uri=https://evil.example/&next=https://evil.example/`);
    expect(opened.status).toBe(302);
    const consent = new URL(opened.location!);
    expect(`${consent.origin}${consent.pathname}`).toBe(`${oauth.issuer}/authorize`);
    expect(consent.searchParams.get('redirect_uri')).toBe(`${system.apiUrl}/oauth/callback`);
    expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
    const state = consent.searchParams.get('state')!;
    expect(opened.setCookies).toHaveLength(1);
    expect(opened.setCookies[0]).toMatchObject({ name: consentCookieName(state), httpOnly: true, sameSite: 'lax', path: '/oauth/callback' });
    expect(opened.setCookies[0]!.secure).toBeFalsy(); // the test's public URL is http
    expect(opened.setCookies[0]!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('opens once: a second opening, an unknown token and a malformed one get an HTML page saying why', async () => {
    const id = await helpdeskChannel();
    const link = await connectLink(system, id);
    // A link checker's HEAD (a chat app unfurling the link) does not use it up.
    const head = await fetch(link.url, { method: 'HEAD', redirect: 'manual' });
    expect(head.status).toBe(200);
    expect(head.headers.get('set-cookie')).toBeNull();
    expect((await new TestBrowser().get(link.url)).status).toBe(302);

    const again = await new TestBrowser().get(link.url);
    expect(again.status).toBe(410);
    expect(again.contentType).toMatch(/^text\/html/);
    expect(again.text).toContain('already used');
    expect(again.setCookies).toEqual([]);

    const unknown = await new TestBrowser().get(`${system.apiUrl}/oauth/connect/${randomBytes(32).toString('base64url')}`);
    expect(unknown.status).toBe(400);
    expect(unknown.contentType).toMatch(/^text\/html/);
    expect(unknown.text).toContain('unknown');

    const malformed = await new TestBrowser().get(`${system.apiUrl}/oauth/connect/%3Cscript%3Ealert(1)%3C%2Fscript%3E`);
    expect(malformed.status).toBe(400);
    expect(malformed.text).not.toContain('<script>');
  });

  it('tells an expired link from an unknown one', async () => {
    const id = await helpdeskChannel();
    const token = randomBytes(32).toString('base64url');
    await system.store.tokens.saveConnectLink(token, id, new Date(Date.now() - 1_000));
    const expired = await new TestBrowser().get(`${system.apiUrl}/oauth/connect/${token}`);
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('expired');
  });
});

describe('GET /oauth/callback', () => {
  it("refuses another browser's state on an HTML page; the browser that started the consent then connects", async () => {
    const name = `<b>Acme & Co</b> ${randomUUID().slice(0, 4)}`;
    const id = await helpdeskChannel(name);
    const alice = new TestBrowser();
    const mallory = new TestBrowser();
    const alicesCallback = await consentUpToCallback(system, alice, id);
    // Mallory has a consent of her own under way (a cookie of her own), and Alice's callback URL.
    await consentUpToCallback(system, mallory, id);
    expect(mallory.cookiesFor(system.apiUrl).size).toBe(1);

    for (const attempt of [() => mallory.get(alicesCallback), () => new TestBrowser().get(alicesCallback), () => mallory.get(alicesCallback, { accept: 'application/json' })]) {
      const refused = await attempt();
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('not started in this browser');
    }
    const page = await mallory.get(alicesCallback);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.text).toMatch(/^<!doctype html>/);
    expect(await authStatus(id)).toBe('authorization-required');

    // Refusing the stranger did not spend Alice's consent.
    const done = await alice.get(alicesCallback);
    expect(done.status).toBe(200);
    expect(done.contentType).toMatch(/^text\/html/);
    expect(done.text).toContain(id);
    expect(done.text).toContain('&lt;b&gt;Acme &amp; Co&lt;/b&gt;');
    expect(done.text).not.toContain('<b>Acme');
    expect(await authStatus(id)).toBe('authorized');
    // The binding is spent: the cookie is cleared, and the same URL again is refused.
    expect(alice.cookiesFor(system.apiUrl).size).toBe(0);
    const replay = await alice.get(alicesCallback);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('state: unknown, already used or expired');
  });

  it('refuses a forged cookie for the right state', async () => {
    const id = await helpdeskChannel();
    const browser = new TestBrowser();
    const callback = await consentUpToCallback(system, browser, id);
    const state = new URL(callback).searchParams.get('state')!;
    const forged = await fetch(callback, { redirect: 'manual', headers: { cookie: `${consentCookieName(state)}=${randomBytes(32).toString('base64url')}` } });
    expect(forged.status).toBe(403);
    expect((await browser.get(callback)).status).toBe(200);
  });

  it("shows the provider's refusal, escaped", async () => {
    const id = await helpdeskChannel();
    const browser = new TestBrowser();
    const callback = new URL(await consentUpToCallback(system, browser, id));
    const denied = new URL(`${system.apiUrl}/oauth/callback`);
    denied.searchParams.set('state', callback.searchParams.get('state')!);
    denied.searchParams.set('error', 'access_denied');
    denied.searchParams.set('error_description', '<img src=x onerror=alert(1)>');
    const page = await browser.get(denied.toString());
    expect(page.status).toBe(400);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.text).toContain('access_denied');
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.text).not.toContain('<img');
    expect(await authStatus(id)).toBe('authorization-required');
  });

  it('answers JSON to API clients that ask for it', async () => {
    const id = await helpdeskChannel();
    const done = await connectChannel(system, id);
    expect(done).toEqual({ status: 200, body: { channelId: id, authStatus: 'authorized' } });
    const refused = await fetch(`${system.apiUrl}/oauth/callback?state=made-up&code=x`, { headers: { accept: 'application/json' } });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/json/);
  });

  it('exchanges the code only at the authorization server the consent started with: moved since, it is refused', async () => {
    const id = await helpdeskChannel();
    const browser = new TestBrowser();
    const callback = await consentUpToCallback(system, browser, id);
    // A change that bypasses the API's binding checks (e.g. straight in the store): the pending
    // consent still names the old server, so the code is not sent to the new one.
    const channel = (await system.channels.get(id))!;
    await system.channels.update(id, { settings: { ...(channel.settings as object), authServerUrl: 'https://helpdesk.example.com/oauth' } });
    const before = (await oauth.grants()).authorization_code;
    const refused = await browser.get(callback);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('authorization server or client changed');
    expect((await oauth.grants()).authorization_code).toBe(before);
    expect(await authStatus(id)).toBe('authorization-required');
  });

  it('drops consents under way when a PATCH moves the authorization server', async () => {
    const id = await helpdeskChannel();
    const browser = new TestBrowser();
    const callback = await consentUpToCallback(system, browser, id);
    const moved = await fetch(`${system.apiUrl}/channels/${id}`, {
      method: 'PATCH',
      headers: { ...authHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({ settings: { baseUrl: oauth.resourceUrl, authServerUrl: oauth.issuer.replace('localhost', '127.0.0.1') }, credentials: { clientSecret: 'helpdesk-secret' } }),
    });
    expect(moved.status).toBe(200);
    const refused = await browser.get(callback);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('state: unknown');
  });
});

describe('an OAuth application imported from OpenAPI', () => {
  it('completes a consent and calls its API with the token', async () => {
    const document = {
      openapi: '3.0.3',
      info: { title: 'Imported helpdesk', version: '1.0.0' },
      servers: [{ url: oauth.resourceUrl }],
      components: {
        securitySchemes: {
          helpdesk: { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: `${oauth.issuer}/authorize`, tokenUrl: `${oauth.issuer}/token`, scopes: { 'tickets:read': 'read tickets' } } } },
        },
      },
      security: [{ helpdesk: ['tickets:read'] }],
      paths: { '/api/tickets': { get: { operationId: 'listTickets', responses: { '200': { description: 'tickets', content: { 'application/json': { schema: { type: 'object' } } } } } } } },
    };
    const imported = await postJson(`${system.apiUrl}/applications/import`, { name: 'imported-helpdesk', document: JSON.stringify(document) });
    expect(imported.status).toBe(201);
    const application = imported.body.application as string;
    const created = await postJson(`${system.apiUrl}/channels`, { application, name: 'Imported helpdesk', credentials: { clientId: 'imported-client', clientSecret: 'imported-secret' } });
    expect(created.status).toBe(201);
    expect(created.body.authStatus).toBe('authorization-required');

    const browser = new TestBrowser();
    const done = await browser.get(await consentUpToCallback(system, browser, created.body.id));
    expect(done.status).toBe(200);
    expect(done.text).toContain(created.body.id);
    expect(await authStatus(created.body.id)).toBe('authorized');

    const run = await postJson(`${system.apiUrl}/applications/${application}/actions/listTickets/run`, { channelId: created.body.id, input: {} });
    expect(run.status).toBe(200);
    expect(run.body.output).toEqual({ items: [{ id: 'T-1', subject: 'Printer on fire' }] });
  });
});

describe('returnTo: back to the console', () => {
  const linksOf = async (channelId: string) => (await system.store.db.selectFrom('oauth_connect_links').select('token_hash').where('channel_id', '=', channelId).execute()).length;

  it('ends a consent started with returnTo in a 303 to that console path with ?connected=<channel id>', async () => {
    const id = await helpdeskChannel();
    const browser = new TestBrowser();
    const callback = await consentUpToCallback(system, browser, id, { returnTo: `/console/channels/${id}?tab=auth` });
    const done = await browser.get(callback);
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/console/channels/${id}?tab=auth&connected=${id}`);
    expect(new URL(done.location!, callback).origin).toBe(system.apiUrl);
    expect(await authStatus(id)).toBe('authorized');
    // The binding and the state are spent as ever.
    expect(browser.cookiesFor(system.apiUrl).size).toBe(0);
    const replay = await browser.get(callback);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('state: unknown, already used or expired');
  });

  it('sends the redirect with no-store and no Referer', async () => {
    const id = await helpdeskChannel();
    const browser = new TestBrowser();
    const callback = await consentUpToCallback(system, browser, id, { returnTo: '/console/' });
    const state = new URL(callback).searchParams.get('state')!;
    const res = await fetch(callback, { redirect: 'manual', headers: { cookie: `${consentCookieName(state)}=${browser.cookiesFor(system.apiUrl).get(consentCookieName(state))}` } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/console/?connected=${id}`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('answers JSON clients as before, returnTo or not', async () => {
    const id = await helpdeskChannel();
    const browser = new TestBrowser();
    const callback = await consentUpToCallback(system, browser, id, { returnTo: '/console/channels' });
    const done = await browser.get(callback, { accept: 'application/json' });
    expect(done.status).toBe(200);
    expect(JSON.parse(done.text)).toEqual({ channelId: id, authStatus: 'authorized' });
  });

  it('puts a "Back to the console" link on the pages of refusals once the consent is known, and none without returnTo', async () => {
    const id = await helpdeskChannel();
    const returnTo = '/console/channels?tab=auth&q=a%26b';
    const back = `<a href="${returnTo.replace(/&/g, '&amp;')}">Back to the console</a>`;
    const browser = new TestBrowser();
    const callback = new URL(await consentUpToCallback(system, browser, id, { returnTo }));
    // A stranger presenting the state learns nothing of where it leads.
    const stranger = await new TestBrowser().get(callback.toString());
    expect(stranger.status).toBe(403);
    expect(stranger.text).not.toContain('<a ');

    const denied = new URL(`${system.apiUrl}/oauth/callback`);
    denied.searchParams.set('state', callback.searchParams.get('state')!);
    denied.searchParams.set('error', 'access_denied');
    const page = await browser.get(denied.toString());
    expect(page.status).toBe(400);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.text).toContain('access_denied');
    expect(page.text).toContain(back);
    expect(await authStatus(id)).toBe('authorization-required');

    // A used connect link made from the console leads back there too.
    const link = await connectLink(system, id, { returnTo });
    expect((await new TestBrowser().get(link.url)).status).toBe(302);
    const again = await new TestBrowser().get(link.url);
    expect(again.status).toBe(410);
    expect(again.text).toContain(back);

    // Without returnTo, the pages are as they were: no link.
    const plain = await connectLink(system, id);
    await new TestBrowser().get(plain.url);
    const plainAgain = await new TestBrowser().get(plain.url);
    expect(plainAgain.status).toBe(410);
    expect(plainAgain.text).not.toContain('<a ');
    const plainBrowser = new TestBrowser();
    const plainCallback = new URL(await consentUpToCallback(system, plainBrowser, id));
    const plainDenied = await plainBrowser.get(`${system.apiUrl}/oauth/callback?state=${encodeURIComponent(plainCallback.searchParams.get('state')!)}&error=access_denied`);
    expect(plainDenied.status).toBe(400);
    expect(plainDenied.text).not.toContain('<a ');
  });

  it('refuses a returnTo that could lead anywhere but a console path with 400 naming it, and makes no link', async () => {
    const id = await helpdeskChannel();
    const attempts: unknown[] = [
      'https://evil.example/console/',
      '//evil.example/console/',
      '/\\evil.example/console/',
      '/console/\\..\\admin',
      'javascript:alert(1)',
      '/console/../admin',
      '/console/..;/admin',
      '/console/%2e%2e/admin',
      '/console//evil.example',
      '/console/\t/evil.example',
      '/console/x\r\nSet-Cookie: a=b',
      '/console/\u0000',
      '/console/x#https://evil.example',
      '/console',
      '/admin',
      '',
      42,
      null,
    ];
    const wrong: string[] = [];
    for (const returnTo of attempts) {
      const res = await postJson(`${system.apiUrl}/channels/${id}/oauth/connect`, { returnTo });
      if (res.status !== 400 || !String(res.body.message).startsWith('returnTo: ') || res.body.issues?.[0]?.field !== 'returnTo')
        wrong.push(`${JSON.stringify(returnTo)} → ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(wrong).toEqual([]);
    const other = await postJson(`${system.apiUrl}/channels/${id}/oauth/connect`, { returnTo: '/console/', next: 'https://evil.example' });
    expect(other.status).toBe(400);
    expect(await linksOf(id)).toBe(0);
    // No body, or an empty one, is the route as it always was.
    expect((await connectLink(system, id)).status).toBe(201);
    expect((await postJson(`${system.apiUrl}/channels/${id}/oauth/connect`, {})).status).toBe(201);
    expect(await linksOf(id)).toBe(2);
  });
});
