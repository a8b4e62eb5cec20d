import { z } from 'zod';
import { demoCrm } from './application';
import { ENGINE_ORIGIN } from '../framework/change-origin';
import { defineConnector } from '../framework/connector';
import { Contact } from './schemas';

export const createContact = defineConnector({
  application: demoCrm,
  name: 'createContact',
  description: 'Create a contact',
  input: z.object({ email: z.email(), firstName: z.string().default(''), lastName: z.string().default('') }),
  output: Contact,
  // Tagged as our change, so a two-way sync recognises the echo in the CRM's change feed.
  request: (contact) => ({ method: 'POST', path: '/api/contacts', headers: { 'x-change-origin': ENGINE_ORIGIN }, body: contact }),
});
