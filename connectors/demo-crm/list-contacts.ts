import { z } from 'zod';
import { demoCrm } from './application';
import { defineConnector } from '../framework/connector';
import { ContactPage } from './schemas';

export const listContacts = defineConnector({
  application: demoCrm,
  name: 'listContacts',
  description: 'One page of contacts, oldest first',
  input: z.object({
    page: z.number().int().min(1).default(1),
    perPage: z.number().int().min(1).max(100).default(50),
  }),
  output: ContactPage,
  request: ({ page, perPage }) => ({ method: 'GET', path: '/api/contacts', query: { page, perPage } }),
  pagination: (p) => p.pageNumber({ param: 'page', hasMore: (output) => output.hasMore }),
});
