/**
 * HubSpot's contacts as a change feed. HubSpot has no single one: changes come from the search
 * (lastmodifieddate at or after a time, oldest first) and deletions from the archived list
 * (`archived=true`, with `archivedAt`), which cannot be filtered by time. So a sync reads the
 * changes, then the archived contacts, keeping those archived after its cursor; the cursor holds
 * both positions. Records at the cursor's exact time are read again: the writes are idempotent.
 * Workflow-safe (connector types only).
 */
import type { CrmObject } from '../../connectors/hubspot/schemas';
import { useConnectors } from '../framework/connectors';
import type { NextPage } from '../../connectors/framework/pagination';
import type { PollingSource } from '../framework/polling-sync';

export type ContactChange = { kind: 'changed'; contact: CrmObject } | { kind: 'deleted'; id: string };

/** Where the feed stands: the last change's lastmodifieddate and the last deletion's archivedAt seen (ISO). */
interface FeedPosition {
  modified: string | null;
  archived: string | null;
}

/** HubSpot's search answers 200 a page at most; the archived list 100. */
const SEARCH_PAGE = 200;
const ARCHIVED_PAGE = 100;

const parse = (cursor: string | null): FeedPosition => (cursor ? (JSON.parse(cursor) as FeedPosition) : { modified: null, archived: null });
const later = (a: string | null, b: string | undefined): string | null => (b !== undefined && (a === null || Date.parse(b) > Date.parse(a)) ? b : a);

/** A page to resume from is the archived list's when its input asks for archived contacts. */
const isArchivedPage = (from: NextPage | undefined): boolean => (from?.input as { archived?: boolean } | undefined)?.archived === true;

export function hubspotContactChanges(channelId: string, properties: readonly string[]): PollingSource<ContactChange> {
  const { hubspot } = useConnectors();
  return {
    async *pages(plan, from) {
      // The chain's starting position: a continued run resumes the pages, and filters, of the same plan.
      const start = plan.kind === 'incremental' ? parse(plan.cursor) : { modified: plan.from, archived: plan.from };
      const until = plan.kind === 'window' ? Date.parse(plan.to) : Infinity;
      const position = { ...start };
      if (!isArchivedPage(from)) {
        const upTo = plan.kind === 'window' ? [{ propertyName: 'lastmodifieddate', operator: 'LTE' as const, value: String(until) }] : [];
        const first = { modifiedSince: start.modified ?? undefined, filters: upTo, properties: [...properties], limit: SEARCH_PAGE };
        for await (const page of hubspot.searchContacts.pages(channelId, first, from)) {
          const contacts = page.output.results.filter((contact) => Date.parse(modifiedAt(contact)) <= until);
          for (const contact of contacts) position.modified = later(position.modified, modifiedAt(contact));
          // The last search page goes on to the archived list's first: `next` null would end the run's chain too early.
          yield {
            records: contacts.map((contact) => ({ kind: 'changed' as const, contact })),
            cursor: JSON.stringify(position),
            next: page.next ?? { input: { archived: true, limit: ARCHIVED_PAGE } },
          };
        }
      }
      // Resumed here in a continued run, `position.modified` is the chain's start again: the next sync
      // reads those changes once more, which the idempotent writes absorb.
      const since = start.archived === null ? -Infinity : Date.parse(start.archived);
      const archivedFrom = isArchivedPage(from) ? from : undefined;
      for await (const page of hubspot.listContacts.pages(channelId, { archived: true, limit: ARCHIVED_PAGE }, archivedFrom)) {
        const gone = page.output.results.filter((contact) => contact.archivedAt !== undefined && Date.parse(contact.archivedAt) > since && Date.parse(contact.archivedAt) <= until);
        for (const contact of gone) position.archived = later(position.archived, contact.archivedAt);
        yield { records: gone.map((contact) => ({ kind: 'deleted' as const, id: contact.id })), cursor: JSON.stringify(position), next: page.next };
      }
    },
  };
}

const modifiedAt = (contact: CrmObject): string => contact.properties.lastmodifieddate ?? contact.updatedAt;
