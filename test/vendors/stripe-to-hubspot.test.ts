/**
 * The stripeInvoicePaidToHubSpot example flow end to end, in the engine's default flow registry:
 * a Stripe channel and a HubSpot channel created through the API against the loopback Stripe and
 * HubSpot, `invoice.paid` events signed by the `stripe` package (generateTestHeaderString) posted
 * to the webhook route; the engine's worker runs the flow, which reads the invoice from Stripe and
 * moves the deal in HubSpot, every request checked by the fakes.
 */
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { STRIPE_API_VERSION } from '../../connectors/stripe/application';
import { getJson, postJson, startTestSystem, type TestSystem } from '../support/system';
import { startFakeHubSpot, type FakeHubSpot } from './hubspot/fake-hubspot';
import { exampleInvoice, startFakeStripe, type FakeStripe } from './stripe/fake-stripe';

const STRIPE_KEY = `sk_test_${randomUUID().replace(/-/g, '')}`;
const WEBHOOK_SECRET = `whsec_${randomUUID().replace(/-/g, '')}`;
const sdk = new Stripe('sk_test_unused');

let system: TestSystem;
let stripe: FakeStripe;
let hubspot: FakeHubSpot;
let stripeChannelId: string;
let hubspotChannelId: string;

beforeAll(async () => {
  [system, stripe, hubspot] = await Promise.all([startTestSystem(), startFakeStripe({ apiVersion: STRIPE_API_VERSION }), startFakeHubSpot()]);
  hubspot.customProperties.deals.add('stripe_invoice_id');
  const hubspotChannel = await postJson(`${system.apiUrl}/channels`, {
    application: 'hubspot',
    name: `HubSpot ${randomUUID().slice(0, 4)}`,
    settings: { baseUrl: hubspot.url },
    credentials: { accessToken: hubspot.token },
  });
  expect(hubspotChannel.status).toBe(201);
  hubspotChannelId = hubspotChannel.body.id;
  const stripeChannel = await postJson(`${system.apiUrl}/channels`, {
    application: 'stripe',
    name: `Stripe ${randomUUID().slice(0, 4)}`,
    settings: { baseUrl: stripe.url, hubspotChannelId, hubspotDealStage: 'closedwon', hubspotInvoiceProperty: 'stripe_invoice_id' },
    credentials: { secretKey: STRIPE_KEY, webhookSecret: WEBHOOK_SECRET },
  });
  expect(stripeChannel.status).toBe(201);
  stripeChannelId = stripeChannel.body.id;
});
afterAll(async () => {
  await Promise.all([system?.stop(), stripe?.close(), hubspot?.close()]);
});
afterEach(() => {
  expect(stripe.refused.map((r) => `${r.request.method} ${r.request.path}: ${r.reason}`)).toEqual([]);
  expect(hubspot.violations).toEqual([]);
});

/** A Stripe event about `invoiceId` (https://docs.stripe.com/api/events/object), rendered in an older API version than the channel pins. */
const event = (type: string, invoiceId: string) => ({
  id: `evt_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
  object: 'event',
  api_version: '2024-06-20',
  created: 1_765_000_000,
  data: { object: { id: invoiceId, object: 'invoice', status: 'paid' } },
  livemode: false,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  type,
});
const deliver = (payload: string) =>
  fetch(`${system.apiUrl}/webhooks/stripe/invoices/${stripeChannelId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': sdk.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) },
    body: payload,
  });
const outcome = async (res: Response) => {
  expect(res.status).toBe(202);
  const { workflowId } = (await res.json()) as { workflowId: string };
  return { workflowId, result: await system.client.workflow.getHandle(workflowId).result() };
};
const dealIn = (stage: string, properties: Record<string, string> = {}) => hubspot.seed('deals', { dealname: `Deal ${randomUUID().slice(0, 4)}`, amount: '20', dealstage: stage, ...properties });
const invoiceFor = (metadata: Record<string, string>, overrides: Record<string, unknown> = {}) => {
  const invoice = exampleInvoice({ customer: 'cus_NffrFeUfNV2Hib', metadata, ...overrides });
  stripe.invoices.set(invoice.id, invoice);
  return invoice;
};

describe('stripeInvoicePaidToHubSpot', () => {
  it('is a flow of the default registry, on the Stripe channel, signed by Stripe, deduped by the event id', async () => {
    const flows = (await getJson(`${system.apiUrl}/flows`)).body as Array<{ name: string; application: string; trigger: Record<string, unknown> }>;
    expect(flows.find((f) => f.name === 'stripeInvoicePaidToHubSpot')).toMatchObject({
      application: 'stripe',
      trigger: { path: 'stripe/invoices', signature: { scheme: 'stripe', header: 'stripe-signature' }, deliveryId: { source: 'signed-body-field', field: 'id' } },
    });
  });

  it("moves the deal named by the invoice's metadata.hubspot_deal_id to the stage, with a note of the amount and the invoice; a redelivery does nothing more", async () => {
    const deal = dealIn('contractsent');
    const invoice = invoiceFor({ hubspot_deal_id: deal.id }, { amount_paid: 123_456, currency: 'eur', number: 'INV-<0042>' });
    const payload = JSON.stringify(event('invoice.paid', String(invoice.id)));
    const { workflowId, result } = await outcome(await deliver(payload));
    expect(result).toEqual({ moved: { dealId: deal.id, stage: 'closedwon', noteId: expect.any(String) } });

    expect(hubspot.records.deals.get(deal.id)!.properties.dealstage).toBe('closedwon');
    const notes = hubspot.notesOf(deal.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.properties.hs_note_body).toBe(`<p>Stripe invoice <a href="${String(invoice.hosted_invoice_url)}">INV-&#60;0042&#62;</a> paid: 1234.56 EUR</p>`);
    expect(notes[0]!.properties.hs_timestamp).toBe(new Date(1_765_000_000 * 1000).toISOString());
    // The invoice was read in the channel's pinned version, not taken from the event.
    expect(stripe.requests.filter((r) => r.path === `/v1/invoices/${String(invoice.id)}`).map((r) => r.headers['stripe-version'])).toEqual([STRIPE_API_VERSION]);

    const again = await deliver(payload);
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ workflowId, duplicate: true });
    expect(hubspot.notesOf(deal.id)).toHaveLength(1);
  });

  it('finds the deal by the deal property the settings name when the invoice has no metadata, and formats a zero-decimal currency', async () => {
    const invoice = invoiceFor({}, { amount_paid: 5000, currency: 'jpy' });
    const deal = dealIn('decisionmakerboughtin', { stripe_invoice_id: String(invoice.id) });
    dealIn('decisionmakerboughtin', { stripe_invoice_id: 'in_someOtherInvoice' });
    const { result } = await outcome(await deliver(JSON.stringify(event('invoice.paid', String(invoice.id)))));
    expect(result).toEqual({ moved: { dealId: deal.id, stage: 'closedwon', noteId: expect.any(String) } });
    expect(hubspot.notesOf(deal.id)[0]!.properties.hs_note_body).toContain('paid: 5000 JPY');
    expect(hubspot.requests.filter((r) => r.path === '/crm/v3/objects/deals/search').at(-1)!.body).toMatchObject({
      filterGroups: [{ filters: [{ propertyName: 'stripe_invoice_id', operator: 'EQ', value: invoice.id }] }],
    });
  });

  it('moves nothing when no deal, or more than one, has the invoice', async () => {
    const lonely = invoiceFor({});
    expect((await outcome(await deliver(JSON.stringify(event('invoice.paid', String(lonely.id)))))).result).toEqual({ skipped: 'no-deal' });
    const shared = invoiceFor({});
    const [a, b] = [dealIn('contractsent', { stripe_invoice_id: String(shared.id) }), dealIn('contractsent', { stripe_invoice_id: String(shared.id) })];
    expect((await outcome(await deliver(JSON.stringify(event('invoice.paid', String(shared.id)))))).result).toEqual({ skipped: 'several-deals' });
    for (const deal of [a, b]) expect(hubspot.records.deals.get(deal.id)!.properties.dealstage).toBe('contractsent');
  });

  it('acknowledges other events and does nothing', async () => {
    const before = hubspot.requests.length;
    const invoice = invoiceFor({});
    expect((await outcome(await deliver(JSON.stringify(event('invoice.finalized', String(invoice.id)))))).result).toEqual({ skipped: 'not-invoice-paid' });
    expect(hubspot.requests.length).toBe(before);
  });

  it("fails the run, naming HubSpot's refusal, when the stage is not one of the deal's pipeline", async () => {
    const res = await postJson(`${system.apiUrl}/channels`, {
      application: 'stripe',
      name: `Stripe wrong stage ${randomUUID().slice(0, 4)}`,
      settings: { baseUrl: stripe.url, hubspotChannelId, hubspotDealStage: 'paid' },
      credentials: { secretKey: STRIPE_KEY, webhookSecret: WEBHOOK_SECRET },
    });
    const deal = dealIn('contractsent');
    const invoice = invoiceFor({ hubspot_deal_id: deal.id });
    const payload = JSON.stringify(event('invoice.paid', String(invoice.id)));
    const delivered = await fetch(`${system.apiUrl}/webhooks/stripe/invoices/${res.body.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': sdk.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) },
      body: payload,
    });
    expect(delivered.status).toBe(202);
    const { workflowId } = (await delivered.json()) as { workflowId: string };
    const failure = await system.client.workflow
      .getHandle(workflowId)
      .result()
      .then(
        () => undefined,
        (err: Error) => err,
      );
    const causes: Array<{ type?: string; message: string }> = [];
    for (let cause: unknown = failure; cause instanceof Error; cause = cause.cause) causes.push(cause as Error & { type?: string });
    expect(causes).toContainEqual(expect.objectContaining({ type: 'HubSpotValidationError', message: expect.stringContaining('dealstage') }));
    expect(hubspot.notesOf(deal.id)).toHaveLength(0);
    // HubSpot's refusal is final: no retry hammered it.
    expect(hubspot.requests.filter((r) => r.method === 'PATCH' && r.path === `/crm/v3/objects/deals/${deal.id}`)).toHaveLength(1);
  });
});
