import { z } from 'zod';
import { HUBSPOT_SEARCH_LIMIT } from './application';
import { defineHubSpotConnector } from './connector';
import { CrmSearchPage, Filter, PropertyNames, SearchPaging, nextAfter, searchBody } from './schemas';

/**
 * POST /crm/v3/objects/contacts/search
 * (https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/search/post-crm-v3-objects-contacts-search):
 * contacts modified at or after a time, oldest change first, which is what an incremental sync
 * reads. HubSpot's search sees a change a few seconds after it was made, answers at most 10,000
 * results per query (start again from the last `lastmodifieddate` seen, not from a cursor past
 * that), and is limited to 5 requests a second per account on top of the general limit.
 */
export const searchContacts = defineHubSpotConnector({
  name: 'searchContacts',
  description: 'One page of contacts modified at or after a time (lastmodifieddate), oldest change first; more filters ANDed',
  input: z.object({
    modifiedSince: z.iso.datetime({ offset: true }).optional().describe('Only contacts whose lastmodifieddate is at or after this time (ISO 8601)'),
    filters: z.array(Filter).max(5).default([]).describe('More filters, all of which must match'),
    query: z.string().min(1).max(3000).optional().describe("HubSpot's text search over the default searchable properties"),
    properties: PropertyNames,
    ...SearchPaging,
  }),
  output: CrmSearchPage,
  request: ({ modifiedSince, filters, query, properties, limit, after }) => ({
    method: 'POST',
    path: '/crm/v3/objects/contacts/search',
    body: searchBody({
      // Date filters take epoch milliseconds.
      filters: [...(modifiedSince ? [{ propertyName: 'lastmodifieddate', operator: 'GTE' as const, value: String(Date.parse(modifiedSince)) }] : []), ...filters],
      sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
      // The sort key comes back, so a sync can keep it as its cursor.
      properties: properties?.length ? [...new Set([...properties, 'lastmodifieddate'])] : undefined,
      query,
      limit,
      after,
    }),
  }),
  // 5/s on top of the application's 10/s; HubSpot counts both searches together, each is limited apart here.
  rateLimit: HUBSPOT_SEARCH_LIMIT,
  pagination: (p) => p.cursor({ param: 'after', next: nextAfter }),
});
