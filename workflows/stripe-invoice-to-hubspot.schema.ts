/**
 * The body of a Stripe webhook event (https://docs.stripe.com/api/events/object), as far as
 * stripeInvoicePaidToHubSpot reads it: its type and the id of the object it is about. The flow
 * reads the invoice itself through the API, in the channel's pinned Stripe-Version, so the event
 * may come in any version. Loose: every event type fits, and all but `invoice.paid` are acknowledged.
 */
import { z } from 'zod';

export const StripeEvent = z.looseObject({
  id: z.string().startsWith('evt_'),
  object: z.literal('event'),
  type: z.string().min(1),
  created: z.number().int(),
  data: z.looseObject({ object: z.looseObject({ id: z.string().min(1), object: z.string() }) }),
});
export type StripeEvent = z.output<typeof StripeEvent>;

export const stripeInvoicePaidExample: z.input<typeof StripeEvent> = {
  id: 'evt_1NG8Du2eZvKYlo2CUI79vXWy',
  object: 'event',
  type: 'invoice.paid',
  created: 1_765_000_000,
  data: { object: { id: 'in_1MtHbELkdIwHu7ixl4OzzPMv', object: 'invoice' } },
};
