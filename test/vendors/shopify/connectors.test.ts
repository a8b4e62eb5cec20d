/**
 * The shopify application's connectors against the loopback shop (fake-shopify.ts), whose every
 * request is checked against what @shopify/shopify-api's REST resources declare: settings that
 * become a host name, the access token header, Link page_info pages (only `limit` beside
 * `page_info`), exact 64-bit ids, Shopify's error bodies and the call-limit bucket. The fake itself
 * is read back with Shopify's own REST client.
 */
import { ApiVersion, HttpResponseError, LogSeverity, Session, shopifyApi } from './shopify-sdk';
import shopifyIntegration from '../../../connectors/shopify';
import { callLimits, shopify, SHOPIFY_API_VERSION, shopifyTokenResponse, topicOfPath } from '../../../connectors/shopify/application';
import { CallLimitBuckets, callLimitOf } from '../../../connectors/shopify/call-limit';
import { evaluateShopify } from '../../../connectors/shopify/errors';
import { parseJsonExact } from '../../../connectors/shopify/exact-json';
import { Order } from '../../../connectors/shopify/schemas';
import { NonRetryableConnectorError, RateLimitedConnectorError, RetryableConnectorError } from '../../../connectors/framework/errors';
import { executeConnector, executeConnectorPage, type PageResult } from '../../../connectors/framework/execute';
import { allowedHostIssues } from '../../../api/channels/credential-binding';
import { exampleRow, exampleText, startFakeShopify, type FakeShopify } from './fake-shopify';
import { restVersions } from './rest-resources';

let fake: FakeShopify;
let token: string;
beforeAll(async () => {
  fake = await startFakeShopify({ apiVersion: SHOPIFY_API_VERSION });
  token = [...fake.tokens][0]!;
});
afterAll(async () => {
  await fake?.close();
});
afterEach(() => {
  // A request Shopify would refuse fails the test that made it.
  expect(fake.violations).toEqual([]);
  fake.violations.length = 0;
  callLimits.clear();
  fake.fillBucket(token, 0);
});

const { connectors } = shopifyIntegration;
let channels = 0;
/** A channel of its own per call site: the call-limit bucket is kept per channel. */
const channel = (credentials: Record<string, string> = { accessToken: token }) => ({ id: `shop-${++channels}`, settings: { shop: 'my-shop', baseUrl: fake.url }, credentials });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => Promise.reject(new Error('expected a failure')),
    (err: unknown) => err as Error,
  );

describe('settings: the shop becomes a host name', () => {
  const parse = (settings: Record<string, unknown>) => shopify.settings.safeParse(settings);

  it('defaults to https://<shop>.myshopify.com/admin/api/<the version @shopify/shopify-api ships REST resources for>', () => {
    const settings = shopify.settings.parse({ shop: 'my-shop' });
    expect(settings).toEqual({ shop: 'my-shop', apiVersion: SHOPIFY_API_VERSION });
    expect(shopify.baseUrl(settings)).toBe(`https://my-shop.myshopify.com/admin/api/${SHOPIFY_API_VERSION}`);
    expect(allowedHostIssues(shopify, settings)).toEqual([]);
    expect(SHOPIFY_API_VERSION).toBe(restVersions().at(-1));
    expect(Object.values(ApiVersion)).toContain(SHOPIFY_API_VERSION);
  });

  it.each([
    'evil.com#',
    'evil.com/',
    'a.b',
    'my-shop.myshopify.com',
    'MY-SHOP',
    'a@evil.com',
    'evil.com:443',
    '-shop',
    'shop-',
    '',
    ' my-shop',
    'my%2eshop',
    'my_shop',
    'mу-shop', // Cyrillic у
    'x'.repeat(64),
    '..',
    'shop\n.evil.com',
  ])('refuses the shop %j', (shop) => {
    const parsed = parse({ shop });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['shop']);
  });

  it.each(['my-shop', 'a', 'shop2024', 'x'.repeat(63), 'xn--80ak6aa92e'])('takes the shop %j', (shop) => {
    expect(parse({ shop }).success).toBe(true);
  });

  it("refuses a base URL on another shop's host, with user info or a query; pins myshopify.com", () => {
    expect(parse({ shop: 'my-shop', baseUrl: 'https://other-shop.myshopify.com' }).error!.issues).toEqual([expect.objectContaining({ path: ['baseUrl'] })]);
    expect(parse({ shop: 'my-shop', baseUrl: 'https://user:pw@my-shop.myshopify.com' }).success).toBe(false);
    expect(parse({ shop: 'my-shop', baseUrl: 'https://my-shop.myshopify.com/?x=1' }).success).toBe(false);
    expect(parse({ shop: 'my-shop', baseUrl: 'https://my-shop.myshopify.com' }).success).toBe(true);
    expect(allowedHostIssues(shopify, shopify.settings.parse({ shop: 'my-shop', baseUrl: 'https://shopify.example.com' }))).toEqual([expect.objectContaining({ field: 'settings.baseUrl' })]);
    expect(allowedHostIssues(shopify, shopify.settings.parse({ shop: 'my-shop', baseUrl: 'http://my-shop.myshopify.com' }))).toEqual([
      expect.objectContaining({ message: expect.stringContaining('https') }),
    ]);
    expect(parse({ shop: 'my-shop', apiVersion: '2026-05' }).error!.issues[0]!.path).toEqual(['apiVersion']);
  });

  it('takes a token, or an OAuth client, not both nor half', () => {
    const credentials = (c: Record<string, string>) => shopify.credentials.safeParse(c);
    expect(credentials({ accessToken: 'shpat_x' }).success).toBe(true);
    expect(credentials({ clientId: 'id', clientSecret: 'shpss_x' }).success).toBe(true);
    expect(credentials({ accessToken: 'shpat_x', clientId: 'id', clientSecret: 's' }).error!.issues[0]!.path).toEqual(['accessToken']);
    expect(credentials({ clientId: 'id' }).error!.issues[0]!.path).toEqual(['clientSecret']);
    expect(credentials({}).success).toBe(false);
  });

  it("names a webhook flow's topic by the end of its path", () => {
    expect(topicOfPath('shopify/orders/create')).toBe('orders/create');
    expect(topicOfPath('shop-a/inventory_levels/update')).toBe('inventory_levels/update');
    expect(() => topicOfPath('orders')).toThrow(/does not end in a Shopify topic/);
  });
});

describe('exact 64-bit ids', () => {
  it('reads integers past 2^53 as their digits and everything else as JSON.parse does', () => {
    expect(parseJsonExact('{"id":820982911946154508,"n":-9007199254740993,"ok":9007199254740991,"f":1.5e300,"s":"820982911946154508","e":"\\"12345678901234567890\\""}')).toEqual({
      id: '820982911946154508',
      n: '-9007199254740993',
      ok: 9007199254740991,
      f: 1.5e300,
      s: '820982911946154508',
      e: '"12345678901234567890"',
    });
    const text = exampleText('orders-create');
    const lossy = JSON.parse(text) as { id: number };
    expect(String(lossy.id)).not.toBe('820982911946154508');
    expect(Order.parse(parseJsonExact(text)).id).toBe('820982911946154508');
    // A webhook body parsed as plain JSON: the exact id comes from admin_graphql_api_id.
    expect(Order.parse(lossy)).toMatchObject({ id: '820982911946154508', customer: { id: '115310627314723954' }, line_items: [{ id: '866550311766439020' }, { id: '141249953214522974' }] });
    expect(() => parseJsonExact('{"a": 1')).toThrow(SyntaxError);
  });
});

describe('orders', () => {
  it('pages by Link page_info, sending only limit beside page_info; any status by default', async () => {
    const ch = channel();
    const names: string[] = [];
    let page: PageResult = await executeConnectorPage(connectors.listOrders, ch, { limit: 3 }, undefined);
    const seen = [page];
    while (page.next) seen.push((page = await executeConnectorPage(connectors.listOrders, ch, undefined, page.next)));
    for (const { output } of seen) names.push(...(output as Array<{ name: string }>).map((o) => o.name));
    expect(names).toEqual(['#1007', '#1006', '#1005', '#1004', '#1003', '#1002', '#1001']);
    const sent = fake.requests.slice(-3);
    expect(sent.map((r) => r.path.replace(/page_info=[^&]+/, 'page_info=…'))).toEqual(['orders.json?limit=3&status=any', 'orders.json?limit=3&page_info=…', 'orders.json?limit=3&page_info=…']);
    expect(sent.every((r) => r.version === SHOPIFY_API_VERSION && r.headers['x-shopify-access-token'] === token && r.headers.authorization === undefined)).toBe(true);
    expect(seen[0]!.next).toEqual({ input: { limit: 3, pageInfo: expect.any(String) } });
  });

  it("keeps the first request's filters in page_info: open orders updated since a time", async () => {
    const ch = channel();
    const first = await executeConnectorPage(connectors.listOrders, ch, { status: 'open', updatedAtMin: '2026-11-01T05:00:00+00:00', limit: 2 }, undefined);
    const second = await executeConnectorPage(connectors.listOrders, ch, undefined, first.next!);
    expect([...(first.output as Order[]), ...(second.output as Order[])].map((o) => o.name)).toEqual(['#1007', '#1006', '#1005', '#1003']);
    expect(second.next).toBeNull();
    expect(fake.requests.at(-2)!.path).toBe('orders.json?limit=2&status=open&updated_at_min=2026-11-01T05%3A00%3A00%2B00%3A00');
  });

  it('refuses filters beside pageInfo, naming them, before any request', async () => {
    const before = fake.requests.length;
    const err = await failure(executeConnector(connectors.listOrders, channel(), { pageInfo: 'abc', status: 'open', sinceId: '1' }));
    expect(err).toBeInstanceOf(NonRetryableConnectorError);
    expect(err.message).toMatch(/invalid input: status: not with pageInfo.*sinceId: not with pageInfo/);
    expect(fake.requests.length).toBe(before);
  });

  it("gets an order by id or gid, its ids exact; a 404 is final with Shopify's message and request id", async () => {
    const [id, order] = [...fake.orders.entries()][2]!;
    expect(BigInt(id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const got = (await executeConnector(connectors.getOrder, channel(), { orderId: id })) as Order;
    expect(got).toMatchObject({ id, name: order.name, email: order.email, total_price: order.total_price, currency: 'USD', customer: { id: '115310627314723954', first_name: 'John' } });
    expect(got.line_items).toEqual([
      expect.objectContaining({ id: '866550311766439020', title: 'IPod Nano - 8GB', quantity: 1, price: '199.00', sku: 'IPOD2008PINK', product_id: '632910392' }),
      expect.anything(),
    ]);
    expect(await executeConnector(connectors.getOrder, channel(), { orderId: `gid://shopify/Order/${id}` })).toMatchObject({ id });
    const missing = await failure(executeConnector(connectors.getOrder, channel(), { orderId: '1' }));
    expect(missing).toBeInstanceOf(NonRetryableConnectorError);
    expect(missing.message).toMatch(/^shopify\.getOrder: HTTP 404: Not Found \[[0-9a-f-]{36}\]$/);
    const unsafe = await failure(executeConnector(connectors.getOrder, channel(), { orderId: 820982911946154500 }));
    expect(unsafe.message).toContain('give the id as a string');
  });
});

describe('products, customers, webhooks', () => {
  it('lists products with variants and customers', async () => {
    expect(await executeConnector(connectors.listProducts, channel(), { status: 'active', limit: 10 })).toEqual([
      expect.objectContaining({
        id: '788032119674292922',
        title: 'Example T-Shirt',
        variants: [expect.objectContaining({ id: '642667041472713922', title: 'Small', price: '19.99' }), expect.anything()],
      }),
    ]);
    const customers = (await executeConnector(connectors.listCustomers, channel(), { limit: 2 })) as Array<{ email: string }>;
    expect(customers.map((c) => c.email)).toEqual(['customer3@example.com', 'customer2@example.com']);
  });

  it("creates and deletes a webhook; a second one for the same topic and address is Shopify's 422, final", async () => {
    const address = 'https://engine.example.com/webhooks/shopify/orders/create/ch_1';
    const created = (await executeConnector(connectors.createWebhook, channel(), { topic: 'orders/create', address })) as { id: string };
    expect(created).toMatchObject({ id: expect.stringMatching(/^\d+$/), topic: 'orders/create', address, format: 'json', api_version: SHOPIFY_API_VERSION });
    expect(JSON.parse(fake.requests.at(-1)!.body)).toEqual({ webhook: { topic: 'orders/create', address, format: 'json' } });
    expect(fake.requests.at(-1)!.headers['content-type']).toMatch(/^application\/json/);
    const again = await failure(executeConnector(connectors.createWebhook, channel(), { topic: 'orders/create', address }));
    expect(again).toMatchObject({ errorClass: 'non-retryable', status: 422, message: expect.stringContaining('HTTP 422: address: for this topic has already been taken') });
    expect(await executeConnector(connectors.deleteWebhook, channel(), { webhookId: created.id })).toEqual({ deleted: true });
    expect(fake.webhooks.size).toBe(0);
    const unknownTopic = await failure(executeConnector(connectors.createWebhook, channel(), { topic: 'orders/exploded', address }));
    expect(unknownTopic.message).toContain('topic: Invalid topic specified');
  });
});

describe("Shopify's errors and its call-limit bucket", () => {
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
    status,
    headers: new Headers({ 'content-type': 'application/json', ...headers }),
    body,
    text: JSON.stringify(body),
  });
  const outcome = (status: number, body: unknown, headers?: Record<string, string>) => {
    try {
      return evaluateShopify('shopify.test')(answer(status, body, headers));
    } catch (err) {
      return err;
    }
  };

  it.each([
    [401, 'non-retryable', { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' }],
    [402, 'non-retryable', { errors: 'Unavailable Shop' }],
    [403, 'non-retryable', { errors: '[API] This action requires merchant approval for read_orders scope.' }],
    [406, 'non-retryable', { errors: 'Not Acceptable' }],
    [422, 'non-retryable', { errors: { topic: ['Invalid topic specified'], address: 'is not a valid URL' } }],
    [423, 'non-retryable', { errors: 'This shop is unavailable' }],
    [500, 'retryable', { errors: 'Internal Server Error' }],
    [502, 'retryable', '<html>Bad Gateway</html>'],
    [503, 'retryable', { errors: 'Unavailable' }],
    [504, 'retryable', { errors: 'Gateway Timeout' }],
  ])('%i is %s', (status, errorClass, body) => {
    expect(outcome(status, body)).toMatchObject({ errorClass, status });
  });

  it('reads both error shapes into the message', () => {
    expect((outcome(422, { errors: { topic: ['Invalid topic specified', 'is reserved'], address: 'is not a valid URL' } }) as Error).message).toBe(
      'shopify.test: HTTP 422: topic: Invalid topic specified, is reserved; address: is not a valid URL',
    );
    expect((outcome(400, { errors: ['a', 'b'] }, { 'x-request-id': 'r-1' }) as Error).message).toBe('shopify.test: HTTP 400: a, b [r-1]');
  });

  it('waits on a 429 as Retry-After says, else until the reported bucket leaked room; a 503 with Retry-After too', () => {
    expect(outcome(429, { errors: 'Exceeded 2 calls per second for api client.' }, { 'retry-after': '2.0' })).toMatchObject({ errorClass: 'rate-limited', retryAfterMs: 2_000 });
    expect(outcome(429, { errors: 'x' }, { 'x-shopify-shop-api-call-limit': '40/40' })).toMatchObject({ retryAfterMs: 1_000 });
    expect(outcome(429, { errors: 'x' }, { 'x-shopify-shop-api-call-limit': '400/400' })).toMatchObject({ retryAfterMs: 1_000 });
    expect(outcome(503, { errors: 'x' }, { 'retry-after': '7' })).toMatchObject({ errorClass: 'rate-limited', retryAfterMs: 7_000 });
    expect(callLimitOf(new Headers({ 'x-shopify-shop-api-call-limit': '32/40' }))).toEqual({ used: 32, size: 40 });
    expect(callLimitOf(new Headers({ 'x-shopify-shop-api-call-limit': '41/40' }))).toBeUndefined();
  });

  it("gets Shopify's 429 with Retry-After when something else filled the bucket, then paces by the level it reported", async () => {
    const ch = channel();
    fake.fillBucket(token, 40);
    const limited = await failure(executeConnector(connectors.listCustomers, ch, { limit: 1 }));
    expect(limited).toBeInstanceOf(RateLimitedConnectorError);
    expect(limited).toMatchObject({ retryAfterMs: 2_000, status: 429, message: expect.stringContaining('Exceeded 2 calls per second') });
    // The answer said 40/40: the next call waits for the leak before it goes, and is not refused.
    const started = performance.now();
    await executeConnector(connectors.listCustomers, ch, { limit: 1 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
    expect(fake.requests.at(-1)!.path).toBe('customers.json?limit=1');
  });

  it('counts concurrent calls in, and fails rate-limited instead of holding a worker for a long wait', async () => {
    let now = 0;
    const buckets = new CallLimitBuckets(() => now);
    await buckets.take('ch'); // nothing known: no wait
    buckets.observe('ch', new Headers({ 'x-shopify-shop-api-call-limit': '30/40' }));
    now = 1_000; // leaked 2
    const waits: number[] = [];
    const realTimeout = global.setTimeout;
    const spy = jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => (waits.push(ms ?? 0), realTimeout(fn, 0))) as typeof setTimeout);
    try {
      // 28 left after the leak: twelve calls fit, the next ten wait half a second more each.
      for (let i = 0; i < 12; i++) await buckets.take('ch');
      expect(waits).toEqual([]);
      for (let i = 0; i < 10; i++) await buckets.take('ch');
      expect(waits).toEqual([500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000]);
      await expect(buckets.take('ch')).rejects.toMatchObject({ errorClass: 'rate-limited', retryAfterMs: 5_500 });
    } finally {
      spy.mockRestore();
    }
  });

  it('a wrong token is final; a 5xx retryable', async () => {
    const refused = await failure(executeConnector(connectors.listOrders, channel({ accessToken: 'shpat_wrong' }), {}));
    expect(refused).toMatchObject({ status: 401, errorClass: 'non-retryable', message: expect.stringContaining('Invalid API key or access token') });
    fake.violations.length = 0; // the fake records the unknown token
    fake.failNext({ status: 502, body: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } });
    expect(await failure(executeConnector(connectors.listOrders, channel(), {}))).toBeInstanceOf(RetryableConnectorError);
  });
});

describe('OAuth', () => {
  it("makes Shopify's token answer standard ({access_token, scope} without token_type)", () => {
    expect(shopifyTokenResponse({ access_token: 'shpca_1', scope: 'read_orders' })).toEqual({ access_token: 'shpca_1', scope: 'read_orders', token_type: 'bearer' });
    expect(shopifyTokenResponse({ error: 'invalid_request' })).toEqual({ error: 'invalid_request' });
  });
});

describe("the fake, as Shopify's own REST client reads it", () => {
  const client = () => {
    const api = shopifyApi({
      apiKey: fake.oauthApp.clientId,
      apiSecretKey: fake.oauthApp.clientSecret,
      apiVersion: SHOPIFY_API_VERSION as ApiVersion,
      hostName: 'engine.example.com',
      hostScheme: 'http',
      isEmbeddedApp: false,
      isCustomStoreApp: true,
      adminApiAccessToken: token,
      logger: { level: LogSeverity.Error },
    });
    const session = new Session({ id: 'offline_test', shop: new URL(fake.url).host, state: '', isOnline: false, accessToken: token });
    return new api.clients.Rest({ session });
  };

  it('pages with the pageInfo it parses from the Link header; ids come out exact', async () => {
    const rest = client();
    const first = await rest.get<{ orders: Array<{ id: string; name: string }> }>({ path: 'orders', query: { limit: 4, status: 'any' } });
    expect(first.body.orders.map((o) => o.name)).toEqual(['#1007', '#1006', '#1005', '#1004']);
    expect(first.body.orders[0]!.id).toBe([...fake.orders.keys()].at(-1));
    const next = first.pageInfo!.nextPage!;
    expect(next.query).toEqual({ page_info: expect.any(String), limit: '4' });
    const second = await rest.get<{ orders: Array<{ name: string }> }>({ path: 'orders', query: next.query as Record<string, string> });
    expect(second.body.orders.map((o) => o.name)).toEqual(['#1003', '#1002', '#1001']);
    expect(second.pageInfo!.prevPage).toBeDefined();
    expect(second.pageInfo!.nextPage).toBeUndefined();
  });

  it("answers errors the library reads as Shopify's", async () => {
    const err = await failure(client().get({ path: 'orders/1' }));
    expect(err).toBeInstanceOf(HttpResponseError);
    expect((err as HttpResponseError).response).toMatchObject({ code: 404, body: { errors: 'Not Found' } });
  });

  it("serves Shopify's documented sample order back as the library parses it", async () => {
    const { body } = await client().get<{ order: Record<string, unknown> }>({ path: `orders/${[...fake.orders.keys()][0]}` });
    const sample = exampleRow('orders-create');
    expect(body.order).toMatchObject({ customer: { id: (sample.customer as { id: string }).id }, line_items: [{ id: '866550311766439020' }, { id: '141249953214522974' }] });
  });
});
