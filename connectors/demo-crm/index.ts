/** The demo CRM: its application and every connector of it, one file each. */
import { defineIntegration } from '../framework/integration';
import { addContactNote } from './add-contact-note';
import { demoCrm } from './application';
import { createContact } from './create-contact';
import { findContactByEmail } from './find-contact-by-email';
import { listContactChanges } from './list-contact-changes';
import { listContacts } from './list-contacts';
import { removeMailingListMember } from './remove-mailing-list-member';
import { updateContact } from './update-contact';
import { upsertMailingListMember } from './upsert-mailing-list-member';

export { demoCrm };

export default defineIntegration(demoCrm, { listContacts, listContactChanges, findContactByEmail, createContact, updateContact, addContactNote, upsertMailingListMember, removeMailingListMember });
