import { z } from 'zod';
import { demoCrm } from './application';
import { ENGINE_ORIGIN } from '../framework/change-origin';
import { defineConnector } from '../framework/connector';
import { Contact } from './schemas';

export const updateContact = defineConnector({
  application: demoCrm,
  name: 'updateContact',
  description: "Change a contact's name; tagged as our change, so the CRM's feed shows who made it",
  input: z.object({ id: z.string().min(1), firstName: z.string(), lastName: z.string() }),
  output: Contact.extend({ changedBy: z.string().optional() }),
  request: ({ id, ...fields }) => ({ method: 'PATCH', path: `/api/contacts/${encodeURIComponent(id)}`, headers: { 'x-change-origin': ENGINE_ORIGIN }, body: fields }),
});
