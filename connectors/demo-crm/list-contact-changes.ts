import { z } from 'zod';
import { demoCrm } from './application';
import { defineConnector } from '../framework/connector';
import { ContactChangePage } from './schemas';

export const listContactChanges = defineConnector({
  application: demoCrm,
  name: 'listContactChanges',
  description: 'Contacts created, changed or deleted since a cursor (or within a time window), oldest first',
  input: z.object({
    /** A cursor the feed returned earlier; omitted = from the beginning. */
    after: z.string().regex(/^\d+$/).optional(),
    updatedAfter: z.iso.datetime().optional(),
    updatedBefore: z.iso.datetime().optional(),
    limit: z.number().int().min(1).max(500).default(100),
  }),
  output: ContactChangePage,
  request: (input) => ({ method: 'GET', path: '/api/contacts/changes', query: input }),
  pagination: (p) => p.cursor({ param: 'after', next: (output) => (output.hasMore ? output.nextCursor : null) }),
});
