/**
 * Typed connector calls inside workflows: `connectors.demoCrm.listContacts(channelId, input)`.
 * Each call is the one generic `runConnector` activity; the types come from type-only imports,
 * so nothing but @temporalio/workflow enters the workflow bundle.
 */
import { proxyActivities, proxyLocalActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { Catalog } from '../../connectors/catalog';
import type { ConnectorInput, ConnectorOutput } from '../../connectors/framework/connector';
import type { NextPage } from '../../connectors/framework/pagination';
import { connectorPlacement } from './task-queues';

/** A page of a paginated connector, and how to fetch the one after it (keep it to resume, e.g. across continue-as-new). */
export interface Page<O> {
  output: O;
  next: NextPage | null;
}

/** The calls of one connector, given its input and output: hand-written (ConnectorCallable) or imported (imported-connectors.ts). */
export type Callable<I, O> = ((channelId: string, input: I) => Promise<O>) & {
  /**
   * Every page, one activity each, starting at `from` (a `next` kept earlier) or at `input`. The
   * next page is fetched while the caller processes the current one.
   */
  pages(channelId: string, input: I, from?: NextPage | null): AsyncGenerator<Page<O>, void>;
  /**
   * The connector for every input, in one activity (outputs in input order; after a retry, the
   * outputs of records an earlier attempt finished are null: use batch() for writes whose answers
   * the flow does not need, and one call per record where it does).
   * For writing a page of records: far fewer Temporal tasks than one activity per record, and with
   * a connector that derives idempotency keys from its records, a retried batch applies each once.
   */
  batch(channelId: string, inputs: I[]): Promise<Array<O | null>>;
};

export type ConnectorCallable<C> = Callable<ConnectorInput<C>, ConnectorOutput<C>>;

export type ConnectorClient<C> = {
  readonly [Group in keyof C]: {
    readonly [Name in keyof C[Group]]: ConnectorCallable<C[Group][Name]>;
  };
};

/** Retries for transient failures; non-retryable ones (4xx, bad input) stop at once. */
export const defaultConnectorActivityOptions: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
};

/**
 * A batch runs longer than one call; the heartbeat tells a dead worker from a slow batch. Each
 * attempt sends only the records still missing, so an attempt that fails has usually still made
 * progress: attempts are not capped and their interval stays short, and the batch as a whole gets
 * an hour (then the run fails, its cursor unmoved, and the next scheduled run takes over).
 */
const batchActivityOptions: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 hour',
  // No maximumAttempts: unlimited, within the schedule-to-close hour.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
};

/**
 * Sent with every connector call: the run id a reset keeps, from which the activity derives its
 * default idempotency keys, so a run retried through POST /runs/:id/retry (a reset) does not
 * apply twice the writes that had succeeded. A continue-as-new starts with a run id of its own.
 */
export function callScope(): { originalRunId: string } {
  return { originalRunId: workflowInfo().originalExecutionRunId };
}

/** Activity options for every call, and how single calls run. */
export interface ConnectorCallOptions extends ActivityOptions {
  /**
   * `true`: single calls (not pages, not batches) run as local activities, inside the workflow
   * task of the worker that runs the flow, for connectors without a rate limit. A call is then a
   * marker in the history instead of three events and a workflow task of its own, which is most of
   * Temporal's work for a short webhook flow. What the flow gives up:
   * - the Web UI shows each call as a "local activity" marker, with its result or failure, but a
   *   call in progress is not listed among pending activities;
   * - it runs on the flow's worker: no task queue, hence no Temporal rate limit. Connectors whose
   *   application has one (rateLimit) keep running as activities, whatever this says;
   * - calls are for seconds, not minutes: the worker holds the workflow task open meanwhile
   *   (heartbeating it), and a worker that dies mid-call has the call run again once the workflow
   *   task times out (10 s), as an activity's would be retried. Idempotency keys still hold.
   * Timeouts and retries are the activity's: the same start-to-close, retry policy and Retry-After.
   * Changing it for a flow with runs in flight needs patched(), like any other change of what the
   * flow schedules (workflows/order-placed.ts).
   */
  local?: boolean;
}

/**
 * Makes the callable of a connector key (`demoCrm.listContacts`, `inventory@v1.listItems`): one
 * call, `.pages()` and `.batch()`, for hand-written and imported connectors alike.
 */
export function connectorCallables({ local = false, ...options }: ConnectorCallOptions = {}): (connector: string) => Callable<unknown, unknown> {
  const merged: ActivityOptions = { ...defaultConnectorActivityOptions, ...options };
  const { runConnector, runConnectorPage } = proxyActivities<Activities>(merged);
  const { runConnector: runConnectorLocally } = proxyLocalActivities<Activities>({ startToCloseTimeout: merged.startToCloseTimeout, retry: merged.retry });
  // Local calls so far by connector and input: their idempotency keys count on it (ConnectorCall.occurrence).
  const localCalls = new Map<string, number>();
  // A proxy of its own: call-site options are deep-merged into the proxy's, so the batch's retry
  // policy could not drop the default's maximumAttempts there. What the caller asked for still wins.
  const { runConnectorBatch } = proxyActivities<Activities>({ ...defaultConnectorActivityOptions, ...batchActivityOptions, ...options });
  return (connector: string) => {
    // Only what differs per call; the rest comes from the proxy.
    const optionsFor = (summary: string, channelId: string): ActivityOptions => ({ ...connectorPlacement(workflowInfo().taskQueue, connector, channelId, merged.taskQueue), summary });
    const call = (channelId: string, input: unknown) => {
      const args: Parameters<Activities['runConnector']> = [{ channelId, connector, input, ...callScope() }];
      const placement = optionsFor(connector, channelId);
      // Local only where the call would run on the flow's own queue anyway: nothing rate-limits it there.
      if (local && placement.taskQueue === workflowInfo().taskQueue) {
        const content = `${connector}\n${JSON.stringify(input)}`;
        const occurrence = localCalls.get(content) ?? 0;
        localCalls.set(content, occurrence + 1);
        return runConnectorLocally.executeWithOptions({ summary: connector }, [{ ...args[0], occurrence }]);
      }
      return runConnector.executeWithOptions(placement, args);
    };
    const fetchPage = (channelId: string, input: unknown, page: NextPage | undefined, n: number) => {
      const pending = runConnectorPage.executeWithOptions(optionsFor(`${connector} page ${n}`, channelId), [{ channelId, connector, input, page, ...callScope() }]);
      // Awaited later; if the caller stops early (continue-as-new, break), its failure must not go unhandled.
      pending.catch(() => undefined);
      return pending;
    };
    async function* pages(channelId: string, input: unknown, from?: NextPage | null) {
      if (from === null) return;
      let pending = fetchPage(channelId, input, from, 1);
      for (let n = 1; ; n++) {
        const result = await pending;
        // Read ahead: the next page is on its way while the caller processes this one.
        if (result.next) pending = fetchPage(channelId, input, result.next, n + 1);
        yield result;
        if (!result.next) return;
      }
    }
    const batch = async (channelId: string, inputs: unknown[]) => {
      if (inputs.length === 0) return [];
      return runConnectorBatch.executeWithOptions(optionsFor(`${connector} ×${inputs.length}`, channelId), [{ channelId, connector, inputs, ...callScope() }]);
    };
    return Object.assign(call, { pages, batch }) as Callable<unknown, unknown>;
  };
}

export function useConnectors(options: ConnectorCallOptions = {}): ConnectorClient<Catalog> {
  const callable = connectorCallables(options);
  const groupProxy = (group: string) => new Proxy({}, { get: (_target, name) => (typeof name === 'string' ? callable(`${group}.${name}`) : undefined) });
  return new Proxy({} as ConnectorClient<Catalog>, {
    get: (_target, group) => (typeof group === 'string' ? groupProxy(group) : undefined),
  });
}
