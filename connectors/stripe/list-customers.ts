import { z } from 'zod';
import { defineStripeConnector } from './connector';
import { Customer, ListParams, StripeList, listQuery, nextStartingAfter } from './schemas';

/** GET /v1/customers (https://docs.stripe.com/api/customers/list), newest first. */
export const listCustomers = defineStripeConnector({
  name: 'listCustomers',
  description: 'One page of customers, newest first, optionally those with one e-mail address',
  input: ListParams.extend({ email: z.string().min(1).max(512).optional() }),
  output: StripeList(Customer),
  request: ({ email, ...page }) => ({ method: 'GET', path: '/v1/customers', query: { ...listQuery(page), email } }),
  pagination: (p) => p.cursor({ param: 'startingAfter', next: nextStartingAfter }),
});
