/**
 * Polling flow: keep the newsletter mailing list in step with the CRM's contacts. Each run reads
 * the CRM's change feed from where the last one stopped, page by page; new and changed contacts
 * are upserted, deleted ones taken off the list. Every write carries a key derived from the record
 * version, so a crash or retry repeats work at most and never doubles it. Paging, the cursor,
 * progress and continue-as-new are `pollingSync`'s.
 */
import type { ContactChange } from '../connectors/demo-crm/schemas';
import { useConnectors } from './framework/connectors';
import { pollingSync, syncProgressQueryOf, type PollingSyncInput, type SyncProgress as Progress } from './framework/polling-sync';
import { crmContactChanges } from './sources/crm-contact-changes';

interface MailingListCounts {
  /** Contacts upserted into the list. */
  copied: number;
  /** Deleted contacts taken off the list. */
  removed: number;
}

/** Pages, copied, removed and the change feed's position after the last processed page. */
export type SyncProgress = Progress<MailingListCounts>;

/** Processed counts and the cursor, for the Web UI's query tab and for `temporal workflow query`. */
export const syncProgressQuery = syncProgressQueryOf<MailingListCounts>();

export async function syncContactsToMailingList(input: PollingSyncInput<MailingListCounts>): Promise<SyncProgress> {
  const crm = useConnectors().demoCrm;
  return pollingSync(input, {
    source: crmContactChanges(input.channelId),
    counts: { copied: 0, removed: 0 },
    async eachPage(changes) {
      const [gone, present] = partition(changes, (contact) => contact.deleted);
      await Promise.all([
        crm.upsertMailingListMember.batch(input.channelId, present.map(toMember)),
        crm.removeMailingListMember.batch(
          input.channelId,
          gone.map((contact) => ({ email: contact.email })),
        ),
      ]);
      return { copied: present.length, removed: gone.length };
    },
  });
}

function toMember(contact: ContactChange) {
  return { email: contact.email, firstName: contact.firstName, lastName: contact.lastName, sourceId: contact.id, sourceVersion: contact.updatedAt };
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}
