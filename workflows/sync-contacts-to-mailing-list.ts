/**
 * Polling flow: copy every CRM contact to the newsletter mailing list, page by page.
 * Long syncs continue as new, so the history of one run stays bounded.
 */
import { continueAsNew, workflowInfo } from '@temporalio/workflow';
import { useConnectors } from './framework/connectors';
import type { PollingFlowInput } from './framework/inputs';

const PAGE_SIZE = 20;
const PAGES_PER_RUN = 25;

export interface SyncProgress {
  page: number;
  copied: number;
}

export async function syncContactsToMailingList(input: PollingFlowInput & { resumeFrom?: SyncProgress }): Promise<SyncProgress> {
  const { demoCrm } = useConnectors();
  const progress: SyncProgress = input.resumeFrom ?? { page: 1, copied: 0 };

  for (let pagesThisRun = 0; ; pagesThisRun++) {
    if (pagesThisRun === PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof syncContactsToMailingList>({ channelId: input.channelId, resumeFrom: progress });
    }
    const contacts = await demoCrm.listContacts(input.channelId, { page: progress.page, perPage: PAGE_SIZE });
    await Promise.all(
      contacts.items.map((contact) =>
        demoCrm.upsertMailingListMember(input.channelId, {
          email: contact.email,
          firstName: contact.firstName,
          lastName: contact.lastName,
          sourceId: contact.id,
        }),
      ),
    );
    progress.copied += contacts.items.length;
    if (!contacts.hasMore) return progress;
    progress.page += 1;
  }
}
