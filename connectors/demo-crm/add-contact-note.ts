import { z } from 'zod';
import { demoCrm } from './application';
import { defineConnector } from '../framework/connector';

export const addContactNote = defineConnector({
  application: demoCrm,
  name: 'addContactNote',
  description: "Add a note to a contact's timeline",
  input: z.object({ contactId: z.string().min(1), text: z.string().min(1).max(5_000) }),
  output: z.object({ id: z.string(), contactId: z.string(), text: z.string() }),
  request: ({ contactId, text }) => ({ method: 'POST', path: `/api/contacts/${encodeURIComponent(contactId)}/notes`, body: { text } }),
});
