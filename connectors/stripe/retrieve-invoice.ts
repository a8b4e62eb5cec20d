import { z } from 'zod';
import { defineStripeConnector } from './connector';
import { Invoice, objectId } from './schemas';

/** GET /v1/invoices/:id (https://docs.stripe.com/api/invoices/retrieve). */
export const retrieveInvoice = defineStripeConnector({
  name: 'retrieveInvoice',
  description: 'Retrieve an invoice by id',
  input: z.object({ invoiceId: objectId('in_') }),
  output: Invoice,
  request: ({ invoiceId }) => ({ method: 'GET', path: `/v1/invoices/${invoiceId}` }),
});
