/**
 * Polling flow: keep the newsletter mailing list in step with the CRM's contacts. Each run reads
 * the CRM's change feed from where the last one stopped, page by page; new and changed contacts
 * are upserted, deleted ones taken off the list. The cursor advances only after a page's writes
 * are done, and every write carries a key derived from the record version, so a crash or retry
 * repeats work at most and never doubles it. Long syncs continue as new to keep history bounded.
 */
import { continueAsNew, defineQuery, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ContactChange } from '../connectors/demo-crm/schemas';
import type { NextPage } from '../connectors/framework/pagination';
import { useConnectors } from './framework/connectors';
import type { PollingFlowInput } from './framework/inputs';
import { advanceCursor, planSync, type SyncPlan } from './framework/polling';

// Large pages amortise the per-page cost (a page activity, a batch activity, a cursor save).
const PAGE_SIZE = 500;
const PAGES_PER_RUN = 4;

export interface SyncProgress {
  pages: number;
  /** Contacts upserted into the list. */
  copied: number;
  /** Deleted contacts taken off the list. */
  removed: number;
  /** The change feed's position after the last processed page. */
  cursor: string | null;
}

/** Processed counts and the cursor, for the Web UI's query tab and for `temporal workflow query`. */
export const syncProgressQuery = defineQuery<SyncProgress>('syncProgress');

/** What one run of a continue-as-new chain hands to the next. */
interface Carried {
  plan: SyncPlan;
  progress: SyncProgress;
  next: NextPage;
}

export async function syncContactsToMailingList(input: PollingFlowInput & { carried?: Carried }): Promise<SyncProgress> {
  const crm = useConnectors().demoCrm;
  const plan = input.carried?.plan ?? (await planSync(input));
  const progress: SyncProgress = input.carried?.progress ?? { pages: 0, copied: 0, removed: 0, cursor: plan.kind === 'incremental' ? plan.cursor : null };
  setHandler(syncProgressQuery, () => progress);
  const first = plan.kind === 'incremental' ? { after: plan.cursor ?? undefined, limit: PAGE_SIZE } : { updatedAfter: plan.from, updatedBefore: plan.to, limit: PAGE_SIZE };

  let pagesThisRun = 0;
  for await (const page of crm.listContactChanges.pages(input.channelId, first, input.carried?.next)) {
    const [gone, present] = partition(page.output.items, (contact) => contact.deleted);
    await Promise.all([
      crm.upsertMailingListMember.batch(input.channelId, present.map(toMember)),
      crm.removeMailingListMember.batch(input.channelId, gone.map((contact) => ({ email: contact.email }))),
    ]);
    progress.pages += 1;
    progress.copied += present.length;
    progress.removed += gone.length;
    progress.cursor = page.output.nextCursor;
    await advanceCursor(input, plan, page.output.nextCursor);
    setCurrentDetails(`${progress.copied} copied, ${progress.removed} removed, cursor ${progress.cursor}`);

    pagesThisRun += 1;
    if (page.next && (pagesThisRun === PAGES_PER_RUN || workflowInfo().continueAsNewSuggested)) {
      await continueAsNew<typeof syncContactsToMailingList>({ ...input, carried: { plan, progress, next: page.next } });
    }
  }
  return progress;
}

function toMember(contact: ContactChange) {
  return { email: contact.email, firstName: contact.firstName, lastName: contact.lastName, sourceId: contact.id, sourceVersion: contact.updatedAt };
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}
