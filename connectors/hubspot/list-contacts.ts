import { z } from 'zod';
import { defineHubSpotConnector } from './connector';
import { CrmPage, PropertyNames, listQuery, nextAfter } from './schemas';

/**
 * GET /crm/v3/objects/contacts (https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/basic/get-crm-v3-objects-contacts):
 * one page of contacts, by id. With `archived: true` it lists the archived (deleted) contacts
 * instead, with `archivedAt`: how a sync learns of deletions, which a search never returns.
 */
export const listContacts = defineHubSpotConnector({
  name: 'listContacts',
  description: 'One page of contacts; archived: true lists the deleted (archived) ones instead',
  input: z.object({
    limit: z.number().int().min(1).max(100).default(100),
    after: z.string().min(1).max(200).optional().describe("The page after this cursor: the last page's paging.next.after"),
    properties: PropertyNames,
    archived: z.boolean().default(false).describe('List archived contacts (archivedAt says when) instead of live ones'),
  }),
  output: CrmPage,
  request: (input) => ({ method: 'GET', path: '/crm/v3/objects/contacts', query: listQuery(input) }),
  pagination: (p) => p.cursor({ param: 'after', next: nextAfter }),
});
