import { z } from 'zod';
import { HUBSPOT_SEARCH_LIMIT } from './application';
import { defineHubSpotConnector } from './connector';
import { CrmSearchPage, Filter, PropertyNames, SearchPaging, Sort, nextAfter, searchBody } from './schemas';

/**
 * POST /crm/v3/objects/deals/search
 * (https://developers.hubspot.com/docs/api-reference/crm-deals-v3/search/post-crm-v3-objects-deals-search):
 * deals matching every filter, e.g. a custom property holding a Stripe invoice id. The search
 * limits of searchContacts apply.
 */
export const searchDeals = defineHubSpotConnector({
  name: 'searchDeals',
  description: 'One page of deals matching every filter (e.g. { propertyName: "stripe_invoice_id", operator: "EQ", value: "in_…" })',
  input: z.object({
    filters: z.array(Filter).min(1).max(6).describe('Filters, all of which must match'),
    sorts: z.array(Sort).max(1).default([]).describe('HubSpot sorts a search by one property'),
    properties: PropertyNames,
    ...SearchPaging,
  }),
  output: CrmSearchPage,
  request: ({ filters, sorts, properties, limit, after }) => ({ method: 'POST', path: '/crm/v3/objects/deals/search', body: searchBody({ filters, sorts, properties, limit, after }) }),
  // 5/s on top of the application's 10/s; HubSpot counts both searches together, each is limited apart here.
  rateLimit: HUBSPOT_SEARCH_LIMIT,
  pagination: (p) => p.cursor({ param: 'after', next: nextAfter }),
});
