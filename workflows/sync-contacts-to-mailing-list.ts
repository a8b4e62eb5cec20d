/**
 * Polling flow: copy every CRM contact to the newsletter mailing list, page by page. A long sync
 * continues as new, carrying where it got to, so the history of one run stays bounded.
 */
import { continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { NextPage } from '../connectors/framework/pagination';
import { useConnectors } from './framework/connectors';
import type { PollingFlowInput } from './framework/inputs';

const PAGE_SIZE = 20;
const PAGES_PER_RUN = 25;

export interface SyncProgress {
  pages: number;
  copied: number;
  /** Where the next run of the chain picks up. */
  next?: NextPage;
}

export async function syncContactsToMailingList(input: PollingFlowInput & { resumeFrom?: SyncProgress }): Promise<SyncProgress> {
  const { demoCrm } = useConnectors();
  const progress: SyncProgress = { pages: input.resumeFrom?.pages ?? 0, copied: input.resumeFrom?.copied ?? 0 };
  let pagesThisRun = 0;

  for await (const page of demoCrm.listContacts.pages(input.channelId, { perPage: PAGE_SIZE }, input.resumeFrom?.next)) {
    await Promise.all(
      page.output.items.map((contact) =>
        demoCrm.upsertMailingListMember(input.channelId, { email: contact.email, firstName: contact.firstName, lastName: contact.lastName, sourceId: contact.id }),
      ),
    );
    progress.pages += 1;
    progress.copied += page.output.items.length;
    pagesThisRun += 1;
    if (page.next && (pagesThisRun === PAGES_PER_RUN || workflowInfo().continueAsNewSuggested)) {
      await continueAsNew<typeof syncContactsToMailingList>({ channelId: input.channelId, resumeFrom: { ...progress, next: page.next } });
    }
  }
  return progress;
}
