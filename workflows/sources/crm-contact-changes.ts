/**
 * The demo CRM's change feed (`listContactChanges`) as a polling source: contacts created, changed
 * or deleted after a cursor, or within a backfill's window, oldest first. Both CRM polling flows
 * read it. Workflow-safe (connector types only).
 */
import type { ContactChange } from '../../connectors/demo-crm/schemas';
import { useConnectors } from '../framework/connectors';
import { changeFeed, type PollingSource } from '../framework/polling-sync';

/** The feed's largest page: large pages amortise the per-page cost (a page activity, a batch, a cursor save). */
const PAGE_SIZE = 500;

export function crmContactChanges(crmChannelId: string): PollingSource<ContactChange> {
  return changeFeed(useConnectors().demoCrm.listContactChanges, crmChannelId, {
    since: (cursor) => ({ after: cursor ?? undefined, limit: PAGE_SIZE }),
    between: (from, to) => ({ updatedAfter: from, updatedBefore: to, limit: PAGE_SIZE }),
    records: (page) => page.items,
    cursor: (page) => page.nextCursor,
  });
}
