import { z } from 'zod';
import { defineHubSpotConnector } from './connector';
import { AssociatedTypes, CrmObject, PropertyNames, RecordId, readQuery } from './schemas';

/** GET /crm/v3/objects/deals/{dealId} (https://developers.hubspot.com/docs/api-reference/crm-deals-v3/basic/get-crm-v3-objects-0-3-dealId). */
export const getDeal = defineHubSpotConnector({
  name: 'getDeal',
  description: 'A deal by id, with the properties (dealname, amount, dealstage, pipeline, …) and associations asked for',
  input: z.object({ dealId: RecordId, properties: PropertyNames, associations: AssociatedTypes, archived: z.boolean().default(false) }),
  output: CrmObject,
  request: ({ dealId, ...read }) => ({ method: 'GET', path: `/crm/v3/objects/deals/${dealId}`, query: readQuery(read) }),
});
