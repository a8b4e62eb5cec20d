/**
 * HubSpot webhook requests as HubSpot sends them
 * (https://developers.hubspot.com/docs/api-reference/webhooks-webhooks-v3/guide): a POST whose
 * body is an array of up to 100 events, signed with the v3 signature by HubSpot's own Node SDK
 * (@hubspot/api-client's `Signature`), which also checks what it signed.
 */
import { Signature } from '@hubspot/api-client';

export interface HubSpotWebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  changeSource: string;
  changeFlag?: string;
  propertyName?: string;
  propertyValue?: string;
  sourceId?: string;
}

let nextEventId = 1_000_000 + Math.floor(Math.random() * 1_000_000);

/** One event, shaped as HubSpot's documentation's examples (contact.propertyChange unless told otherwise). */
export function hubspotEvent(overrides: Partial<HubSpotWebhookEvent> = {}): HubSpotWebhookEvent {
  return {
    eventId: nextEventId++,
    subscriptionId: 12345,
    portalId: 62515,
    appId: 54321,
    occurredAt: Date.now(),
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 0,
    objectId: 123,
    changeSource: 'CRM',
    propertyName: 'lifecyclestage',
    propertyValue: 'customer',
    ...overrides,
  };
}

/** The v3 headers HubSpot sends for `method url body`, signed by the SDK and checked by it. */
export function signV3(clientSecret: string, method: string, url: string, body: string, timestamp = Date.now()): Record<string, string> {
  const signature = Signature.getSignature(method, 'v3', { clientSecret, requestBody: body, url, timestamp, signature: '' });
  if (Math.abs(Date.now() - timestamp) < Signature.MAX_ALLOWED_TIMESTAMP && !Signature.isValid({ signatureVersion: 'v3', method, clientSecret, requestBody: body, url, timestamp, signature })) {
    throw new Error('the SDK does not accept its own signature');
  }
  return { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) };
}
