import { z } from 'zod';
import { form } from '../framework/http/body';
import { defineStripeConnector } from './connector';
import { Customer } from './schemas';

/** POST /v1/customers (https://docs.stripe.com/api/customers/create), form-encoded; a retry carries the same Idempotency-Key. */
export const createCustomer = defineStripeConnector({
  name: 'createCustomer',
  description: 'Create a customer',
  input: z.object({
    email: z.email().optional(),
    name: z.string().min(1).max(256).optional(),
    description: z.string().max(350).optional(),
    metadata: z.record(z.string().max(40), z.string().max(500)).optional(),
  }),
  output: Customer,
  request: (customer) => ({ method: 'POST', path: '/v1/customers', body: form(customer) }),
});
