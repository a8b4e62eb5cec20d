/** HubSpot: private-app tokens, `after` pagination, 100 requests per 10 s per account, v3-signed webhooks. */
import { defineIntegration } from '../framework/integration';
import { hubspot } from './application';
import { createContact } from './create-contact';
import { createDealNote } from './create-deal-note';
import { getContact } from './get-contact';
import { getDeal } from './get-deal';
import { listContacts } from './list-contacts';
import { searchContacts } from './search-contacts';
import { searchDeals } from './search-deals';
import { updateContact } from './update-contact';
import { updateDeal } from './update-deal';

export { hubspot };

export default defineIntegration(hubspot, { searchContacts, listContacts, getContact, createContact, updateContact, searchDeals, getDeal, updateDeal, createDealNote });
