import { z } from 'zod';
import { defineHubSpotConnector } from './connector';
import { CrmObject, IdOrValue, PropertyName, PropertyValues, RecordId } from './schemas';

/**
 * PATCH /crm/v3/objects/contacts/{contactId}
 * (https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/basic/patch-crm-v3-objects-contacts-contactId):
 * only the properties given change ("" clears one); a retry writes the same values again.
 */
export const updateContact = defineHubSpotConnector({
  name: 'updateContact',
  description: "Change a contact's property values (by id, or by a unique property such as email)",
  input: z
    .object({
      contactId: IdOrValue,
      idProperty: PropertyName.optional().describe('A unique property the contactId is a value of, e.g. email'),
      properties: PropertyValues,
    })
    .refine((input) => input.idProperty !== undefined || RecordId.safeParse(input.contactId).success, {
      path: ['contactId'],
      message: 'a HubSpot record id (digits), unless idProperty says what it is',
    }),
  output: CrmObject,
  request: ({ contactId, idProperty, properties }) => ({
    method: 'PATCH',
    path: `/crm/v3/objects/contacts/${encodeURIComponent(contactId)}`,
    query: idProperty ? { idProperty } : {},
    body: { properties },
  }),
});
