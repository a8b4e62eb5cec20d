import { defineStripeConnector } from './connector';
import { ListParams, PaymentIntent, StripeList, listQuery, nextStartingAfter, objectId } from './schemas';

/** GET /v1/payment_intents (https://docs.stripe.com/api/payment_intents/list), newest first. */
export const listPaymentIntents = defineStripeConnector({
  name: 'listPaymentIntents',
  description: "One page of payment intents, newest first, optionally one customer's",
  input: ListParams.extend({ customer: objectId('cus_').optional() }),
  output: StripeList(PaymentIntent),
  request: ({ customer, ...page }) => ({ method: 'GET', path: '/v1/payment_intents', query: { ...listQuery(page), customer } }),
  pagination: (p) => p.cursor({ param: 'startingAfter', next: nextStartingAfter }),
});
