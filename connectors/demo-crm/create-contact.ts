import { z } from 'zod';
import { demoCrm } from '../../applications/demo-crm';
import { defineConnector } from '../framework/connector';
import { Contact } from './schemas';

export const createContact = defineConnector({
  application: demoCrm,
  name: 'createContact',
  description: 'Create a contact',
  input: z.object({ email: z.email(), firstName: z.string().default(''), lastName: z.string().default('') }),
  output: Contact,
  request: (contact) => ({ method: 'POST', path: '/api/contacts', body: contact }),
});
