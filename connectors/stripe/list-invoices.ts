import { z } from 'zod';
import { defineStripeConnector } from './connector';
import { Invoice, ListParams, StripeList, listQuery, nextStartingAfter, objectId } from './schemas';

/** GET /v1/invoices (https://docs.stripe.com/api/invoices/list), newest first. */
export const listInvoices = defineStripeConnector({
  name: 'listInvoices',
  description: "One page of invoices, newest first, optionally one customer's or in one status",
  input: ListParams.extend({ customer: objectId('cus_').optional(), status: z.enum(['draft', 'open', 'paid', 'uncollectible', 'void']).optional() }),
  output: StripeList(Invoice),
  request: ({ customer, status, ...page }) => ({ method: 'GET', path: '/v1/invoices', query: { ...listQuery(page), customer, status } }),
  pagination: (p) => p.cursor({ param: 'startingAfter', next: nextStartingAfter }),
});
