/**
 * The delivery id that dedupes a webhook: part of the workflow id of a started run (a second start
 * with it is refused by Temporal), and sent with an entity's signal (the workflow ignores an id it
 * applied). Two attacks shape where it comes from:
 *
 * - Pre-emption: posting first, under the id a future real delivery will carry, so that one is
 *   dropped as a duplicate. An unsigned flow accepts anyone's post, so a header id (or a body field)
 *   alone would let anyone occupy any id they can guess. Its id is therefore `<header id>-<first 16
 *   hex of sha256(body)>`: a post with another body lands on another id, and the provider's own
 *   redelivery (same id, same bytes) still meets its first delivery.
 * - Replay under a new id: resending a captured, validly signed delivery with a fresh header id to
 *   run it again (or with a guessed future id, to pre-empt with it). An id the signature does not
 *   cover must not make a delivery new, so it is not used at all when the body is signed:
 *   - a signed id is the id: Standard Webhooks' `webhook-id`;
 *   - else the provider's event id in the signed body (Stripe's `id`, or the flow's `bodyField`);
 *   - else, for a signed body that is an array of events (HubSpot), the events' ids: one event's
 *     own id, or `events-<32 hex of sha256 of the sorted ids>` for a batch. HubSpot's retry resends
 *     the same events with `attemptNumber` raised, so the body's hash would make it new;
 *   - else the body's hash alone (`sha256-<32 hex>`, GitHub, Shopify, the demo mailer): whatever
 *     header id comes with the same signed bytes, they are one delivery. Two genuinely distinct
 *     events with identical bytes are indistinguishable from a replay under such a signature, so
 *     treating them as one is the only safe reading; providers put event ids and times in bodies.
 *   Timestamped schemes (Stripe, Slack, Standard Webhooks) also bound a replay to their tolerance.
 *
 * A shared-secret header proves the sender knows the secret but covers no bytes: its deliveries are
 * treated like unsigned ones. A header id that is present is always checked for shape (400), used
 * or not, so a malformed one never passes silently.
 */
import { createHash, randomUUID } from 'node:crypto';
import { BadRequestException } from '@nestjs/common';
import type { SignatureScheme } from '../../applications/framework/webhook-signature';
import type { WebhookTrigger } from '../../workflows/framework/flow';

/** Letters, digits and `. _ : -`, so a workflow id `<flow>/<channel>/<id>` stays readable and valid. */
export const DELIVERY_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Where a flow's delivery ids come from: what GET /flows shows, and what `deliveryIdOf` applies. */
export type DeliveryIdRule =
  | { source: 'signed-header'; header: string }
  | { source: 'signed-body-field'; field: string }
  | { source: 'signed-event-ids'; field: string }
  | { source: 'body-hash' }
  | { source: 'header-and-body-hash'; header: string; field?: string };

export function deliveryIdRule(trigger: WebhookTrigger, scheme: SignatureScheme | undefined): DeliveryIdRule {
  const header = trigger.deliveryIdHeader ?? 'x-delivery-id';
  if (!scheme?.signs.body) return { source: 'header-and-body-hash', header, ...(trigger.deliveryId ? { field: trigger.deliveryId.bodyField } : {}) };
  // The flow's own field wins: it knows its provider's payload better than a scheme's default.
  if (trigger.deliveryId) return { source: 'signed-body-field', field: trigger.deliveryId.bodyField };
  if (scheme.signs.idHeader) return { source: 'signed-header', header: scheme.signs.idHeader };
  if (scheme.signs.idField) return { source: 'signed-body-field', field: scheme.signs.idField };
  if (scheme.signs.eventIdField) return { source: 'signed-event-ids', field: scheme.signs.eventIdField };
  return { source: 'body-hash' };
}

export interface DeliveryMaterial {
  /** The bytes as received (absent for an empty body). */
  rawBody?: Buffer;
  /** The body as parsed from those bytes, before the flow's schema (which may drop fields). */
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** Throws 400 for a header id of the wrong shape. */
export function deliveryIdOf(rule: DeliveryIdRule, trigger: WebhookTrigger, delivery: DeliveryMaterial): string {
  const headerId = headerValue(delivery.headers, trigger.deliveryIdHeader ?? 'x-delivery-id');
  switch (rule.source) {
    case 'signed-header': {
      // The signature check already required it; its shape is checked like any header id.
      return headerValue(delivery.headers, rule.header) ?? bodyHash(delivery.rawBody);
    }
    case 'signed-body-field':
      return bodyField(delivery.body, rule.field) ?? bodyHash(delivery.rawBody);
    case 'signed-event-ids':
      return eventIds(delivery.body, rule.field) ?? bodyHash(delivery.rawBody);
    case 'body-hash':
      return bodyHash(delivery.rawBody);
    case 'header-and-body-hash': {
      const id = headerId ?? (rule.field ? bodyField(delivery.body, rule.field) : undefined);
      return id ? boundToBody(id, delivery.rawBody) : bodyHash(delivery.rawBody);
    }
  }
}

/** `<id>-<16 hex of sha256(body)>`: an id someone else can post first only with the same bytes. */
export function boundToBody(id: string, rawBody: Buffer | undefined): string {
  return `${id}-${sha256(rawBody ?? Buffer.alloc(0)).slice(0, 16)}`;
}

function headerValue(headers: DeliveryMaterial['headers'], name: string): string | undefined {
  const raw = Object.prototype.hasOwnProperty.call(headers, name) ? headers[name] : undefined;
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  if (!DELIVERY_ID.test(value)) throw new BadRequestException(`delivery id (header ${name}) must be 1-128 characters of letters, digits and . _ : -`);
  return value;
}

/** A top-level string or integer field that fits the id pattern; anything else falls back to the hash. */
function bodyField(body: unknown, field: string): string | undefined {
  if (typeof body !== 'object' || body === null || !Object.prototype.hasOwnProperty.call(body, field)) return undefined;
  const value: unknown = (body as Record<string, unknown>)[field];
  const id = typeof value === 'string' ? value : Number.isSafeInteger(value) ? String(value) : undefined;
  return id !== undefined && DELIVERY_ID.test(id) ? id : undefined;
}

/**
 * An array of events' ids: one event's id as it is, several as the hash of the sorted ids (the
 * order a batch comes in says nothing). Any event without a usable id: undefined (the body's hash).
 */
function eventIds(body: unknown, field: string): string | undefined {
  if (!Array.isArray(body) || body.length === 0) return undefined;
  const ids: string[] = [];
  for (const event of body) {
    const id = bodyField(event, field);
    if (id === undefined) return undefined;
    ids.push(id);
  }
  if (ids.length === 1) return ids[0];
  const unique = [...new Set(ids)].sort();
  return `events-${sha256(Buffer.from(unique.join('\n'))).slice(0, 32)}`;
}

/** The exact bytes' hash, so a redelivery of them is recognised; an empty body has nothing to recognise. */
function bodyHash(rawBody: Buffer | undefined): string {
  return rawBody?.length ? `sha256-${sha256(rawBody).slice(0, 32)}` : randomUUID();
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
