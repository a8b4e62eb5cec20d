/**
 * Every connector, grouped by application. Activities look connectors up here by
 * `<group>.<name>`; workflows import only its type, so the workflow bundle stays free of HTTP code.
 */
import { addContactNote } from './demo-crm/add-contact-note';
import { createContact } from './demo-crm/create-contact';
import { findContactByEmail } from './demo-crm/find-contact-by-email';
import { listContactChanges } from './demo-crm/list-contact-changes';
import { listContacts } from './demo-crm/list-contacts';
import { removeMailingListMember } from './demo-crm/remove-mailing-list-member';
import { updateContact } from './demo-crm/update-contact';
import { upsertMailingListMember } from './demo-crm/upsert-mailing-list-member';
import { upsertContact } from './demo-mailer/upsert-contact';
import { listProducts } from './demo-erp/list-products';
import { listTickets } from './demo-helpdesk/list-tickets';
import type { Connector } from './framework/connector';

export const catalog = {
  demoCrm: { listContacts, listContactChanges, findContactByEmail, createContact, updateContact, addContactNote, upsertMailingListMember, removeMailingListMember },
  demoHelpdesk: { listTickets },
  demoErp: { listProducts },
  demoMailer: { upsertContact },
} as const satisfies Record<string, Record<string, Connector>>;

export type Catalog = typeof catalog;

export function findConnector(key: string): Connector | undefined {
  const [group, name, ...rest] = key.split('.');
  if (!group || !name || rest.length > 0) return undefined;
  const connectors: Record<string, Connector> | undefined = (catalog as Record<string, Record<string, Connector>>)[group];
  return connectors && Object.hasOwn(connectors, name) ? connectors[name] : undefined;
}

/** The connector called `action` of the application named `application`, with its catalog key. */
export function findAction(application: string, action: string): { key: string; connector: Connector } | undefined {
  for (const [group, connectors] of Object.entries(catalog as Record<string, Record<string, Connector>>)) {
    const connector = Object.hasOwn(connectors, action) ? connectors[action] : undefined;
    if (connector?.application.name === application) return { key: `${group}.${action}`, connector };
  }
  return undefined;
}
