import { z } from 'zod';
import { defineHubSpotConnector } from './connector';
import { CrmObject, PropertyValues, RecordId } from './schemas';

/**
 * PATCH /crm/v3/objects/deals/{dealId} (https://developers.hubspot.com/docs/api-reference/crm-deals-v3/basic/patch-crm-v3-objects-0-3-dealId):
 * moving a deal is writing `dealstage`, a stage id of the deal's pipeline (`closedwon` in the
 * default one); HubSpot refuses a stage of another pipeline with VALIDATION_ERROR. A retry writes
 * the same values again.
 */
export const updateDeal = defineHubSpotConnector({
  name: 'updateDeal',
  description: "Change a deal's property values; dealstage moves it to a stage (a stage id of its pipeline)",
  input: z
    .object({
      dealId: RecordId,
      dealstage: z.string().min(1).max(100).optional().describe('The stage id to move the deal to, e.g. closedwon'),
      properties: PropertyValues.optional().describe('Other property values to write'),
    })
    .refine((input) => input.dealstage !== undefined || input.properties !== undefined, { path: ['dealstage'], message: 'give dealstage or properties' }),
  output: CrmObject,
  request: ({ dealId, dealstage, properties }) => ({
    method: 'PATCH',
    path: `/crm/v3/objects/deals/${dealId}`,
    body: { properties: { ...properties, ...(dealstage !== undefined ? { dealstage } : {}) } },
  }),
});
