/**
 * The shopify application through the real system: channels created through the API (an Admin API
 * token, an OAuth install on the shop's host), actions run through Temporal against the loopback
 * shop, a 429 waited out as Shopify's Retry-After asks, one webhook subscribed per webhook flow
 * and topic when a channel is enabled (and removed when it is disabled), Shopify's sample payloads
 * signed with @shopify/shopify-api's own HMAC code and cross-checked with its webhook validation,
 * and the order-to-row flow run through Temporal.
 */
import { randomUUID } from 'node:crypto';
import { ApiVersion, createSHA256HMAC, HashFormat, LogSeverity, shopifyApi } from './shopify-sdk';
import { ShopifyOrder as Order } from '../../../connectors/shopify';
import { shopify, SHOPIFY_API_VERSION, SHOPIFY_SCOPES } from '../../../connectors/shopify/application';
import { Product } from '../../../connectors/shopify/schemas';
import { defineFlows, flow, webhook } from '../../../workflows/framework/flow';
import { connectChannel } from '../../support/browser';
import { authHeaders, getJson, postJson, startTestSystem, type TestSystem, actionRunner } from '../../support/system';
import { startTestWorker, type TestWorker } from '../../support/test-worker';
import { exampleRow, exampleText, startFakeShopify, type FakeShopify } from './fake-shopify';
import { shopifyOrderRow, shopifyProductSeen } from './workflows';

const flows = defineFlows([
  flow(shopifyOrderRow, {
    application: shopify,
    description: 'test: an order created becomes a row',
    trigger: webhook({ path: 'shopify/orders/create', body: Order, example: exampleRow('orders-create'), deliveryIdHeader: 'x-shopify-webhook-id' }),
  }),
  flow(shopifyProductSeen, {
    application: shopify,
    description: 'test: a second topic',
    trigger: webhook({ path: 'shopify/products/create', body: Product, example: exampleRow('products-create'), deliveryIdHeader: 'x-shopify-webhook-id' }),
  }),
]);

let system: TestSystem;
let fake: FakeShopify;
let worker: TestWorker | undefined;
let channelId: string;
/** A custom app's API secret key: Shopify signs its webhooks with it. */
const WEBHOOK_SECRET = `shpss_${randomUUID().replace(/-/g, '')}`;
const taskQueue = `shopify-flows-${randomUUID()}`;
const token = () => [...fake.tokens][0]!;

beforeAll(async () => {
  [system, fake] = await Promise.all([startTestSystem({ flows }), startFakeShopify({ apiVersion: SHOPIFY_API_VERSION })]);
  worker = await startTestWorker(system, { taskQueue, workflowsPath: require.resolve('./workflows') });
  const created = await postJson(`${system.apiUrl}/channels`, {
    application: 'shopify',
    name: `Shop ${randomUUID().slice(0, 4)}`,
    settings: { shop: fake.shop, baseUrl: fake.url },
    credentials: { accessToken: token(), webhookSecret: WEBHOOK_SECRET },
  });
  expect(created.status).toBe(201);
  channelId = created.body.id;
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all([system?.stop(), fake?.close()]);
});
afterEach(() => {
  expect(fake.violations).toEqual([]);
  fake.violations.length = 0;
});

const run = actionRunner(
  () => system,
  'shopify',
  () => channelId,
);
/** Shopify's signature, by Shopify's library: base64 HMAC-SHA256 of the raw body with the app's secret. */
const sign = (body: string, secret = WEBHOOK_SECRET) => createSHA256HMAC(secret, body, HashFormat.Base64);
/** The headers Shopify sends with a delivery; only the HMAC is signed (of the body). */
const headersFor = (topic: string, hmac: string, webhookId: string = randomUUID()) => ({
  'content-type': 'application/json',
  'x-shopify-topic': topic,
  'x-shopify-hmac-sha256': hmac,
  'x-shopify-shop-domain': `${fake.shop}.myshopify.com`,
  'x-shopify-api-version': SHOPIFY_API_VERSION,
  'x-shopify-webhook-id': webhookId,
  'x-shopify-event-id': randomUUID(),
  'x-shopify-triggered-at': new Date().toISOString(),
});
const deliver = (path: string, body: string, headers: Record<string, string>, channel = channelId) => fetch(`${system.apiUrl}/webhooks/${path}/${channel}`, { method: 'POST', headers, body });
/** Deliveries start runs on the engine's queue, where these test flows are not bundled. */
const terminate = (workflowId: string) =>
  system.client.workflow
    .getHandle(workflowId)
    .terminate('test: the flow runs on the test worker')
    .catch(() => undefined);
/** The input a delivery started its run with, from the run's history. */
const startedInput = async (workflowId: string): Promise<unknown> => {
  const history = await system.client.workflow.getHandle(workflowId).fetchHistory();
  return JSON.parse(Buffer.from(history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!.data!).toString('utf8'));
};
const subscriptionsOf = (channel: string) => [...fake.webhooks.values()].filter((w) => String(w.address).endsWith(`/${channel}`));

describe('the shopify application through the API', () => {
  it('is listed with its ways in, settings and masked credentials', async () => {
    const apps = (await getJson(`${system.apiUrl}/applications`)).body as Array<{ name: string }>;
    expect(apps.find((a) => a.name === 'shopify')).toMatchObject({ auth: { kind: 'one-of', methods: [{ kind: 'api-key' }, { kind: 'oauth2-authorization-code' }] } });
    const app = (await getJson(`${system.apiUrl}/applications/shopify`)).body as { actions: Array<{ name: string; outputSchema: { items?: { properties: Record<string, unknown> } } }> };
    expect(app.actions.map((a) => a.name)).toEqual(['listOrders', 'getOrder', 'listProducts', 'listCustomers', 'createWebhook', 'deleteWebhook']);
    expect(app.actions[0]!.outputSchema.items!.properties.id).toMatchObject({ type: 'string' });
    const channel = (await getJson(`${system.apiUrl}/channels/${channelId}`)).body;
    expect(channel.credentials).toEqual({ accessToken: '********', webhookSecret: '********' });
    expect(channel.settings).toEqual({ shop: fake.shop, baseUrl: fake.url, apiVersion: SHOPIFY_API_VERSION });
  });

  it('refuses a shop that is not one label, and a base URL off the pinned hosts, naming the field', async () => {
    const create = (settings: Record<string, unknown>) => postJson(`${system.apiUrl}/channels`, { application: 'shopify', name: 'bad', settings, credentials: { accessToken: token() } });
    const evil = await create({ shop: 'evil.com#' });
    expect(evil.status).toBe(400);
    expect(evil.body.issues).toEqual([expect.objectContaining({ field: 'settings.shop' })]);
    const off = await create({ shop: 'my-shop', baseUrl: 'https://shopify.example.com' });
    expect(off.status).toBe(400);
    expect(off.body.issues).toEqual([expect.objectContaining({ field: 'settings.baseUrl' })]);
    const otherShop = await create({ shop: 'my-shop', baseUrl: 'https://their-shop.myshopify.com' });
    expect(otherShop.status).toBe(400);
    expect(JSON.stringify(otherShop.body)).toContain("only the shop's own host");
  });

  it('runs actions through Temporal: orders, one order, products, customers', async () => {
    const listed = await run('listOrders', { limit: 2 });
    expect(listed.status).toBe(200);
    expect(listed.body.output.map((o: { name: string }) => o.name)).toEqual(['#1007', '#1006']);
    const id = listed.body.output[1].id as string;
    expect(id).toBe([...fake.orders.keys()].at(-2));
    expect((await run('getOrder', { orderId: id })).body.output).toMatchObject({ id, name: '#1006', line_items: [expect.objectContaining({ title: 'IPod Nano - 8GB' }), expect.anything()] });
    expect((await run('listProducts', {})).body.output).toEqual([expect.objectContaining({ title: 'Example T-Shirt' })]);
    expect((await run('listCustomers', { limit: 1 })).body.output).toHaveLength(1);
    const sent = fake.requests.filter((r) => r.path.startsWith('orders')).at(-1)!;
    expect(sent).toMatchObject({ version: SHOPIFY_API_VERSION, headers: expect.objectContaining({ 'x-shopify-access-token': token() }) });
  });

  it("fails a run on Shopify's 404 at once, with Shopify's message", async () => {
    const before = fake.requests.length;
    const res = await run('getOrder', { orderId: '4242' });
    expect(JSON.stringify(res.body)).toContain('HTTP 404: Not Found');
    expect(fake.requests.length - before).toBe(1);
  });

  it("waits out Shopify's 429 for its Retry-After, then succeeds", async () => {
    // Shopify's own 429, answered to the next call whenever the run reaches it (a bucket filled
    // here would leak below full on a slow machine before the activity runs).
    fake.failNext({ status: 429, body: { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' }, headers: { 'retry-after': '2.0' } });
    const before = fake.requests.length;
    const started = Date.now();
    const res = await run('listCustomers', { limit: 1 });
    expect(res.status).toBe(200);
    expect(res.body.output).toHaveLength(1);
    expect(fake.requests.length - before).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
  });
});

describe('webhook subscriptions, one per flow and topic', () => {
  it('subscribed the channel when it was created: the topic named by each flow path, JSON, at its webhook URL', () => {
    expect(subscriptionsOf(channelId).map((w) => ({ topic: w.topic, address: w.address, format: w.format }))).toEqual(
      expect.arrayContaining([
        { topic: 'orders/create', address: `${system.apiUrl}/webhooks/shopify/orders/create/${channelId}`, format: 'json' },
        { topic: 'products/create', address: `${system.apiUrl}/webhooks/shopify/products/create/${channelId}`, format: 'json' },
      ]),
    );
    expect(subscriptionsOf(channelId)).toHaveLength(2);
  });

  it('removes them when the channel is disabled, and subscribes again when it is enabled', async () => {
    const patch = (body: unknown) =>
      fetch(`${system.apiUrl}/channels/${channelId}`, { method: 'PATCH', headers: { ...authHeaders(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await patch({ enabled: false })).status).toBe(200);
    expect(subscriptionsOf(channelId)).toEqual([]);
    expect(fake.requests.filter((r) => r.method === 'DELETE' && r.path.startsWith('webhooks/'))).toHaveLength(2);
    expect((await patch({ enabled: true })).status).toBe(200);
    expect(subscriptionsOf(channelId)).toHaveLength(2);
  });
});

describe('Shopify webhooks', () => {
  const sdk = (secret: string) =>
    shopifyApi({ apiKey: 'test-app', apiSecretKey: secret, apiVersion: SHOPIFY_API_VERSION as ApiVersion, hostName: 'engine.example.com', isEmbeddedApp: false, logger: { level: LogSeverity.Error } });
  it.each([
    ['orders/create', 'orders-create'],
    ['products/create', 'products-create'],
  ] as const)("accepts Shopify's sample %s signed by @shopify/shopify-api, which validates the same delivery", async (topic, example) => {
    const raw = exampleText(example);
    const headers = headersFor(topic, await sign(raw));
    const validated = await sdk(WEBHOOK_SECRET).webhooks.validate({ rawBody: raw, rawRequest: { headers, method: 'POST', url: '/' }, rawResponse: {} });
    expect(validated).toMatchObject({ valid: true, topic: topic.toUpperCase().replace('/', '_'), webhookId: headers['x-shopify-webhook-id'] });
    const res = await deliver(`shopify/${topic}`, raw, headers);
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { workflowId: string; deliveryId: string };
    expect(accepted.deliveryId).toMatch(/^sha256-[0-9a-f]{32}$/);
    // Read from the bytes exactly: ids past 2^53 reach the run as they were sent.
    const sample = exampleRow(example);
    const { body } = (await startedInput(accepted.workflowId)) as { body: { id: string; line_items?: Array<{ product_id: string }>; variants?: Array<{ product_id: string }> } };
    expect(body.id).toBe(sample.id);
    if (example === 'products-create') expect(body.variants!.map((v) => v.product_id)).toEqual(['788032119674292922', '788032119674292922']);
    await terminate(accepted.workflowId);
  });

  it('hands the flow the order with its exact id, and a replay under a new X-Shopify-Webhook-Id is the same delivery (the header is not signed)', async () => {
    const raw = exampleText('orders-create');
    const hmac = await sign(raw);
    const first = await deliver('shopify/orders/create', raw, headersFor('orders/create', hmac));
    const accepted = (await first.json()) as { workflowId: string; deliveryId: string };
    const replay = await deliver('shopify/orders/create', raw, headersFor('orders/create', hmac, randomUUID()));
    expect(await replay.json()).toMatchObject({ workflowId: accepted.workflowId, deliveryId: accepted.deliveryId, duplicate: true });
    expect(((await startedInput(accepted.workflowId)) as { body: unknown }).body).toMatchObject({ id: '820982911946154508', name: '#9999' });
    await terminate(accepted.workflowId);

    const flowsView = (await getJson(`${system.apiUrl}/flows`)).body as Array<{ name: string; trigger: Record<string, unknown> }>;
    expect(flowsView.find((f) => f.name === 'shopifyOrderRow')!.trigger).toMatchObject({ signature: { scheme: 'hmac-sha256', header: 'x-shopify-hmac-sha256' }, deliveryId: { source: 'body-hash' } });
  });

  it('refuses another secret, a changed body, a missing signature; the SDK agrees on the first two', async () => {
    const raw = exampleText('orders-create');
    const wrong = headersFor('orders/create', await sign(raw, 'shpss_another-secret'));
    expect((await sdk(WEBHOOK_SECRET).webhooks.validate({ rawBody: raw, rawRequest: { headers: wrong, method: 'POST', url: '/' }, rawResponse: {} })).valid).toBe(false);
    expect((await deliver('shopify/orders/create', raw, wrong)).status).toBe(401);
    const changed = raw.replace('"388.00"', '"0.01"');
    const stale = headersFor('orders/create', await sign(raw));
    expect((await sdk(WEBHOOK_SECRET).webhooks.validate({ rawBody: changed, rawRequest: { headers: stale, method: 'POST', url: '/' }, rawResponse: {} })).valid).toBe(false);
    expect((await deliver('shopify/orders/create', changed, stale)).status).toBe(401);
    const { 'x-shopify-hmac-sha256': _dropped, ...unsigned } = headersFor('orders/create', 'x');
    const res = await deliver('shopify/orders/create', raw, unsigned);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('x-shopify-hmac-sha256');
  });

  it('runs the order-to-row flow through Temporal: the order read back, its row, every order page by page', async () => {
    const [id, stored] = [...fake.orders.entries()][0]!;
    const body = Order.parse({ ...exampleRow('orders-create'), id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: stored.name });
    const result = await system.client.workflow.execute(shopifyOrderRow, { taskQueue, workflowId: `shopifyOrderRow/${channelId}/${randomUUID()}`, args: [{ channelId, deliveryId: 'd-1', body }] });
    expect(result).toEqual({
      row: [stored.name, id, stored.created_at, stored.email, 'John Smith', stored.total_price, 'USD', stored.financial_status, '1 × IPod Nano - 8GB, 1 × IPod Nano - 8GB'],
      orders: fake.orders.size,
      pages: Math.ceil(fake.orders.size / 3),
    });
  });
});

describe('the shopify application as an OAuth install', () => {
  it("waits for consent, installs on the shop's host with comma-separated scopes for an offline token, then calls and subscribes with it", async () => {
    const created = await postJson(`${system.apiUrl}/channels`, {
      application: 'shopify',
      name: `Shop OAuth ${randomUUID().slice(0, 4)}`,
      settings: { shop: fake.shop, baseUrl: fake.url },
      credentials: { clientId: fake.oauthApp.clientId, clientSecret: fake.oauthApp.clientSecret },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ authStatus: 'authorization-required', credentials: { clientId: '********', clientSecret: '********' } });
    expect(subscriptionsOf(created.body.id)).toEqual([]);

    expect(await connectChannel(system, created.body.id)).toMatchObject({ status: 200, body: { authStatus: 'authorized' } });
    expect(fake.lastScopes).toEqual([...SHOPIFY_SCOPES]);
    expect(subscriptionsOf(created.body.id)).toHaveLength(2);
    const got = await run('getOrder', { orderId: [...fake.orders.keys()][0] }, created.body.id);
    expect(got.body.output).toMatchObject({ name: '#1001' });
    const sent = fake.requests.at(-1)!;
    expect(String(sent.headers['x-shopify-access-token'])).toMatch(/^shpca_/);
    expect(sent.headers.authorization).toBeUndefined();

    // Shopify signs this app's webhooks with its client secret: the channel has it already.
    const raw = exampleText('orders-create');
    const res = await deliver('shopify/orders/create', raw, headersFor('orders/create', await sign(raw, fake.oauthApp.clientSecret)), created.body.id);
    expect(res.status).toBe(202);
    await terminate(((await res.json()) as { workflowId: string }).workflowId);
  });

  it("refuses the consent when Shopify refuses the exchange, naming Shopify's error", async () => {
    const created = await postJson(`${system.apiUrl}/channels`, {
      application: 'shopify',
      name: `Shop OAuth ${randomUUID().slice(0, 4)}`,
      settings: { shop: fake.shop, baseUrl: fake.url },
      credentials: { clientId: fake.oauthApp.clientId, clientSecret: 'shpss_not-the-secret' },
    });
    const connected = await connectChannel(system, created.body.id);
    expect(connected.status).toBe(400);
    expect(JSON.stringify(connected.body)).toContain('invalid_client');
    expect((await getJson(`${system.apiUrl}/channels/${created.body.id}`)).body.authStatus).toBe('authorization-required');
  });
});
