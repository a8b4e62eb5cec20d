/**
 * Production webhook handling through the real API and a real Temporal: signatures checked with
 * the channel's secret before anything starts, redeliveries recognised (header, or a hash of the
 * body), one delivery fanned out to every flow on its path, JSON and form bodies, 413 and 415.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { defineApplication } from '../applications/framework/application';
import { secret } from '../applications/framework/secret';
import { shopifySignature } from '../applications/framework/webhook-signature';
import { defineFlows, entityWebhook, flow, webhook } from '../workflows/framework/flow';
import { orderPlaced } from '../workflows/order-placed';
import { OrderPlaced, orderPlacedExample } from '../workflows/order-placed.schema';
import { ticketEventSignal, ticketLifecycle } from '../workflows/ticket-lifecycle';
import { startTestSystem, type TestSystem } from './support/system';

const WEBHOOK_SECRET = 'whsec-test-not-a-real-secret';

// A shop that signs its webhooks like Shopify: base64 HMAC-SHA256 of the raw body.
const testShop = defineApplication({
  name: 'test-shop',
  title: 'Test shop',
  settings: z.object({ baseUrl: z.url() }),
  credentials: z.object({ webhookSecret: secret("Signing secret of the shop's webhooks") }),
  baseUrl: (settings) => settings.baseUrl,
  auth: { kind: 'none' },
  webhooks: { signature: shopifySignature(), secret: (credentials) => credentials.webhookSecret },
});

// Two flows on one path: every delivery fans out to both.
const Order = OrderPlaced.extend({ orderId: z.string().regex(/^[A-Za-z0-9_-]+$/) });
const flows = defineFlows([
  flow(orderPlaced, { application: testShop, description: 'test', trigger: webhook({ path: 'test-shop/orders', body: Order, example: orderPlacedExample, deliveryIdHeader: 'x-shopify-webhook-id' }) }),
  flow(ticketLifecycle, {
    application: testShop,
    description: 'test',
    trigger: entityWebhook({ path: 'test-shop/orders', body: Order, example: orderPlacedExample, signal: ticketEventSignal as never, entityId: (order) => order.orderId }),
  }),
]);

let system: TestSystem;
let url: string;
beforeAll(async () => {
  system = await startTestSystem({ flows });
  const channel = await system.channels.create({
    application: 'test-shop',
    name: 'shop',
    settings: { baseUrl: 'http://127.0.0.1:9' },
    credentials: { webhookSecret: WEBHOOK_SECRET },
    enabled: true,
    authStatus: 'not-required',
  });
  url = `${system.apiUrl}/webhooks/test-shop/orders/${channel.id}`;
});
afterAll(async () => {
  await system?.stop();
});

const sign = (raw: string, key = WEBHOOK_SECRET) => createHmac('sha256', key).update(raw, 'utf8').digest('base64');

async function deliver(raw: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const order = (orderId: string) => JSON.stringify({ ...orderPlacedExample, orderId });
const exists = (workflowId: string) =>
  system.client.workflow
    .getHandle(workflowId)
    .describe()
    .then(
      () => true,
      (err) => (err instanceof WorkflowNotFoundError ? false : Promise.reject(err)),
    );

describe('signatures', () => {
  it('accepts a correctly signed delivery and fans it out to every flow on the path', async () => {
    const raw = order('ord_signed');
    const res = await deliver(raw, { 'x-shopify-hmac-sha256': sign(raw), 'x-shopify-webhook-id': 'wh-signed-1' });
    expect(res.status).toBe(202);
    // The signature covers the body only, so the unsigned X-Shopify-Webhook-Id does not count: the body's hash is the id.
    expect(res.body.deliveryId).toMatch(/^sha256-[0-9a-f]{32}$/);
    expect(res.body.runs.map((run: { flow: string }) => run.flow)).toEqual(['orderPlaced', 'ticketLifecycle']);
    expect(res.body).toMatchObject({ workflowId: res.body.runs[0].workflowId, runId: res.body.runs[0].runId });
    for (const run of res.body.runs) expect(await exists(run.workflowId)).toBe(true);
  });

  it.each([
    ['a wrong signature', (raw: string) => ({ 'x-shopify-hmac-sha256': sign(raw, 'another-secret') })],
    ['a signature of another body', (raw: string) => ({ 'x-shopify-hmac-sha256': sign(`${raw} `) })],
    ['no signature', () => ({})],
    ['a repeated signature header', (raw: string) => ({ 'x-shopify-hmac-sha256': `${sign(raw)}, ${sign(raw)}` })],
  ])('refuses %s with 401 and starts nothing', async (_case, headers) => {
    const deliveryId = `wh-bad-${randomUUID()}`;
    const raw = order('ord_forged');
    const res = await deliver(raw, { ...headers(raw), 'x-shopify-webhook-id': deliveryId });
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/x-shopify-hmac-sha256/);
    expect(JSON.stringify(res.body)).not.toContain(sign(raw));
    expect(await exists(`orderPlaced/${url.split('/').pop()}/${deliveryId}`)).toBe(false);
  });

  it("keeps the channel secret out of the run's history", async () => {
    const raw = order('ord_history');
    const res = await deliver(raw, { 'x-shopify-hmac-sha256': sign(raw), 'x-shopify-webhook-id': 'wh-history-1' });
    const history = await system.client.workflow.getHandle(res.body.workflowId).fetchHistory();
    expect(JSON.stringify(history)).not.toContain(WEBHOOK_SECRET);
  });
});

describe('redelivery', () => {
  it('answers 2xx for a redelivered webhook and starts no second run, also when redeliveries race', async () => {
    const raw = order('ord_race');
    const headers = { 'x-shopify-hmac-sha256': sign(raw), 'x-shopify-webhook-id': `wh-race-${randomUUID()}` };
    const answers = await Promise.all(Array.from({ length: 8 }, () => deliver(raw, headers)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
    const starts = answers.filter((a) => !a.body.duplicate);
    expect(starts).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.runId))).toEqual(new Set([starts[0]!.body.runId]));
    const runs = [];
    for await (const run of system.client.workflow.list({ query: `WorkflowId = "${starts[0]!.body.workflowId}"` })) runs.push(run);
    expect(runs).toHaveLength(1);
  });

  it('recognises a redelivery without a delivery id by the hash of its body', async () => {
    const raw = order(`ord_nohdr_${randomUUID().slice(0, 8)}`);
    const first = await deliver(raw, { 'x-shopify-hmac-sha256': sign(raw) });
    const second = await deliver(raw, { 'x-shopify-hmac-sha256': sign(raw) });
    expect(first.status).toBe(202);
    expect(first.body.deliveryId).toMatch(/^sha256-[0-9a-f]{32}$/);
    expect(second.body).toMatchObject({ workflowId: first.body.workflowId, runId: first.body.runId, duplicate: true });
  });
});

describe('bodies', () => {
  it('takes a form-encoded body, verified over its raw bytes', async () => {
    const raw = new URLSearchParams({ orderId: 'ord_form', customerEmail: 'form@example.com', total: '12', currency: 'EUR' }).toString();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-shopify-hmac-sha256': sign(raw) }, body: raw });
    // The form's fields arrive as strings: the flow's schema decides, and names the field it refuses.
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^total:/);
  });

  it('reads a vendor JSON type (application/*+json) as JSON', async () => {
    const raw = order(`ord_vnd_${randomUUID().slice(0, 8)}`);
    const res = await deliver(raw, { 'content-type': 'application/vnd.shop.order+json; charset=utf-8', 'x-shopify-hmac-sha256': sign(raw) });
    // 202: the body was read as JSON and passed the flow's schema (an unread body would be a 400).
    expect(res.status).toBe(202);
  });

  it('answers 415 for a content type it cannot read, and 413 for a body over the limit', async () => {
    const raw = order('ord_xml');
    const xml = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/xml', 'x-shopify-hmac-sha256': sign(raw) }, body: '<order/>' });
    expect(xml.status).toBe(415);
    const big = JSON.stringify({ ...orderPlacedExample, customerName: 'x'.repeat(1_100_000) });
    const tooLarge = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': sign(big) }, body: big });
    expect(tooLarge.status).toBe(413);
  });
});
