/**
 * Webhooks that cannot be forged, replayed or pre-empted, attacked through the real API and a real
 * Temporal. Two systems: one whose flows are signed (Standard Webhooks for a start flow and an
 * entity flow, Stripe for another), one with the demo CRM's unsigned flows beside a GitHub-style
 * flow whose signature covers the body only.
 *
 * Each attack and what it gets:
 * - a forged signature, or a captured delivery replayed after the tolerance: 401, nothing starts;
 * - a captured signed delivery resent with a new, unsigned header id: 202 `duplicate: true`, no run;
 * - a Standard Webhooks delivery replayed under another `webhook-id`: 401 (the id is signed);
 * - posting first to an unsigned flow under a guessed header id: the real delivery with that id
 *   still starts its own run (the id is bound to the body's hash);
 * - replaying a captured signed delivery under a future delivery's header id: a duplicate of the
 *   captured one, and the future delivery still starts;
 * - an entity event redelivered: applied once.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { z } from 'zod';
import { demoCrm } from '../../connectors/demo-crm/application';
import { defineApplication } from '../../applications/framework/application';
import { secret } from '../../applications/framework/secret';
import { githubSignature, standardWebhooksSignature, stripeSignature, type SignatureScheme } from '../../applications/framework/webhook-signature';
import { ENGINE_ORIGIN } from '../../connectors/framework/change-origin';
import { MailerContactEvent } from '../../connectors/demo-mailer/schemas';
import { applyMailerChangeToCrm } from '../../workflows/apply-mailer-change-to-crm';
import { defineFlows, entityWebhook, flow, webhook } from '../../workflows/framework/flow';
import { unsigned } from '../../workflows/framework/webhook-verification';
import { orderPlaced } from '../../workflows/order-placed';
import { OrderPlaced, orderPlacedExample } from '../../workflows/order-placed.schema';
import { ticketEventSignal, ticketLifecycle, ticketStateQuery, type TicketState } from '../../workflows/ticket-lifecycle';
import { TicketEvent, ticketEventExample } from '../../workflows/ticket-lifecycle.schema';
import { eventually, getJson, startTestSystem, type TestSystem } from '../support/system';

const STANDARD_SECRET = 'whsec_c2VjdXJpdHktdGVzdC1ub3QtYS1yZWFsLXNlY3JldA';
const STRIPE_SECRET = 'whsec_stripe-security-test-not-real';
const GITHUB_SECRET = 'github-security-test-not-real';
const ATTACKER_SECRET = 'whsec_YXR0YWNrZXItZ3Vlc3NlZC1zZWNyZXQ';

const signedApplication = (name: string, signature: SignatureScheme) =>
  defineApplication({
    name,
    title: name,
    settings: z.object({ baseUrl: z.url() }),
    credentials: z.object({ webhookSecret: secret('Signing secret') }),
    baseUrl: (settings) => settings.baseUrl,
    auth: { kind: 'none' },
    webhooks: { signature, secret: (credentials) => credentials.webhookSecret },
  });

const standardApp = signedApplication('sec-standard', standardWebhooksSignature());
const stripeApp = signedApplication('sec-stripe', stripeSignature());
const githubApp = signedApplication('sec-github', githubSignature());

// Events the mirror flow drops at once (our own origin), so its runs finish without calling anyone.
const contactEvent = (id: string): z.input<typeof MailerContactEvent> => ({
  id,
  type: 'contact.updated',
  occurredAt: '2026-11-23T10:00:00.000Z',
  origin: ENGINE_ORIGIN,
  contact: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', subscribed: true, updatedAt: '2026-11-23T10:00:00.000Z', version: 2, changedBy: 'engine' },
});

const signedFlows = defineFlows([
  flow(orderPlaced, { application: standardApp, description: 'test', trigger: webhook({ path: 'sec-standard/orders', body: OrderPlaced, example: orderPlacedExample }) }),
  flow(ticketLifecycle, {
    application: standardApp,
    description: 'test',
    trigger: entityWebhook({ path: 'sec-standard/tickets', body: TicketEvent, example: ticketEventExample, signal: ticketEventSignal, entityId: (event) => event.ticketId }),
  }),
  flow(applyMailerChangeToCrm, { application: stripeApp, description: 'test', trigger: webhook({ path: 'sec-stripe/events', body: MailerContactEvent, example: contactEvent('evt_example') }) }),
]);

const mixedFlows = defineFlows([
  flow(orderPlaced, { application: demoCrm, description: 'test', trigger: webhook({ path: 'demo-crm/orders', body: OrderPlaced, example: orderPlacedExample, verification: unsigned() }) }),
  flow(ticketLifecycle, {
    application: demoCrm,
    description: 'test',
    trigger: entityWebhook({
      path: 'demo-crm/ticket-events',
      body: TicketEvent,
      example: ticketEventExample,
      signal: ticketEventSignal,
      entityId: (event) => event.ticketId,
      verification: unsigned(),
    }),
  }),
  flow(applyMailerChangeToCrm, {
    application: githubApp,
    description: 'test',
    trigger: webhook({ path: 'sec-github/events', body: MailerContactEvent, example: contactEvent('evt_example'), deliveryIdHeader: 'x-github-delivery' }),
  }),
]);

interface Answer {
  status: number;
  body: any;
}

/** A provider's POST: raw bytes (signatures cover bytes), no API key (webhooks are public). */
async function deliver(url: string, raw: string, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function runsOf(system: TestSystem, workflowId: string): Promise<string[]> {
  const runs: string[] = [];
  for await (const run of system.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) runs.push(run.runId);
  return runs;
}

const exists = (system: TestSystem, workflowId: string) =>
  system.client.workflow
    .getHandle(workflowId)
    .describe()
    .then(
      () => true,
      (err) => (err instanceof WorkflowNotFoundError ? false : Promise.reject(err)),
    );

const unique = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

// -- Signed flows ------------------------------------------------------------------------------

describe('signed flows', () => {
  let system: TestSystem;
  const url: Record<'standard' | 'tickets' | 'stripe', string> = { standard: '', tickets: '', stripe: '' };
  const channelIds: Record<string, string> = {};
  const stripe = new Stripe('sk_test_not-used-no-requests-are-made');

  beforeAll(async () => {
    system = await startTestSystem({ flows: signedFlows });
    const channel = async (application: string, webhookSecret: string) =>
      (await system.channels.create({ application, name: application, settings: { baseUrl: 'http://127.0.0.1:9' }, credentials: { webhookSecret }, enabled: true, authStatus: 'not-required' })).id;
    channelIds.standard = await channel('sec-standard', STANDARD_SECRET);
    channelIds.stripe = await channel('sec-stripe', STRIPE_SECRET);
    url.standard = `${system.apiUrl}/webhooks/sec-standard/orders/${channelIds.standard}`;
    url.tickets = `${system.apiUrl}/webhooks/sec-standard/tickets/${channelIds.standard}`;
    url.stripe = `${system.apiUrl}/webhooks/sec-stripe/events/${channelIds.stripe}`;
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** Standard Webhooks headers as the reference library signs them. */
  const standardHeaders = (raw: string, id: string, at = Date.now(), key = STANDARD_SECRET) => ({
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at / 1000)),
    'webhook-signature': new Webhook(key).sign(id, new Date(at), raw),
  });
  const stripeHeader = (raw: string, timestamp = nowSeconds(), key = STRIPE_SECRET) => ({ 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: raw, secret: key, timestamp }) });

  describe('Standard Webhooks', () => {
    const order = (orderId: string) => JSON.stringify({ ...orderPlacedExample, orderId });

    it('takes the signed webhook-id as the delivery id, whatever unsigned header id comes along', async () => {
      const id = unique('msg');
      const raw = order(unique('ord'));
      const first = await deliver(url.standard, raw, { ...standardHeaders(raw, id), 'x-delivery-id': 'chosen-by-sender' });
      expect(first).toMatchObject({ status: 202, body: { deliveryId: id, workflowId: `orderPlaced/${channelIds.standard}/${id}` } });
      expect(first.body.duplicate).toBeUndefined();
    });

    it('refuses a forged signature (another secret) with 401 and starts nothing', async () => {
      const id = unique('msg');
      const raw = order(unique('ord'));
      const forged = await deliver(url.standard, raw, standardHeaders(raw, id, Date.now(), ATTACKER_SECRET));
      expect(forged.status).toBe(401);
      expect(forged.body.message).toMatch(/webhook-signature does not match/);
      expect(await exists(system, `orderPlaced/${channelIds.standard}/${id}`)).toBe(false);
    });

    it('refuses a captured delivery replayed after the tolerance with 401', async () => {
      const id = unique('msg');
      const raw = order(unique('ord'));
      const stale = await deliver(url.standard, raw, standardHeaders(raw, id, Date.now() - 301_000));
      expect(stale.status).toBe(401);
      expect(stale.body.message).toMatch(/webhook-timestamp is outside the 300 s tolerance/);
      expect(await exists(system, `orderPlaced/${channelIds.standard}/${id}`)).toBe(false);
    });

    it('refuses a captured delivery replayed under another webhook-id (the id is signed)', async () => {
      const raw = order(unique('ord'));
      const captured = standardHeaders(raw, unique('msg'));
      expect((await deliver(url.standard, raw, captured)).status).toBe(202);
      const guessed = unique('msg');
      const replayed = await deliver(url.standard, raw, { ...captured, 'webhook-id': guessed });
      expect(replayed.status).toBe(401);
      expect(await exists(system, `orderPlaced/${channelIds.standard}/${guessed}`)).toBe(false);
    });

    it("answers a replay inside the tolerance, and the sender's own retry (re-signed later), as duplicates: one run", async () => {
      const id = unique('msg');
      const raw = order(unique('ord'));
      const headers = standardHeaders(raw, id);
      const first = await deliver(url.standard, raw, headers);
      const replay = await deliver(url.standard, raw, { ...headers, 'x-delivery-id': 'a-fresh-unsigned-id' });
      const retry = await deliver(url.standard, raw, standardHeaders(raw, id, Date.now() + 2_000));
      expect([first.status, replay.status, retry.status]).toEqual([202, 202, 202]);
      expect(replay.body).toMatchObject({ workflowId: first.body.workflowId, runId: first.body.runId, duplicate: true });
      expect(retry.body).toMatchObject({ workflowId: first.body.workflowId, runId: first.body.runId, duplicate: true });
      expect(await runsOf(system, first.body.workflowId)).toEqual([first.body.runId]);
    });
  });

  describe('Stripe', () => {
    it('takes the event id in the signed body: resent with a new header id, or re-signed later, it is a duplicate', async () => {
      const eventId = unique('evt');
      const raw = JSON.stringify(contactEvent(eventId));
      const first = await deliver(url.stripe, raw, { ...stripeHeader(raw), 'x-delivery-id': 'first-header-id' });
      expect(first).toMatchObject({ status: 202, body: { deliveryId: eventId, workflowId: `applyMailerChangeToCrm/${channelIds.stripe}/${eventId}` } });
      const newHeader = await deliver(url.stripe, raw, { ...stripeHeader(raw), 'x-delivery-id': 'a-new-header-id' });
      const laterRetry = await deliver(url.stripe, raw, stripeHeader(raw, nowSeconds() + 5));
      for (const again of [newHeader, laterRetry]) expect(again).toMatchObject({ status: 202, body: { workflowId: first.body.workflowId, runId: first.body.runId, duplicate: true } });
      expect(await runsOf(system, first.body.workflowId)).toEqual([first.body.runId]);
      // Another event is another delivery.
      const other = JSON.stringify(contactEvent(unique('evt')));
      const second = await deliver(url.stripe, other, stripeHeader(other));
      expect(second.status).toBe(202);
      expect(second.body.workflowId).not.toBe(first.body.workflowId);
    });

    it('refuses a forged signature and a delivery replayed after the tolerance with 401, starting nothing', async () => {
      const eventId = unique('evt');
      const raw = JSON.stringify(contactEvent(eventId));
      const forged = await deliver(url.stripe, raw, stripeHeader(raw, nowSeconds(), 'whsec_attacker'));
      const stale = await deliver(url.stripe, raw, stripeHeader(raw, nowSeconds() - 301));
      expect([forged.status, stale.status]).toEqual([401, 401]);
      expect(forged.body.message).toMatch(/stripe-signature does not match/);
      expect(stale.body.message).toMatch(/tolerance/);
      expect(await exists(system, `applyMailerChangeToCrm/${channelIds.stripe}/${eventId}`)).toBe(false);
    });
  });

  describe('entity flows', () => {
    const ticketEvent = (ticketId: string, type: 'opened' | 'commented' | 'closed') => JSON.stringify({ ticketId, contactId: 'c_1', type, text: type });

    it('applies a redelivered event once (same webhook-id, re-signed), and keeps the ids it applied', async () => {
      const ticketId = unique('T');
      const opened = ticketEvent(ticketId, 'opened');
      const openedId = unique('msg');
      const answers = [await deliver(url.tickets, opened, standardHeaders(opened, openedId)), await deliver(url.tickets, opened, standardHeaders(opened, openedId, Date.now() + 1_000))];
      const commented = ticketEvent(ticketId, 'commented');
      const commentedId = unique('msg');
      answers.push(await deliver(url.tickets, commented, standardHeaders(commented, commentedId)));
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
      expect(answers.map((a) => a.body.deliveryId)).toEqual([openedId, openedId, commentedId]);
      expect(new Set(answers.map((a) => a.body.runId)).size).toBe(1);

      // Signals are applied in order: once the last one shows, the redelivery before it was seen too.
      const handle = system.client.workflow.getHandle(answers[0]!.body.workflowId);
      const state = await eventually(
        async () => {
          const current = await handle.query(ticketStateQuery);
          return current.events.some((e) => e.type === 'commented') ? current : undefined;
        },
        20_000,
        'the comment in the ticket state',
      );
      expect(state).toEqual<TicketState>({ events: [expect.objectContaining({ type: 'opened' }), expect.objectContaining({ type: 'commented' })], count: 2, deliveries: [openedId, commentedId] });
    });
  });

  it("shows every webhook trigger's signature scheme and delivery id source in GET /flows, and warns about no flow", async () => {
    const { status, body } = await getJson(`${system.apiUrl}/flows`);
    expect(status).toBe(200);
    const triggers = Object.fromEntries((body as Array<{ trigger: { path: string } }>).map((f) => [f.trigger.path, f.trigger]));
    expect(triggers['sec-standard/orders']).toMatchObject({ signature: { scheme: 'standard-webhooks', header: 'webhook-signature' }, deliveryId: { source: 'signed-header', header: 'webhook-id' } });
    expect(triggers['sec-standard/tickets']).toMatchObject({ mode: 'signal', signature: { scheme: 'standard-webhooks', header: 'webhook-signature' } });
    expect(triggers['sec-stripe/events']).toMatchObject({ signature: { scheme: 'stripe', header: 'stripe-signature' }, deliveryId: { source: 'signed-body-field', field: 'id' } });
    expect(system.apiLogLines.filter((line) => line.includes('accepts unsigned deliveries'))).toEqual([]);
  });
});

// -- Unsigned flows beside a body-only signature -------------------------------------------------

describe('unsigned flows, and a signature that covers the body only', () => {
  let system: TestSystem;
  let githubUrl = '';
  let ordersUrl = '';
  let githubChannel = '';

  beforeAll(async () => {
    system = await startTestSystem({ flows: mixedFlows });
    githubChannel = (
      await system.channels.create({
        application: 'sec-github',
        name: 'github',
        settings: { baseUrl: 'http://127.0.0.1:9' },
        credentials: { webhookSecret: GITHUB_SECRET },
        enabled: true,
        authStatus: 'not-required',
      })
    ).id;
    githubUrl = `${system.apiUrl}/webhooks/sec-github/events/${githubChannel}`;
    ordersUrl = `${system.apiUrl}/webhooks/demo-crm/orders`;
  });
  afterAll(async () => {
    await system?.stop();
  });

  const github = (raw: string, deliveryId: string) => ({ 'x-hub-signature-256': `sha256=${createHmac('sha256', GITHUB_SECRET).update(raw).digest('hex')}`, 'x-github-delivery': deliveryId });
  const bodyHashId = (raw: string) => `sha256-${createHash('sha256').update(raw).digest('hex').slice(0, 32)}`;

  it("lets nobody pre-empt a delivery: a post under a guessed header id does not take the real delivery's run", async () => {
    const guessed = unique('order');
    const attack = await deliver(ordersUrl, JSON.stringify({ ...orderPlacedExample, orderId: 'ord_fake', customerEmail: 'mallory@example.com' }), { 'x-delivery-id': guessed });
    expect(attack.status).toBe(202); // unsigned: anyone may post, but only under an id bound to their own body
    const realBody = JSON.stringify({ ...orderPlacedExample, orderId: unique('ord_real'), customerEmail: 'grace.lovelace.2@example.com' });
    const real = await deliver(ordersUrl, realBody, { 'x-delivery-id': guessed });
    expect(real.status).toBe(202);
    expect(real.body.duplicate).toBeUndefined();
    expect(real.body.workflowId).not.toBe(attack.body.workflowId);
    expect(real.body.deliveryId).toMatch(new RegExp(`^${guessed}-[0-9a-f]{16}$`));
    // The real order is the one its run records, and the provider's own redelivery is still recognised.
    const result = await system.client.workflow.getHandle(real.body.workflowId).result();
    expect(result).toEqual({ contactId: 'c_2', noteId: expect.any(String) });
    const redelivered = await deliver(ordersUrl, realBody, { 'x-delivery-id': guessed });
    expect(redelivered.body).toMatchObject({ workflowId: real.body.workflowId, runId: real.body.runId, duplicate: true });
  });

  it('treats a body-only signed delivery resent with a new header id as a duplicate (the header is not signed)', async () => {
    const raw = JSON.stringify(contactEvent(unique('gh')));
    const first = await deliver(githubUrl, raw, github(raw, randomUUID()));
    expect(first).toMatchObject({ status: 202, body: { deliveryId: bodyHashId(raw) } });
    const resent = await deliver(githubUrl, raw, github(raw, randomUUID()));
    expect(resent.body).toMatchObject({ workflowId: first.body.workflowId, runId: first.body.runId, duplicate: true });
    expect(await runsOf(system, first.body.workflowId)).toEqual([first.body.runId]);
  });

  it("keeps a captured delivery replayed under a future delivery's header id from taking that delivery's run", async () => {
    const captured = JSON.stringify(contactEvent(unique('gh')));
    const first = await deliver(githubUrl, captured, github(captured, randomUUID()));
    const futureId = randomUUID();
    const replay = await deliver(githubUrl, captured, github(captured, futureId));
    expect(replay.body).toMatchObject({ workflowId: first.body.workflowId, duplicate: true });
    const future = JSON.stringify(contactEvent(unique('gh')));
    const real = await deliver(githubUrl, future, github(future, futureId));
    expect(real.status).toBe(202);
    expect(real.body.duplicate).toBeUndefined();
    expect(real.body.workflowId).toBe(`applyMailerChangeToCrm/${githubChannel}/${bodyHashId(future)}`);
  });

  it('refuses a forged body-only signature with 401', async () => {
    const raw = JSON.stringify(contactEvent(unique('gh')));
    const forged = await deliver(githubUrl, raw, { ...github(raw, randomUUID()), 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` });
    expect(forged.status).toBe(401);
    expect(await exists(system, `applyMailerChangeToCrm/${githubChannel}/${bodyHashId(raw)}`)).toBe(false);
  });

  it('applies a redelivered entity event once on an unsigned flow too (same header id, same bytes)', async () => {
    const ticketId = unique('T');
    const url = `${system.apiUrl}/webhooks/demo-crm/ticket-events`;
    const opened = JSON.stringify({ ticketId, contactId: 'c_3', type: 'opened', text: 'opened' });
    const closed = JSON.stringify({ ticketId, contactId: 'c_3', type: 'closed', text: 'closed' });
    const answers = [await deliver(url, opened, { 'x-delivery-id': 'tk-1' }), await deliver(url, opened, { 'x-delivery-id': 'tk-1' }), await deliver(url, closed, { 'x-delivery-id': 'tk-2' })];
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(answers[0]!.body.deliveryId).toBe(answers[1]!.body.deliveryId);
    const state: TicketState = await system.client.workflow.getHandle(answers[0]!.body.workflowId).result();
    expect(state.events.map((e) => e.type)).toEqual(['opened', 'closed']);
    expect(system.crm.notes).toContainEqual(expect.objectContaining({ contactId: 'c_3', text: `Ticket ${ticketId} closed after 2 events: opened → closed` }));
  });

  it('shows "unsigned" in GET /flows for the opted-in flows, and warned about them when the API started', async () => {
    const { body } = await getJson(`${system.apiUrl}/flows`);
    const triggers = Object.fromEntries((body as Array<{ trigger: { path: string } }>).map((f) => [f.trigger.path, f.trigger]));
    expect(triggers['demo-crm/orders']).toMatchObject({ signature: 'unsigned', deliveryId: { source: 'header-and-body-hash', header: 'x-delivery-id' } });
    expect(triggers['demo-crm/ticket-events']).toMatchObject({ signature: 'unsigned' });
    expect(triggers['sec-github/events']).toMatchObject({ signature: { scheme: 'hmac-sha256', header: 'x-hub-signature-256' }, deliveryId: { source: 'body-hash' } });
    const warnings = system.apiLogLines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((entry) => entry.msg?.includes('accepts unsigned deliveries'));
    expect(warnings.map((w) => [w.level, w.msg.split(' ')[2]])).toEqual([
      [40, 'orderPlaced'],
      [40, 'ticketLifecycle'],
    ]);
  });
});
