import { z } from 'zod';
import { defineHubSpotConnector } from './connector';
import { CrmObject, PropertyValues } from './schemas';

/**
 * POST /crm/v3/objects/contacts (https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/basic/post-crm-v3-objects-contacts):
 * answers 201 with the contact. An e-mail address HubSpot already has is a 409 CONFLICT whose
 * message names the existing id. HubSpot takes no idempotency key: a retry after an answer that
 * was lost meets that 409 rather than making a second contact, when the e-mail is given.
 */
export const createContact = defineHubSpotConnector({
  name: 'createContact',
  description: 'Create a contact from property values (email, firstname, lastname, …)',
  input: z.object({ properties: PropertyValues }),
  output: CrmObject,
  request: ({ properties }) => ({ method: 'POST', path: '/crm/v3/objects/contacts', body: { properties } }),
});
