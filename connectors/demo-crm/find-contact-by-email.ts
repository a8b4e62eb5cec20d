import { z } from 'zod';
import { demoCrm } from './application';
import { defineConnector } from '../framework/connector';
import { ContactPage } from './schemas';

export const findContactByEmail = defineConnector({
  application: demoCrm,
  name: 'findContactByEmail',
  description: 'The contact with this e-mail address, or null',
  input: z.object({ email: z.email() }),
  output: ContactPage.transform((page) => page.items[0] ?? null),
  request: ({ email }) => ({ method: 'GET', path: '/api/contacts', query: { email, perPage: 1 } }),
});
