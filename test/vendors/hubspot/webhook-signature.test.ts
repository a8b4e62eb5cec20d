/**
 * HubSpot's v3 webhook signature against HubSpot's own Node SDK: @hubspot/api-client's
 * `Signature.getSignature` signs (the engine must accept it) and `Signature.isValid` verifies what
 * the documented algorithm produces (the test's signer agrees with it); and how a HubSpot batch of
 * events becomes one delivery id.
 */
import { createHmac } from 'node:crypto';
import { Signature } from '@hubspot/api-client';
import { hubspotSignature, hubspotSignedUri, type SignatureRequest } from '../../../applications/framework/webhook-signature';
import { deliveryIdOf, deliveryIdRule } from '../../../api/webhooks/delivery-id';
import { hubspot } from '../../../connectors/hubspot/application';
import type { WebhookTrigger } from '../../../workflows/framework/flow';
import { hubspotEvent, signV3 } from './events';

const SECRET = 'hubspot-client-secret-not-a-real-one';
const URL_CALLED = 'https://engine.example.com/webhooks/hubspot/events/ch_123';
const scheme = hubspotSignature();

function request(body: string, headers: Record<string, string>, overrides: Partial<SignatureRequest> = {}): SignatureRequest {
  return { rawBody: Buffer.from(body), headers, secret: SECRET, now: Date.now(), method: 'POST', url: URL_CALLED, ...overrides };
}

describe('hubspotSignature (v3)', () => {
  const body = JSON.stringify([hubspotEvent({ propertyValue: 'Zoë ✓' })]);

  it("accepts what HubSpot's SDK signs", () => {
    expect(scheme.verify(request(body, signV3(SECRET, 'POST', URL_CALLED, body)))).toEqual({ ok: true });
  });

  it("signs as the documented algorithm does, which the SDK's isValid accepts", () => {
    const timestamp = Date.now();
    const signature = createHmac('sha256', SECRET).update(`POST${URL_CALLED}${body}${timestamp}`).digest('base64');
    expect(Signature.isValid({ signatureVersion: 'v3', method: 'POST', url: URL_CALLED, requestBody: body, clientSecret: SECRET, timestamp, signature })).toBe(true);
    expect(scheme.verify(request(body, { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) }))).toEqual({ ok: true });
  });

  it.each([
    ['another secret', () => request(body, signV3('another-secret', 'POST', URL_CALLED, body)), 'x-hubspot-signature-v3'],
    ['a changed body', () => request(body.replace('Zoë', 'Zoe'), signV3(SECRET, 'POST', URL_CALLED, body)), 'x-hubspot-signature-v3'],
    ['another URL (a delivery replayed to another channel)', () => request(body, signV3(SECRET, 'POST', URL_CALLED.replace('ch_123', 'ch_456'), body)), 'x-hubspot-signature-v3'],
    ['another method', () => request(body, signV3(SECRET, 'PUT', URL_CALLED, body)), 'x-hubspot-signature-v3'],
    ['a timestamp other than the signed one', () => request(body, { ...signV3(SECRET, 'POST', URL_CALLED, body), 'x-hubspot-request-timestamp': String(Date.now() + 1) }), 'x-hubspot-signature-v3'],
    ['a timestamp older than 5 minutes', () => request(body, signV3(SECRET, 'POST', URL_CALLED, body, Date.now() - 301_000)), /x-hubspot-request-timestamp.*tolerance/],
    ['a timestamp 5 minutes ahead', () => request(body, signV3(SECRET, 'POST', URL_CALLED, body, Date.now() + 301_000)), /tolerance/],
    ['a timestamp in seconds', () => request(body, signV3(SECRET, 'POST', URL_CALLED, body, Math.floor(Date.now() / 1000))), /tolerance/],
    ['no timestamp', () => request(body, { 'x-hubspot-signature-v3': signV3(SECRET, 'POST', URL_CALLED, body)['x-hubspot-signature-v3']! }), 'x-hubspot-request-timestamp is missing'],
    ['no signature', () => request(body, { 'x-hubspot-request-timestamp': String(Date.now()) }), 'x-hubspot-signature-v3 is missing'],
    ['a v1 signature only', () => request(body, { 'x-hubspot-signature': 'abc', 'x-hubspot-signature-version': 'v1' }), 'x-hubspot-signature-v3 is missing'],
    ['no known URL (PUBLIC_URL)', () => request(body, signV3(SECRET, 'POST', URL_CALLED, body), { url: undefined }), /PUBLIC_URL/],
  ])('refuses %s', (_name, make, reason) => {
    const check = scheme.verify(make());
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.reason).toMatch(reason);
      expect(check.reason).not.toContain(SECRET);
    }
  });

  it('accepts a timestamp inside the 5 minutes on either side', () => {
    for (const offset of [-299_000, -1, 0, 299_000]) expect(scheme.verify(request(body, signV3(SECRET, 'POST', URL_CALLED, body, Date.now() + offset)))).toEqual({ ok: true });
  });

  it('decodes only the characters HubSpot decodes before signing the URI', () => {
    const called = 'https://engine.example.com/webhooks/hubspot/events/ch_1?tag=a%3Ab%2Cc%20d%2525';
    expect(hubspotSignedUri(called)).toBe('https://engine.example.com/webhooks/hubspot/events/ch_1?tag=a:b,c%20d%2525');
    const headers = signV3(SECRET, 'POST', hubspotSignedUri(called), body);
    expect(scheme.verify(request(body, headers, { url: called }))).toEqual({ ok: true });
  });

  it('is what the hubspot application verifies with, keyed by the channel credential webhookSecret', () => {
    expect(hubspot.webhooks!.signature.kind).toBe('hubspot-v3');
    expect(hubspot.webhooks!.secret({ accessToken: 't', webhookSecret: SECRET })).toBe(SECRET);
  });
});

describe('delivery ids of HubSpot batches', () => {
  const trigger = { type: 'webhook', mode: 'start', path: 'hubspot/events' } as unknown as WebhookTrigger;
  const rule = deliveryIdRule(trigger, scheme);
  const idOf = (events: unknown[]) => {
    const raw = JSON.stringify(events);
    return deliveryIdOf(rule, trigger, { rawBody: Buffer.from(raw), body: JSON.parse(raw), headers: {} });
  };

  it("is the event's eventId for one event, and stays it when HubSpot retries (attemptNumber 1)", () => {
    expect(rule).toEqual({ source: 'signed-event-ids', field: 'eventId' });
    const event = hubspotEvent({ eventId: 100 });
    expect(idOf([event])).toBe('100');
    expect(idOf([{ ...event, attemptNumber: 1 }])).toBe('100');
  });

  it("is the hash of a batch's sorted event ids: a retry in another order is the same delivery, another batch is not", () => {
    const [a, b, c] = [hubspotEvent({ eventId: 1 }), hubspotEvent({ eventId: 2 }), hubspotEvent({ eventId: 3 })];
    const id = idOf([a, b]);
    expect(id).toMatch(/^events-[0-9a-f]{32}$/);
    expect(
      idOf([
        { ...b, attemptNumber: 1 },
        { ...a, attemptNumber: 1 },
      ]),
    ).toBe(id);
    expect(idOf([a, b, c])).not.toBe(id);
  });

  it("falls back to the signed body's hash when an event has no usable id", () => {
    expect(idOf([{ ...hubspotEvent(), eventId: 'not an id!' }])).toMatch(/^sha256-/);
    expect(idOf([])).toMatch(/^sha256-/);
  });
});
