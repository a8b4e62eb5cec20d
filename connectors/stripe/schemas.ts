/**
 * The parts of Stripe's objects the connectors type (https://docs.stripe.com/api), kept loose: the
 * rest of each object passes through as Stripe sent it, so flows see what the API version returns.
 */
import { z } from 'zod';

const id = (prefix: string) => z.string().startsWith(prefix);
const metadata = z.record(z.string(), z.string());
/** An expandable field: the id, or the object when the request expanded it. */
const expandable = (prefix: string) => z.union([id(prefix), z.looseObject({ id: id(prefix) })]);

export const Customer = z.looseObject({
  id: id('cus_'),
  object: z.literal('customer'),
  email: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  created: z.number().int(),
  livemode: z.boolean(),
  metadata: metadata.optional(),
});
export type Customer = z.output<typeof Customer>;

export const DeletedCustomer = z.looseObject({ id: id('cus_'), object: z.literal('customer'), deleted: z.literal(true) });

export const Invoice = z.looseObject({
  id: id('in_'),
  object: z.literal('invoice'),
  customer: expandable('cus_').nullable(),
  customer_email: z.string().nullable().optional(),
  status: z.enum(['draft', 'open', 'paid', 'uncollectible', 'void']).nullable(),
  currency: z.string(),
  amount_due: z.number().int(),
  amount_paid: z.number().int(),
  amount_remaining: z.number().int(),
  number: z.string().nullable().optional(),
  hosted_invoice_url: z.string().nullable().optional(),
  created: z.number().int(),
  livemode: z.boolean(),
  metadata: metadata.nullable().optional(),
});
export type Invoice = z.output<typeof Invoice>;

export const PaymentIntent = z.looseObject({
  id: id('pi_'),
  object: z.literal('payment_intent'),
  amount: z.number().int(),
  amount_received: z.number().int().optional(),
  currency: z.string(),
  customer: expandable('cus_').nullable(),
  status: z.string(),
  created: z.number().int(),
  livemode: z.boolean(),
  metadata: metadata.optional(),
});

export const WebhookEndpoint = z.looseObject({
  id: id('we_'),
  object: z.literal('webhook_endpoint'),
  url: z.string(),
  enabled_events: z.array(z.string()),
  status: z.string(),
  api_version: z.string().nullable().optional(),
  /** Only in the answer to the create call: the signing secret, shown once (the channel's `webhookSecret`). */
  secret: z.string().optional(),
  created: z.number().int(),
  livemode: z.boolean(),
  metadata: metadata.optional(),
});

export const DeletedWebhookEndpoint = z.looseObject({ id: id('we_'), object: z.literal('webhook_endpoint'), deleted: z.literal(true) });

/** A list object, `{ object: 'list', data, has_more, url }`: pages with `starting_after` the last id while `has_more`. */
export function StripeList<T extends z.ZodType<{ id: string }>>(item: T) {
  return z.object({ object: z.literal('list'), data: z.array(item), has_more: z.boolean(), url: z.string() });
}

/** The list parameters every Stripe list endpoint takes. */
export const ListParams = z.object({
  limit: z.number().int().min(1).max(100).default(10),
  startingAfter: z.string().min(1).optional().describe('An object id: the page after it (Stripe fills it in from the last page)'),
});

/** `starting_after` and `limit` as Stripe's query names. */
export const listQuery = ({ limit, startingAfter }: z.output<typeof ListParams>) => ({ limit, ...(startingAfter ? { starting_after: startingAfter } : {}) });

/** Stripe's pagination: the last object's id as `starting_after` while `has_more`. */
export const nextStartingAfter = (page: { has_more: boolean; data: Array<{ id: string }> }) => (page.has_more ? page.data.at(-1)?.id : undefined);

/** An object id in a path: Stripe ids are `[A-Za-z0-9_]`, checked so nothing else reaches the path. */
export const objectId = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[A-Za-z0-9_]+$`), `a Stripe id starting with ${prefix}`);
