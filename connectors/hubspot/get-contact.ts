import { z } from 'zod';
import { defineHubSpotConnector } from './connector';
import { CrmObject, IdOrValue, PropertyName, PropertyNames, RecordId, readQuery } from './schemas';

/**
 * GET /crm/v3/objects/contacts/{contactId}
 * (https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/basic/get-crm-v3-objects-contacts-contactId):
 * by record id, or by a unique property's value with `idProperty` (`email`).
 */
export const getContact = defineHubSpotConnector({
  name: 'getContact',
  description: 'A contact by id, or by a unique property such as email (idProperty)',
  input: z
    .object({
      contactId: IdOrValue,
      idProperty: PropertyName.optional().describe('A unique property the contactId is a value of, e.g. email'),
      properties: PropertyNames,
      archived: z.boolean().default(false),
    })
    .refine((input) => input.idProperty !== undefined || RecordId.safeParse(input.contactId).success, {
      path: ['contactId'],
      message: 'a HubSpot record id (digits), unless idProperty says what it is',
    }),
  output: CrmObject,
  request: ({ contactId, idProperty, properties, archived }) => ({
    method: 'GET',
    path: `/crm/v3/objects/contacts/${encodeURIComponent(contactId)}`,
    query: { ...readQuery({ properties, archived }), ...(idProperty ? { idProperty } : {}) },
  }),
});
