/**
 * The Stripe application through the real API, worker and Temporal, against a loopback Stripe
 * (fake-stripe.ts) that checks requests as Stripe does; webhooks signed by the `stripe` package's
 * own `generateTestHeaderString`; the fake itself checked with the `stripe` package as client.
 */
import Stripe from 'stripe';
import { z } from 'zod';
import { STRIPE_API_VERSION, stripe as stripeApp } from '../../../connectors/stripe/application';
import { listCustomers } from '../../../connectors/stripe/list-customers';
import { createCustomer } from '../../../connectors/stripe/create-customer';
import { retrieveInvoice } from '../../../connectors/stripe/retrieve-invoice';
import { executeConnector } from '../../../connectors/framework/execute';
import { NonRetryableConnectorError, RateLimitedConnectorError, RetryableConnectorError, type ConnectorError } from '../../../connectors/framework/errors';
import { defineFlows, flow, webhook } from '../../../workflows/framework/flow';
import { orderPlaced } from '../../../workflows/order-placed';
import { startTestSystem, postJson, getJson, type TestSystem } from '../../support/system';
import { exampleInvoice, startFakeStripe, stripeError, type FakeStripe } from './fake-stripe';

const SECRET_KEY = 'sk_test_fake-not-a-real-key-0000';
const WEBHOOK_SECRET = 'whsec_test_fake_not_a_real_secret';

// A Stripe event as Stripe sends it (https://docs.stripe.com/api/events/object).
const StripeEvent = z.looseObject({ id: z.string().startsWith('evt_'), object: z.literal('event'), type: z.string(), data: z.looseObject({ object: z.looseObject({ id: z.string() }) }) });
const invoicePaid = (eventId: string, invoiceId = 'in_1MtHbELkdIwHu7ixl4OzzPMv') => ({
  id: eventId,
  object: 'event',
  api_version: STRIPE_API_VERSION,
  created: Math.floor(Date.now() / 1000),
  data: { object: { id: invoiceId, object: 'invoice', customer: 'cus_NffrFeUfNV2Hib', status: 'paid', amount_paid: 2000, currency: 'usd' } },
  livemode: false,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  type: 'invoice.paid',
});
// Any workflow of the bundle will do: these tests are about what reaches Temporal and how often.
const flows = defineFlows([
  flow(orderPlaced, { application: stripeApp, description: 'test', trigger: webhook({ path: 'stripe/events', body: StripeEvent as never, example: invoicePaid('evt_example') as never }) }),
]);

let fake: FakeStripe;
let system: TestSystem;
let channelId: string;
const sdk = new Stripe('sk_test_unused');

beforeAll(async () => {
  fake = await startFakeStripe({ apiVersion: STRIPE_API_VERSION });
  system = await startTestSystem({ flows });
  const created = await postJson(`${system.apiUrl}/channels`, {
    application: 'stripe',
    name: 'Stripe test',
    settings: { baseUrl: fake.url },
    credentials: { secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET },
  });
  expect(created.status).toBe(201);
  channelId = created.body.id;
}, 60_000);

afterAll(async () => {
  await system?.stop();
  await fake?.close();
});

afterEach(() => {
  // A request Stripe would refuse fails the test that sent it.
  expect(fake.refused.map((r) => `${r.request.method} ${r.request.path}: ${r.reason}`)).toEqual([]);
});

const run = (action: string, input: unknown) => postJson(`${system.apiUrl}/applications/stripe/actions/${action}/run`, { channelId, input });
const channel = () => ({ id: 'ch_stripe_unit', settings: { baseUrl: fake.url }, credentials: { secretKey: SECRET_KEY } });

it('pins the API version the installed stripe package pins', () => {
  expect(STRIPE_API_VERSION).toBe(Stripe.API_VERSION);
});

it('is listed with its actions, and refuses a base URL off its pinned hosts', async () => {
  const apps = await getJson(`${system.apiUrl}/applications`);
  expect(JSON.stringify(apps.body)).toContain('"stripe"');
  const off = await postJson(`${system.apiUrl}/channels`, { application: 'stripe', name: 'elsewhere', settings: { baseUrl: 'https://stripe.example.com' }, credentials: { secretKey: SECRET_KEY } });
  expect(off.status).toBe(400);
  expect(JSON.stringify(off.body)).toMatch(/baseUrl/);
});

it('creates a customer with a form-encoded body, the bearer key, Stripe-Version and an Idempotency-Key', async () => {
  const res = await run('createCustomer', { email: 'jenny.rosen@example.com', name: 'Jenny Rosen', metadata: { crm_id: '42' } });
  expect(res.status).toBe(200);
  expect(res.body.output).toMatchObject({ object: 'customer', email: 'jenny.rosen@example.com', metadata: { crm_id: '42' } });
  const sent = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/customers').at(-1)!;
  expect(sent.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
  expect(sent.rawBody).toContain('metadata[crm_id]=42');
  expect(sent.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
  expect(sent.headers['stripe-version']).toBe(STRIPE_API_VERSION);
  expect(sent.headers['idempotency-key']).toEqual(expect.any(String));
});

it('lists customers the Stripe way: starting_after the last id while has_more', async () => {
  for (const n of [1, 2, 3, 4, 5]) await executeConnector(createCustomer, channel(), { email: `page${n}@example.com` }, { idempotencyKey: `create-page-${n}` });
  const first = await run('listCustomers', { limit: 2 });
  expect(first.status).toBe(200);
  expect(first.body.output).toMatchObject({ object: 'list', has_more: true, url: '/v1/customers' });
  expect(first.body.output.data).toHaveLength(2);
  // Every page through the connector's paginator, as `.pages()` in a flow does it.
  const seen: string[] = [];
  let input: unknown = { limit: 2 };
  for (let pages = 0; input && pages < 10; pages += 1) {
    const output = (await executeConnector(listCustomers, channel(), input)) as z.output<typeof listCustomers.output>;
    seen.push(...output.data.map((c) => c.id));
    input = listCustomers.paginator!.next({ input: input as never, output, response: undefined as never })?.input;
  }
  expect(seen).toEqual([...fake.customers.keys()].reverse());
  expect(fake.requests.some((r) => r.path === '/v1/customers' && r.method === 'GET' && typeof r.query.starting_after === 'string')).toBe(true);
});

it('retrieves the invoice of an invoice.paid event, and its customer', async () => {
  const customer = (await run('createCustomer', { email: 'billing@example.com' })).body.output;
  const invoice = exampleInvoice({ customer: customer.id });
  fake.invoices.set(invoice.id, invoice);
  const got = await run('retrieveInvoice', { invoiceId: invoice.id });
  expect(got.status).toBe(200);
  expect(got.body.output).toMatchObject({ id: invoice.id, status: 'paid', amount_paid: 2000, customer: customer.id });
  const who = await run('retrieveCustomer', { customerId: customer.id });
  expect(who.body.output).toMatchObject({ id: customer.id, email: 'billing@example.com' });
  const listed = await run('listInvoices', { customer: customer.id, status: 'paid' });
  expect(listed.body.output.data.map((i: { id: string }) => i.id)).toEqual([invoice.id]);
  expect((await run('listPaymentIntents', { limit: 3 })).body.output).toMatchObject({ object: 'list', data: [], has_more: false });
});

it('creates and deletes a webhook endpoint; its secret is answered once', async () => {
  const created = await run('createWebhookEndpoint', { url: `https://engine.example.com/webhooks/stripe/events/${channelId}`, enabledEvents: ['invoice.paid', 'customer.updated'] });
  expect(created.status).toBe(200);
  expect(created.body.output).toMatchObject({ object: 'webhook_endpoint', enabled_events: ['invoice.paid', 'customer.updated'], secret: expect.stringMatching(/^whsec_/) });
  const sent = fake.requests.filter((r) => r.path === '/v1/webhook_endpoints').at(-1)!;
  expect(decodeURIComponent(sent.rawBody)).toContain('enabled_events[0]=invoice.paid');
  const deleted = await run('deleteWebhookEndpoint', { webhookEndpointId: created.body.output.id });
  expect(deleted.body.output).toEqual({ id: created.body.output.id, object: 'webhook_endpoint', deleted: true });
});

describe("errors, classified by Stripe's error.type and Stripe-Should-Retry", () => {
  const failing = async (answer: Parameters<FakeStripe['failNext']>[2]): Promise<ConnectorError> => {
    const invoiceId = 'in_1FailingInvoice';
    fake.failNext('GET', `/v1/invoices/${invoiceId}`, answer);
    return executeConnector(retrieveInvoice, channel(), { invoiceId }).then(
      () => Promise.reject(new Error('expected a failure')),
      (err: ConnectorError) => err,
    );
  };

  it.each([
    ['api_error (500)', stripeError(500, 'api_error', 'Something went wrong on our end'), RetryableConnectorError, 'StripeApiError'],
    ['card_error (402)', stripeError(402, 'card_error', 'Your card was declined.', { code: 'card_declined', decline_code: 'insufficient_funds' }), NonRetryableConnectorError, 'StripeCardError'],
    ['invalid_request_error (404)', stripeError(404, 'invalid_request_error', "No such invoice: 'in_1'", { code: 'resource_missing' }), NonRetryableConnectorError, 'StripeInvalidRequestError'],
    ['idempotency_error (400)', stripeError(400, 'idempotency_error', 'Keys for idempotent requests can only be used with the same parameters'), NonRetryableConnectorError, 'StripeIdempotencyError'],
    ['a 500 with Stripe-Should-Retry: false', { ...stripeError(500, 'api_error', 'do not retry'), headers: { 'stripe-should-retry': 'false' } }, NonRetryableConnectorError, 'StripeApiError'],
    [
      'a 409 lock conflict with Stripe-Should-Retry: true',
      { ...stripeError(409, 'invalid_request_error', 'lock_timeout', { code: 'lock_timeout' }), headers: { 'stripe-should-retry': 'true' } },
      RetryableConnectorError,
      'StripeInvalidRequestError',
    ],
  ])('%s', async (_name, answer, kind, reason) => {
    const err = await failing(answer);
    expect(err).toBeInstanceOf(kind);
    expect(err.reason).toBe(reason);
    expect(err.message).toMatch(/^stripe\.retrieveInvoice: HTTP \d{3} /);
    expect(err.message).toMatch(/\[req_/);
  });

  it('rate_limit_error (429) waits as Retry-After says', async () => {
    const err = await failing({ ...stripeError(429, 'rate_limit_error', 'Too many requests', { code: 'rate_limit' }), headers: { 'retry-after': '3' } });
    expect(err).toBeInstanceOf(RateLimitedConnectorError);
    expect((err as RateLimitedConnectorError).retryAfterMs).toBe(3_000);
  });

  it('fails a run at once on a final error, naming the Stripe type', async () => {
    const res = await run('retrieveInvoice', { invoiceId: 'in_1DoesNotExist' });
    expect(JSON.stringify(res.body)).toMatch(/invalid_request_error \(resource_missing\)/);
    // The fake's refusals would have been recorded; this is an ordinary 404, not a bad request.
  });
});

describe('webhooks', () => {
  const deliver = (payload: string, header: string) =>
    fetch(`${system.apiUrl}/webhooks/stripe/events/${channelId}`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: payload }).then(async (res) => ({
      status: res.status,
      body: (await res.json()) as Record<string, unknown>,
    }));

  it('accepts an event signed by the stripe package, with the event id as delivery id; a redelivery is a duplicate', async () => {
    const payload = JSON.stringify(invoicePaid('evt_1NG8Du2eZvKYlo2CUI79vXWy'));
    const first = await deliver(payload, sdk.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }));
    expect(first.status).toBe(202);
    expect(first.body.deliveryId).toBe('evt_1NG8Du2eZvKYlo2CUI79vXWy');
    // Stripe's retry: the same event, signed again at a later time.
    const again = await deliver(payload, sdk.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp: Math.floor(Date.now() / 1000) + 1 }));
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ duplicate: true, workflowId: first.body.workflowId });
  });

  it.each([
    ['another secret', (payload: string) => sdk.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other' })],
    ['a timestamp outside the tolerance', (payload: string) => sdk.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp: Math.floor(Date.now() / 1000) - 600 })],
  ])('refuses an event signed with %s (401)', async (_name, sign) => {
    const payload = JSON.stringify(invoicePaid('evt_1Forged'));
    const res = await deliver(payload, sign(payload));
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).toMatch(/stripe-signature/i);
  });
});

describe('the fake, as the stripe package sees it', () => {
  const client = () => {
    const { port } = new URL(fake.url);
    return new Stripe(SECRET_KEY, { host: '127.0.0.1', port: Number(port), protocol: 'http', maxNetworkRetries: 0 });
  };

  it('lists and pages customers', async () => {
    const ids: string[] = [];
    for await (const customer of client().customers.list({ limit: 2 })) ids.push(customer.id);
    expect(ids).toEqual([...fake.customers.keys()].reverse());
  });

  it("answers errors the SDK reads as Stripe's own", async () => {
    await expect(client().invoices.retrieve('in_1Missing')).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'resource_missing',
      statusCode: 404,
      requestId: expect.stringMatching(/^req_/),
    });
  });
});
