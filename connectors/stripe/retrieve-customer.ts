import { z } from 'zod';
import { defineStripeConnector } from './connector';
import { Customer, DeletedCustomer, objectId } from './schemas';

/** GET /v1/customers/:id (https://docs.stripe.com/api/customers/retrieve): a deleted customer answers `{ id, object, deleted: true }`. */
export const retrieveCustomer = defineStripeConnector({
  name: 'retrieveCustomer',
  description: 'Retrieve a customer by id (a deleted one comes back with deleted: true)',
  input: z.object({ customerId: objectId('cus_') }),
  output: z.union([DeletedCustomer, Customer]),
  request: ({ customerId }) => ({ method: 'GET', path: `/v1/customers/${customerId}` }),
});
