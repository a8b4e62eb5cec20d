/**
 * The hubspot application through the real API, worker and Temporal, against a loopback HubSpot
 * (fake-hubspot.ts) that checks every request against @hubspot/api-client's generated operations
 * and models: channels by private-app token and by OAuth, every connector run as a flow runs it,
 * HubSpot's paging, errors and rate limits, v3-signed webhook batches signed by the SDK, a small
 * flow that reads and pages, and the fake itself read by HubSpot's own SDK.
 */
import { randomUUID } from 'node:crypto';
import { AssociationTypes, Client } from '@hubspot/api-client';
import { z } from 'zod';
import { hubspot as hubspotApp } from '../../../connectors/hubspot/application';
import hubspotIntegration from '../../../connectors/hubspot';
import { NOTE_TO_DEAL } from '../../../connectors/hubspot/create-deal-note';
import { getContact } from '../../../connectors/hubspot/get-contact';
import { listContacts } from '../../../connectors/hubspot/list-contacts';
import { searchContacts } from '../../../connectors/hubspot/search-contacts';
import { executeConnector } from '../../../connectors/framework/execute';
import { NonRetryableConnectorError, RateLimitedConnectorError, RetryableConnectorError, type ConnectorError } from '../../../connectors/framework/errors';
import { defineFlows, flow, webhook } from '../../../workflows/framework/flow';
import { connectChannel } from '../../support/browser';
import { getJson, postJson, startTestSystem, type TestSystem, actionRunner } from '../../support/system';
import { startTestWorker, type TestWorker } from '../../support/test-worker';
import { hubspotEvent, signV3 } from './events';
import { hubspotError, rateLimitAnswer, startFakeHubSpot, type FakeHubSpot, type InjectedAnswer } from './fake-hubspot';
import { readChangedContacts } from './workflows';

const WEBHOOK_SECRET = `hubspot-client-secret-${randomUUID()}`;
const ContactEvents = z
  .array(z.looseObject({ eventId: z.number().int(), subscriptionType: z.string(), objectId: z.number().int(), occurredAt: z.number().int() }))
  .min(1)
  .max(100);
const flows = defineFlows([
  flow(readChangedContacts, {
    application: hubspotApp,
    description: 'test: contact events read back, changes paged',
    trigger: webhook({ path: 'hubspot/events', body: ContactEvents, example: [{ ...hubspotEvent({ eventId: 1 }) }] }),
  }),
]);

let system: TestSystem;
let fake: FakeHubSpot;
let worker: TestWorker | undefined;
let channelId: string;
const taskQueue = `hubspot-flows-${randomUUID()}`;

beforeAll(async () => {
  [system, fake] = await Promise.all([startTestSystem({ flows }), startFakeHubSpot()]);
  worker = await startTestWorker(system, { taskQueue, workflowsPath: require.resolve('./workflows') });
  fake.customProperties.deals.add('stripe_invoice_id');
  const created = await postJson(`${system.apiUrl}/channels`, {
    application: 'hubspot',
    name: `HubSpot ${randomUUID().slice(0, 4)}`,
    settings: { baseUrl: fake.url, appUrl: fake.url },
    credentials: { accessToken: fake.token, webhookSecret: WEBHOOK_SECRET },
  });
  expect(created.status).toBe(201);
  channelId = created.body.id;
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all([system?.stop(), fake?.close()]);
});
afterEach(() => {
  // A request HubSpot's SDK models say HubSpot would refuse fails the test that sent it.
  expect(fake.violations).toEqual([]);
  fake.violations.length = 0;
});

const run = actionRunner(
  () => system,
  'hubspot',
  () => channelId,
);
const channel = (baseUrl = fake.url) => ({ id: 'ch_hubspot_unit', settings: { baseUrl, appUrl: baseUrl }, credentials: { accessToken: fake.token } });
const lastRequest = (path: string) => [...fake.requests].reverse().find((r) => r.path === path)!;

describe('the hubspot application through the API', () => {
  it('is listed with its connectors and its ways in: a private-app token or OAuth', async () => {
    const apps = (await getJson(`${system.apiUrl}/applications`)).body as Array<{ name: string }>;
    expect(apps.find((a) => a.name === 'hubspot')).toMatchObject({ auth: { kind: 'one-of', methods: [{ kind: 'bearer' }, { kind: 'oauth2-authorization-code' }] } });
    expect(Object.keys(hubspotIntegration.connectors).sort()).toEqual([
      'createContact',
      'createDealNote',
      'getContact',
      'getDeal',
      'listContacts',
      'searchContacts',
      'searchDeals',
      'updateContact',
      'updateDeal',
    ]);
    const detail = await getJson(`${system.apiUrl}/applications/hubspot`);
    expect(detail.status).toBe(200);
    const actions = detail.body.actions as Array<{ name: string; inputSchema: { properties: Record<string, unknown> }; outputSchema: unknown }>;
    expect(actions.map((a) => a.name).sort()).toEqual(Object.keys(hubspotIntegration.connectors).sort());
    expect(actions.find((a) => a.name === 'updateDeal')!.inputSchema.properties).toHaveProperty('dealstage');
    const view = (await getJson(`${system.apiUrl}/channels/${channelId}`)).body;
    expect(view.credentials).toEqual({ accessToken: '********', webhookSecret: '********' });
    expect(view.authStatus).toBe('configured');
  });

  it.each([
    ['baseUrl', 'https://api.hubapi.com.evil.example'],
    ['baseUrl', 'http://api.hubapi.com'],
    ['baseUrl', 'https://api.hubapi.com:8443'],
    ['appUrl', 'https://app.hubspot.com.evil.example'],
  ])('refuses %s %s, off the pinned hosts, naming the setting', async (setting, value) => {
    const res = await postJson(`${system.apiUrl}/channels`, {
      application: 'hubspot',
      name: 'elsewhere',
      settings: { baseUrl: fake.url, appUrl: fake.url, [setting]: value },
      credentials: { accessToken: fake.token },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(`settings.${setting}`);
  });

  it('refuses a token beside an OAuth client, or half a client, naming the field', async () => {
    const create = (credentials: Record<string, string>) => postJson(`${system.apiUrl}/channels`, { application: 'hubspot', name: 'mixed', settings: { baseUrl: fake.url }, credentials });
    expect((await create({ accessToken: fake.token, clientId: 'c', clientSecret: 's' })).body.issues).toEqual([expect.objectContaining({ field: 'credentials.accessToken' })]);
    expect((await create({ clientId: 'c' })).body.issues).toEqual([expect.objectContaining({ field: 'credentials.clientSecret' })]);
    expect((await create({})).body.issues).toEqual([expect.objectContaining({ field: 'credentials.accessToken' })]);
  });

  it('refuses bad input before a run, naming the field', async () => {
    for (const [action, input, field] of [
      ['getDeal', { dealId: '../../crm/v3/objects/contacts' }, 'input.dealId'],
      ['getContact', { contactId: 'ada@example.com' }, 'input.contactId'],
      ['getContact', { contactId: '..', idProperty: 'email' }, 'input.contactId'],
      ['updateDeal', { dealId: '1' }, 'input.dealstage'],
      ['searchContacts', { limit: 201 }, 'input.limit'],
      ['createContact', { properties: { 'first name': 'x' } }, 'input.properties'],
    ] as const) {
      const res = await run(action, input);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.issues)).toContain(field);
    }
  });

  it('creates, reads (by id and by email), updates and lists contacts through Temporal, with the bearer token', async () => {
    const created = await run('createContact', { properties: { email: 'ada@example.com', firstname: 'Ada', lastname: 'Lovelace' } });
    expect(created.status).toBe(200);
    const id = created.body.output.id as string;
    expect(created.body.output.properties).toMatchObject({ email: 'ada@example.com', firstname: 'Ada' });
    expect(lastRequest('/crm/v3/objects/contacts').headers.authorization).toBe(`Bearer ${fake.token}`);

    expect((await run('getContact', { contactId: id, properties: ['email', 'lastname'] })).body.output.properties).toEqual({ email: 'ada@example.com', lastname: 'Lovelace' });
    expect(lastRequest(`/crm/v3/objects/contacts/${id}`).query.getAll('properties')).toEqual(['email', 'lastname']);
    expect((await run('getContact', { contactId: 'ADA@example.com', idProperty: 'email' })).body.output.id).toBe(id);

    const updated = await run('updateContact', { contactId: id, properties: { lifecyclestage: 'customer', phone: 4930123 } });
    expect(updated.body.output.properties).toMatchObject({ lifecyclestage: 'customer', phone: '4930123' });
    expect(lastRequest(`/crm/v3/objects/contacts/${id}`).body).toEqual({ properties: { lifecyclestage: 'customer', phone: '4930123' } });

    const page = await run('listContacts', { limit: 100, properties: ['email'] });
    expect(page.body.output.results.map((c: { id: string }) => c.id)).toContain(id);
  });

  it("answers HubSpot's 409 for an e-mail it has, and its VALIDATION_ERROR for an unknown property, at once and naming them", async () => {
    await run('createContact', { properties: { email: 'twice@example.com' } });
    const before = fake.requests.length;
    const again = await run('createContact', { properties: { email: 'twice@example.com' } });
    expect(again.status).toBe(502);
    expect(again.body).toMatchObject({ type: 'HubSpotConflict', message: expect.stringMatching(/HTTP 409 CONFLICT: Contact already exists\. Existing ID: \d+ \[[0-9a-f-]{36}\]/) });
    const unknown = await run('createContact', { properties: { favourite_colour: 'blue' } });
    expect(unknown.body).toMatchObject({ type: 'HubSpotValidationError', message: expect.stringContaining('PROPERTY_DOESNT_EXIST') });
    expect(fake.requests.length - before).toBe(2);
  });

  it('searches deals by a property, moves one to a stage of its pipeline and notes it (association 214), refusing a stage of none', async () => {
    const deal = fake.seed('deals', { dealname: 'Annual plan', amount: '1200', dealstage: 'contractsent', stripe_invoice_id: 'in_1Search' });
    fake.seed('deals', { dealname: 'Other', dealstage: 'contractsent' });
    const found = await run('searchDeals', { filters: [{ propertyName: 'stripe_invoice_id', operator: 'EQ', value: 'in_1Search' }], properties: ['dealname', 'dealstage'] });
    expect(found.body.output).toMatchObject({ total: 1, results: [{ id: deal.id, properties: { dealname: 'Annual plan', dealstage: 'contractsent' } }] });

    const moved = await run('updateDeal', { dealId: deal.id, dealstage: 'closedwon' });
    expect(moved.body.output.properties).toMatchObject({ dealstage: 'closedwon' });
    expect((await run('getDeal', { dealId: deal.id, properties: ['dealstage', 'amount'] })).body.output.properties).toEqual({ dealstage: 'closedwon', amount: '1200' });

    const note = await run('createDealNote', { dealId: deal.id, body: 'Paid in full', timestamp: '2026-12-01T10:00:00Z' });
    expect(note.status).toBe(200);
    expect(lastRequest('/crm/v3/objects/notes').body).toEqual({
      properties: { hs_note_body: 'Paid in full', hs_timestamp: '2026-12-01T10:00:00.000Z' },
      associations: [{ to: { id: deal.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 214 }] }],
    });
    expect(NOTE_TO_DEAL).toBe(AssociationTypes.noteToDeal);
    expect(fake.notesOf(deal.id).map((n) => n.properties.hs_note_body)).toEqual(['Paid in full']);

    const wrong = await run('updateDeal', { dealId: deal.id, dealstage: 'paid' });
    expect(wrong.body).toMatchObject({ type: 'HubSpotValidationError', message: expect.stringContaining('dealstage') });
    const missing = await run('getDeal', { dealId: '999999' });
    expect(missing.body).toMatchObject({ type: 'HubSpotObjectNotFound' });
  });
});

describe('paging by paging.next.after', () => {
  it('searches contacts changed since a time, oldest change first, page by page (lastmodifieddate GTE in epoch ms, sorted ascending)', async () => {
    const since = Date.now() - 60_000;
    fake.seed('contacts', { email: 'stale@example.com' }, { ageMs: 120_000 });
    const seeded = [40_000, 30_000, 20_000, 10_000, 5_000].map((age, i) => fake.seed('contacts', { email: `changed${i}@example.com` }, { ageMs: age }));
    fake.touch('contacts', seeded[0]!.id, { firstname: 'Last to change' });
    const input: unknown = { modifiedSince: new Date(since).toISOString(), properties: ['email'], limit: 2 };
    const seen: string[] = [];
    let next: unknown = input;
    for (let pages = 0; next && pages < 10; pages += 1) {
      const output = (await executeConnector(searchContacts, channel(), next)) as z.output<typeof searchContacts.output>;
      seen.push(...output.results.map((c) => c.properties.email!));
      next = searchContacts.paginator!.next({ input: next as never, output, response: undefined as never })?.input;
    }
    const changedSince = [...fake.records.contacts.values()].filter((c) => Date.parse(c.properties.lastmodifieddate!) >= since && !c.archived);
    expect(seen).toEqual(changedSince.sort((a, b) => Date.parse(a.properties.lastmodifieddate!) - Date.parse(b.properties.lastmodifieddate!)).map((c) => c.properties.email));
    expect(seen.at(-1)).toBe('changed0@example.com');
    const sent = fake.requests.filter((r) => r.path === '/crm/v3/objects/contacts/search').at(-1)!;
    expect(sent.body).toMatchObject({
      filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: String(since) }] }],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['email', 'lastmodifieddate'],
      limit: 2,
      after: expect.stringMatching(/^\d+$/),
    });
  });

  it('lists the archived (deleted) contacts page by page, with archivedAt', async () => {
    const gone = [fake.seed('contacts', { email: 'gone1@example.com' }, { archived: true }), fake.seed('contacts', { email: 'gone2@example.com' }, { archived: true })];
    const ids: string[] = [];
    let next: unknown = { archived: true, limit: 1 };
    while (next) {
      const output = (await executeConnector(listContacts, channel(), next)) as z.output<typeof listContacts.output>;
      for (const c of output.results) expect(c).toMatchObject({ archived: true, archivedAt: expect.any(String) });
      ids.push(...output.results.map((c) => c.id));
      next = listContacts.paginator!.next({ input: next as never, output, response: undefined as never })?.input;
    }
    expect(ids).toEqual(expect.arrayContaining(gone.map((c) => c.id)));
    expect(fake.requests.filter((r) => r.path === '/crm/v3/objects/contacts' && r.query.get('archived') === 'true' && r.query.has('after')).length).toBeGreaterThan(0);
  });
});

describe("HubSpot's errors and rate limits", () => {
  const failing = async (answer: InjectedAnswer): Promise<ConnectorError> => {
    const contactId = String(Math.floor(Math.random() * 1e9));
    fake.failNext('GET', `/crm/v3/objects/contacts/${contactId}`, answer);
    return executeConnector(getContact, channel(), { contactId }).then(
      () => Promise.reject(new Error('expected a failure')),
      (err: ConnectorError) => err,
    );
  };

  it.each([
    ['VALIDATION_ERROR (400)', hubspotError(400, 'VALIDATION_ERROR', 'Property values were not valid'), NonRetryableConnectorError, 'HubSpotValidationError'],
    ['OBJECT_NOT_FOUND (404)', hubspotError(404, 'OBJECT_NOT_FOUND', 'Object not found.'), NonRetryableConnectorError, 'HubSpotObjectNotFound'],
    [
      'MISSING_SCOPES (403)',
      hubspotError(403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes", { subCategory: 'crm.MISSING_SCOPES' }),
      NonRetryableConnectorError,
      'HubSpotMissingScopes',
    ],
    ['INVALID_AUTHENTICATION (401)', hubspotError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found.'), NonRetryableConnectorError, 'HubSpotInvalidAuthentication'],
    ['a 502 (a timeout inside HubSpot)', hubspotError(502, 'INTERNAL_ERROR', 'Bad Gateway'), RetryableConnectorError, 'HubSpotInternalError'],
    ['a 503 without a body', { status: 503, body: '' }, RetryableConnectorError, 'HttpStatus503'],
  ])('%s', async (_name, answer, kind, reason) => {
    const err = await failing(answer as InjectedAnswer);
    expect(err).toBeInstanceOf(kind);
    expect(err.reason).toBe(reason);
    expect(err.message).toMatch(/^hubspot\.getContact: HTTP \d{3}/);
  });

  it.each([
    [
      'TEN_SECONDLY_ROLLING waits one window, as X-HubSpot-RateLimit-Interval-Milliseconds says',
      rateLimitAnswer('TEN_SECONDLY_ROLLING', { 'x-hubspot-ratelimit-interval-milliseconds': '10000', 'x-hubspot-ratelimit-remaining': '0' }),
      10_000,
    ],
    ['SECONDLY (the search limit) waits a second', rateLimitAnswer('SECONDLY'), 1_000],
    ['DAILY waits an hour', rateLimitAnswer('DAILY'), 3_600_000],
    ['Retry-After wins', rateLimitAnswer('TEN_SECONDLY_ROLLING', { 'retry-after': '3' }), 3_000],
    ['a 423 (a locked record) waits 2 s', hubspotError(423, 'LOCKED', 'The object is locked'), 2_000],
  ])('a 429 %s', async (_name, answer, wait) => {
    const err = await failing(answer);
    expect(err).toBeInstanceOf(RateLimitedConnectorError);
    expect((err as RateLimitedConnectorError).retryAfterMs).toBe(wait);
  });

  it('the fake answers 429 TEN_SECONDLY_ROLLING after 100 requests in 10 s of one account, with the limit headers', async () => {
    const own = await startFakeHubSpot();
    try {
      const get = () => fetch(`${own.url}/crm/v3/objects/contacts?limit=1`, { headers: { authorization: `Bearer ${own.token}` } });
      const answers = [];
      for (let i = 0; i < 101; i += 1) answers.push(await get());
      expect(answers.slice(0, 100).every((a) => a.status === 200)).toBe(true);
      expect(answers[0]!.headers.get('x-hubspot-ratelimit-max')).toBe('100');
      expect(answers[99]!.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
      expect(answers[100]!.status).toBe(429);
      expect(await answers[100]!.json()).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
      expect(own.violations).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('a run that meets the limit waits as HubSpot says and then succeeds, through Temporal', async () => {
    const small = await startFakeHubSpot({ rateLimit: { max: 2, intervalMs: 1_000 } });
    try {
      const contact = small.seed('contacts', { email: 'limited@example.com' });
      const created = await postJson(`${system.apiUrl}/channels`, { application: 'hubspot', name: 'limited', settings: { baseUrl: small.url }, credentials: { accessToken: small.token } });
      const runs = await Promise.all([1, 2, 3, 4, 5].map(() => run('getContact', { contactId: contact.id }, created.body.id)));
      expect(runs.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      const gets = small.requests.filter((r) => r.path === `/crm/v3/objects/contacts/${contact.id}`).length;
      expect(gets).toBeGreaterThan(5);
      expect(small.violations).toEqual([]);
    } finally {
      await small.close();
    }
  });
});

describe('HubSpot OAuth (a public app)', () => {
  const oauthChannel = (clientSecret = fake.oauth.app.clientSecret) =>
    postJson(`${system.apiUrl}/channels`, {
      application: 'hubspot',
      name: `HubSpot OAuth ${randomUUID().slice(0, 4)}`,
      settings: { baseUrl: fake.url, appUrl: fake.url },
      credentials: { clientId: fake.oauth.app.clientId, clientSecret },
    });

  it("connects through HubSpot's consent (oauth and CRM scopes, PKCE), calls with its token and refreshes it when HubSpot stops taking it", async () => {
    const created = await oauthChannel();
    expect(created).toMatchObject({ status: 201, body: { authStatus: 'authorization-required' } });
    expect(await connectChannel(system, created.body.id)).toMatchObject({ status: 200, body: { authStatus: 'authorized' } });
    expect(fake.oauth.lastScopes).toEqual(['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.deals.read', 'crm.objects.deals.write']);
    expect(fake.oauth.lastTokenRequest).toBeDefined();
    expect(Object.fromEntries(fake.oauth.lastTokenRequest!)).toMatchObject({
      grant_type: 'authorization_code',
      client_id: fake.oauth.app.clientId,
      client_secret: fake.oauth.app.clientSecret,
      code_verifier: expect.any(String),
    });

    const contact = fake.seed('contacts', { email: 'oauth@example.com' });
    expect((await run('getContact', { contactId: contact.id }, created.body.id)).body.output.id).toBe(contact.id);
    const token = String(lastRequest(`/crm/v3/objects/contacts/${contact.id}`).headers.authorization);
    expect(token).toMatch(/^Bearer CO/);

    fake.revoke(token.slice('Bearer '.length));
    const refreshes = fake.oauth.refreshes;
    expect((await run('getContact', { contactId: contact.id }, created.body.id)).body.output.id).toBe(contact.id);
    expect(fake.oauth.refreshes).toBe(refreshes + 1);
    expect(lastRequest(`/crm/v3/objects/contacts/${contact.id}`).headers.authorization).not.toBe(token);
  });

  it('asks for consent again when HubSpot no longer honours the refresh token (BAD_REFRESH_TOKEN is invalid_grant)', async () => {
    const created = await oauthChannel();
    await connectChannel(system, created.body.id);
    const contact = fake.seed('contacts', { email: 'revoked@example.com' });
    expect((await run('getContact', { contactId: contact.id }, created.body.id)).status).toBe(200);
    fake.revoke(String(lastRequest(`/crm/v3/objects/contacts/${contact.id}`).headers.authorization).slice('Bearer '.length));
    fake.oauth.refreshTokens.clear();
    const refused = await run('getContact', { contactId: contact.id }, created.body.id);
    expect(refused.body).toMatchObject({ type: 'ReauthorizationRequired', message: expect.stringContaining('BAD_REFRESH_TOKEN') });
    expect((await getJson(`${system.apiUrl}/channels/${created.body.id}`)).body.authStatus).toBe('reauthorization-required');
  });

  it("refuses the consent when HubSpot refuses the exchange, naming HubSpot's status", async () => {
    const created = await oauthChannel('not-the-secret');
    const connected = await connectChannel(system, created.body.id);
    expect(connected.status).toBe(400);
    expect(JSON.stringify(connected.body)).toContain('BAD_CLIENT_SECRET');
    expect((await getJson(`${system.apiUrl}/channels/${created.body.id}`)).body.authStatus).toBe('authorization-required');
  });
});

describe('HubSpot webhooks (v3 signature, a batch of events per request)', () => {
  const url = (channel = channelId) => `${system.apiUrl}/webhooks/hubspot/events/${channel}`;
  const deliver = (raw: string, headers: Record<string, string>, channel = channelId) =>
    fetch(url(channel), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  const accepted = async (res: Response) => {
    expect(res.status).toBe(202);
    return (await res.json()) as { workflowId: string; deliveryId: string; duplicate?: boolean };
  };
  // The flow runs on the test's own worker (last test): a run the API started only shows what reached Temporal.
  const terminate = (workflowId: string) =>
    system.client.workflow
      .getHandle(workflowId)
      .terminate('test: the flow runs on the test worker')
      .catch(() => undefined);

  it("is shown by GET /flows as signed with hubspot-v3, deduped by the events' ids", async () => {
    const flowsView = (await getJson(`${system.apiUrl}/flows`)).body as Array<{ name: string; trigger: Record<string, unknown> }>;
    expect(flowsView.find((f) => f.name === 'readChangedContacts')!.trigger).toMatchObject({
      signature: { scheme: 'hubspot-v3', header: 'x-hubspot-signature-v3' },
      deliveryId: { source: 'signed-event-ids', field: 'eventId' },
    });
  });

  it("accepts one event signed by HubSpot's SDK with its eventId as delivery id; HubSpot's retry (attemptNumber 1, signed anew) is the same delivery", async () => {
    const event = hubspotEvent({ objectId: 51 });
    const raw = JSON.stringify([event]);
    const first = await accepted(await deliver(raw, signV3(WEBHOOK_SECRET, 'POST', url(), raw)));
    expect(first.deliveryId).toBe(String(event.eventId));
    expect(first.workflowId).toBe(`readChangedContacts/${channelId}/${event.eventId}`);
    const history = await system.client.workflow.getHandle(first.workflowId).fetchHistory();
    expect(JSON.stringify(history.events![0])).toContain(String(event.eventId));

    const retry = JSON.stringify([{ ...event, attemptNumber: 1 }]);
    const again = await accepted(await deliver(retry, signV3(WEBHOOK_SECRET, 'POST', url(), retry, Date.now() + 1_000)));
    expect(again).toMatchObject({ duplicate: true, workflowId: first.workflowId });
    await terminate(first.workflowId);
  });

  it("accepts a batch as one delivery, whose id is made of its events' ids", async () => {
    const raw = JSON.stringify([hubspotEvent(), hubspotEvent({ subscriptionType: 'contact.creation', propertyName: undefined, propertyValue: undefined })]);
    const batch = await accepted(await deliver(raw, signV3(WEBHOOK_SECRET, 'POST', url(), raw)));
    await terminate(batch.workflowId);
    expect(batch.deliveryId).toMatch(/^events-[0-9a-f]{32}$/);
  });

  it.each([
    ['another secret', (raw: string) => signV3('another-secret', 'POST', url(), raw)],
    ['a timestamp older than 5 minutes', (raw: string) => signV3(WEBHOOK_SECRET, 'POST', url(), raw, Date.now() - 6 * 60_000)],
    ["another channel's URL (a delivery replayed here)", (raw: string) => signV3(WEBHOOK_SECRET, 'POST', url('ch_elsewhere'), raw)],
    ['only the v1 signature', () => ({ 'x-hubspot-signature': 'a'.repeat(64), 'x-hubspot-signature-version': 'v1' })],
  ])('refuses a request signed with %s (401), starting nothing', async (_name, sign) => {
    const raw = JSON.stringify([hubspotEvent()]);
    const res = await deliver(raw, sign(raw));
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/x-hubspot/i);
  });

  it("verifies an OAuth channel's deliveries with its client secret when no webhookSecret is given", async () => {
    const created = await postJson(`${system.apiUrl}/channels`, {
      application: 'hubspot',
      name: `HubSpot OAuth hooks ${randomUUID().slice(0, 4)}`,
      settings: { baseUrl: fake.url, appUrl: fake.url },
      credentials: { clientId: fake.oauth.app.clientId, clientSecret: fake.oauth.app.clientSecret },
    });
    const raw = JSON.stringify([hubspotEvent()]);
    const res = await accepted(await deliver(raw, signV3(fake.oauth.app.clientSecret, 'POST', url(created.body.id), raw), created.body.id));
    await terminate(res.workflowId);
  });

  it('runs the flow for a batch: reads each contact, then pages the changes and the archived contacts', async () => {
    const since = Date.now() - 1_000;
    const contacts = ['one', 'two', 'three'].map((name) => fake.seed('contacts', { email: `${name}@flow.example.com` }));
    const gone = fake.seed('contacts', { email: 'gone@flow.example.com' }, { archived: true });
    const body = contacts.slice(0, 2).map((c) => hubspotEvent({ objectId: Number(c.id), occurredAt: since }));
    const result = await system.client.workflow.execute(readChangedContacts, {
      taskQueue,
      workflowId: `readChangedContacts/${channelId}/${randomUUID()}`,
      args: [{ channelId, deliveryId: 'd-1', body }],
    });
    expect(result.emails).toEqual(['one@flow.example.com', 'two@flow.example.com']);
    const changed = [...fake.records.contacts.values()].filter((c) => !c.archived && Date.parse(c.properties.lastmodifieddate!) >= since);
    expect(result.changed).toEqual(changed.map((c) => c.properties.email));
    expect(result.pages).toBe(Math.ceil(changed.length / 2));
    expect(result.archived).toContain(gone.id);
  });
});

describe("the fake, as HubSpot's own SDK sees it", () => {
  const sdk = () => new Client({ accessToken: fake.token, basePath: fake.url, numberOfApiCallRetries: 0 });

  it("pages contacts, searches with a sort, and reads its answers as HubSpot's", async () => {
    const all = await sdk().crm.contacts.getAll(3, undefined, ['email']);
    expect(all.map((c) => c.id).sort()).toEqual(
      [...fake.records.contacts.values()]
        .filter((c) => !c.archived)
        .map((c) => c.id)
        .sort(),
    );
    expect(all[0]!.createdAt).toBeInstanceOf(Date);
    const found = await sdk().crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ' as never, value: 'ada@example.com' }] }],
      limit: 5,
      properties: ['email'],
    });
    expect(found.total).toBe(1);
    expect(fake.violations).toEqual([]);
  });

  it("answers errors the SDK reads as HubSpot's", async () => {
    await expect(sdk().crm.deals.basicApi.getById('424242')).rejects.toMatchObject({ code: 404, body: { category: 'OBJECT_NOT_FOUND', correlationId: expect.any(String) } });
  });
});
