/**
 * One polling sync, written once: a flow says where its records come from (a `PollingSource`)
 * and what happens to each page of them; `pollingSync` does the rest. It plans the run (stored
 * cursor, full resync or backfill window), pages the source one activity per page, advances the
 * cursor only after a page was handled, adds up the counts the flow returns, answers the
 * `syncProgress` query, keeps the run's current details up to date, and continues as new every few
 * pages with cursor, counts and the next page carried, so a feed of any length keeps each run's
 * history small. In the spirit of Nango's `createSync`. Workflow-safe.
 */
import { continueAsNew, defineQuery, setCurrentDetails, setHandler, workflowInfo, type QueryDefinition } from '@temporalio/workflow';
import type { NextPage } from '../../connectors/framework/pagination';
import type { Page } from './connectors';
import type { PollingFlowInput } from './inputs';
import { advanceCursor, planSync, type SyncPlan } from './polling';

/** What a flow counts per page (`{ copied, removed }`): numbers only, added up across the chain. */
export type SyncCounts<C> = { [K in keyof C]: number };

/** The `syncProgress` query's answer and the flow's result: pages done, the flow's counts, the feed's position. */
export type SyncProgress<C extends SyncCounts<C>> = { pages: number } & C & {
    /** The source's cursor after the last handled page (null: nothing read yet from the beginning). */
    cursor: string | null;
  };

/** What one run of a continue-as-new chain hands to the next (the shape the flows carried before the helper). */
export interface CarriedSync<C extends SyncCounts<C>> {
  plan: SyncPlan;
  progress: SyncProgress<C>;
  next: NextPage;
}

/** A polling flow's input: the trigger's, plus what a continued run carries. */
export type PollingSyncInput<C extends SyncCounts<C>> = PollingFlowInput & { carried?: CarriedSync<C> };

/** One page of records from a source, with the cursor that stands after it and how to get the next page. */
export interface SourcePage<R> {
  records: R[];
  cursor: string;
  next: NextPage | null;
}

/** Where a polling flow's records come from: pages from the start of a plan, or resumed from a `next` kept earlier. */
export interface PollingSource<R> {
  pages(plan: SyncPlan, from?: NextPage): AsyncIterable<SourcePage<R>>;
}

/** How a paginated connector reads as a change feed: the first page's input for each kind of plan, and what a page holds. */
export interface FeedReading<I, O, R> {
  /** From where the last sync stopped; null: from the beginning (first run, full resync). */
  since(cursor: string | null): I;
  /** A backfill: exactly the changes in (from, to], ISO timestamps. */
  between(from: string, to: string): I;
  records(output: O): R[];
  /** The position after this page, stored once the page is handled. */
  cursor(output: O): string;
}

/** What `changeFeed` needs of a connector (`useConnectors().app.action`): its pages. */
interface PaginatedConnector<I, O> {
  pages(channelId: string, input: I, from?: NextPage | null): AsyncIterable<Page<O>>;
}

/** A paginated connector read for `channelId` (not necessarily the flow's own channel) as a `PollingSource`. */
export function changeFeed<I, O, R>(connector: PaginatedConnector<I, O>, channelId: string, reading: FeedReading<I, O, R>): PollingSource<R> {
  return {
    async *pages(plan, from) {
      const first = plan.kind === 'incremental' ? reading.since(plan.cursor) : reading.between(plan.from, plan.to);
      for await (const page of connector.pages(channelId, first, from)) {
        yield { records: reading.records(page.output), cursor: reading.cursor(page.output), next: page.next };
      }
    },
  };
}

export interface PollingSyncDefinition<R, C extends SyncCounts<C>> {
  source: PollingSource<R>;
  /** Every count at zero: the shape of what `eachPage` returns. */
  counts: C;
  /**
   * What happens to one page of records, typically one `connector.batch(…)` write per kind of
   * change. Returns how many records went where. The cursor moves past the page only once this
   * resolves, so a crash repeats at most this page: write idempotently (keys from record versions).
   */
  eachPage(records: R[]): Promise<C>;
  /** Continue as new after this many pages (default 4): each run's history stays a few dozen events. */
  pagesPerRun?: number;
  /**
   * False: one run reads the whole feed. Only for replaying runs started by code that did not
   * continue as new (see `patched()` in syncCrmContactsToMailer); their history has no room for it.
   */
  continueAsNew?: boolean;
}

/** The query every polling flow answers (`GET /runs/:workflowId/progress` asks it by name). */
export const SYNC_PROGRESS_QUERY = 'syncProgress';
const DEFAULT_PAGES_PER_RUN = 4;

/** The `syncProgress` query, typed with a flow's counts (one query name for every polling flow). */
export function syncProgressQueryOf<C extends SyncCounts<C>>(): QueryDefinition<SyncProgress<C>> {
  return defineQuery<SyncProgress<C>>(SYNC_PROGRESS_QUERY);
}

/** Runs one polling sync (or its continuation) to the end of the source; resolves with the chain's totals. */
export async function pollingSync<R, C extends SyncCounts<C>>(input: PollingSyncInput<C>, sync: PollingSyncDefinition<R, C>): Promise<SyncProgress<C>> {
  const plan = input.carried?.plan ?? (await planSync(input));
  const progress: SyncProgress<C> = input.carried?.progress ?? { pages: 0, ...sync.counts, cursor: plan.kind === 'incremental' ? plan.cursor : null };
  setHandler(syncProgressQueryOf<C>(), () => progress);
  const pagesPerRun = sync.pagesPerRun ?? DEFAULT_PAGES_PER_RUN;

  let pagesThisRun = 0;
  for await (const page of sync.source.pages(plan, input.carried?.next)) {
    addCounts(progress, await sync.eachPage(page.records));
    progress.pages += 1;
    progress.cursor = page.cursor;
    await advanceCursor(input, plan, page.cursor);
    // The run's current details are its heartbeat for people: the Web UI shows how far it got.
    setCurrentDetails(describe(progress, sync.counts));

    pagesThisRun += 1;
    if (page.next && sync.continueAsNew !== false && (pagesThisRun >= pagesPerRun || workflowInfo().continueAsNewSuggested)) {
      const carried: CarriedSync<C> = { plan, progress, next: page.next };
      await continueAsNew<(input: PollingSyncInput<C>) => Promise<SyncProgress<C>>>({ ...input, carried });
    }
  }
  return progress;
}

function addCounts<C extends SyncCounts<C>>(progress: SyncProgress<C>, added: C): void {
  const totals = progress as unknown as Record<string, number>;
  for (const [key, value] of Object.entries(added as Record<string, number>)) totals[key] = (totals[key] ?? 0) + value;
}

/** "1500 copied, 3 removed, cursor 1503": the counts in the order the flow declared them. */
function describe<C extends SyncCounts<C>>(progress: SyncProgress<C>, counts: C): string {
  const totals = progress as unknown as Record<string, number>;
  return [...Object.keys(counts).map((key) => `${totals[key]} ${key}`), `cursor ${progress.cursor}`].join(', ');
}
