/**
 * Runs, straight from Temporal: listed from its visibility store (with the failure message read
 * from each failed run's close event), retried by resetting the run to its first workflow task
 * (the same workflow id and input, a new run), cancelled through Temporal's cancellation, and a
 * polling run's progress read from its `syncProgress` query. Nothing about runs is copied to our side.
 */
import { randomUUID } from 'node:crypto';
import { BadGatewayException, ConflictException, Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { WorkflowNotFoundError, Client, QueryNotRegisteredError, QueryRejectedError, isGrpcServiceError, type WorkflowExecutionInfo } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TemporalSettings } from '../../runtime/temporal-config';
import { SYNC_PROGRESS_QUERY } from '../../workflows/framework/polling-sync';
import { callTemporal, isTemporalUnavailable, unavailableReason } from '../common/temporal-errors';
import { TEMPORAL_SETTINGS } from '../tokens';
import { visibilityQuery, type RunsQuery } from './run-requests';
import { runView, SyncProgressView, type RunFailure, type RunProgress, type RunStarted, type RunView } from './run-view';

export type { RunProgress, RunStarted, RunView } from './run-view';

const TEMPORAL_TIMEOUT_MS = 10_000;
/**
 * How long a progress query may wait for a worker. Temporal hands a query to a worker polling the
 * run's task queue (a closed run is replayed there) and holds the call until one answers: with no
 * worker, until the deadline. So the deadline is short, and running out of it means no worker answered.
 */
export const PROGRESS_QUERY_TIMEOUT_MS = 5_000;
/** How the SDKs' workflows refuse a query they have no handler for (TypeScript; Go, Java and others). */
const NO_SUCH_QUERY = /did not register a handler for|unknown queryType/i;
// gRPC status codes.
const CANCELLED = 1;
const DEADLINE_EXCEEDED = 4;
const FAILED_PRECONDITION = 9;
const EventType = temporal.api.enums.v1.EventType;
const CLOSED = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT']);

@Injectable()
export class RunsService {
  constructor(
    private readonly client: Client,
    @Inject(TEMPORAL_SETTINGS) private readonly settings: TemporalSettings,
  ) {}

  async list(query: RunsQuery): Promise<RunView[]> {
    return this.listWhere(query);
  }

  /** The runs of one channel (GET /channels/:id/runs): the same view as /runs. */
  async ofChannel(channelId: string, limit: number): Promise<RunView[]> {
    return this.listWhere({ channel: channelId, limit });
  }

  private async listWhere(query: RunsQuery): Promise<RunView[]> {
    return this.temporal(async () => {
      const executions: WorkflowExecutionInfo[] = [];
      for await (const execution of this.client.workflow.list({ query: visibilityQuery(query), pageSize: query.limit })) {
        executions.push(execution);
        if (executions.length >= query.limit) break;
      }
      return Promise.all(
        executions.map(async (execution) => runView(execution, execution.status.name === 'FAILED' || execution.status.name === 'TIMED_OUT' ? await this.failureOf(execution) : null, this.settings)),
      );
    });
  }

  /**
   * A new run of a closed one, same id and input: Temporal's reset to the first workflow task. The
   * new run makes again every call the old one had made; writes that had succeeded apply once all
   * the same, because default idempotency keys come from what a reset keeps (the original run id,
   * see activities/run-connector.ts idempotencyKeyOf), not from the run id. Resetting to after the
   * last completed activity instead would replay recorded results, but breaks on flows whose
   * activities run side by side (a failure before the last completion stays in the kept history).
   */
  async retry(workflowId: string): Promise<RunStarted> {
    return this.temporal(async () => {
      const described = await this.describe(workflowId);
      if (!CLOSED.has(described.status.name) || described.status.name === 'COMPLETED') {
        throw new ConflictException(`run ${workflowId} is ${described.status.name.toLowerCase()}; only a failed, cancelled, terminated or timed-out run is retried`);
      }
      const history = await this.client.workflow.getHandle(workflowId, described.runId).fetchHistory();
      const events = history.events ?? [];
      const resetPoint =
        events.find((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) ?? events.find((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
      if (!resetPoint?.eventId) throw new ConflictException(`run ${workflowId} never started a workflow task; nothing to reset to`);
      const { runId } = await this.client.workflowService.resetWorkflowExecution({
        namespace: this.settings.namespace,
        workflowExecution: { workflowId, runId: described.runId },
        workflowTaskFinishEventId: resetPoint.eventId,
        requestId: randomUUID(),
        reason: 'retried through POST /runs/:workflowId/retry',
      });
      return { workflowId, runId: runId ?? '' };
    });
  }

  /** Asks a running run to stop: activities in flight see the cancellation, the run ends CANCELLED. */
  async cancel(workflowId: string): Promise<RunStarted> {
    return this.temporal(async () => {
      const described = await this.describe(workflowId);
      if (described.status.name !== 'RUNNING') throw new ConflictException(`run ${workflowId} is ${described.status.name.toLowerCase()}, not running`);
      await this.client.workflow.getHandle(workflowId, described.runId).cancel();
      return { workflowId, runId: described.runId };
    });
  }

  /**
   * The run's `syncProgress` query (every polling flow answers it; a closed run too, replayed by a
   * worker), or null for a run that registers no such query. The latest run of the workflow id.
   */
  async progress(workflowId: string): Promise<RunProgress> {
    const described = await this.temporal(() => this.describe(workflowId));
    const run = { workflowId, runId: described.runId, status: described.status.name };
    const handle = this.client.workflow.getHandle(workflowId, described.runId);
    let answer: unknown;
    try {
      answer = await this.client.connection.withDeadline(Date.now() + PROGRESS_QUERY_TIMEOUT_MS, () => handle.query(SYNC_PROGRESS_QUERY));
    } catch (err) {
      // The worker answered that the workflow has no such query: a webhook flow's run, an action's.
      if (err instanceof QueryNotRegisteredError && NO_SUCH_QUERY.test(err.message)) return { ...run, progress: null };
      if (err instanceof WorkflowNotFoundError) throw new NotFoundException(`no run "${workflowId}"`);
      // Temporal answered the describe just now: a query running out of time found no worker.
      const code = grpcCodeOf(err);
      if (code === DEADLINE_EXCEEDED || code === CANCELLED) {
        throw new ServiceUnavailableException(
          `no worker answered the run's progress query within ${PROGRESS_QUERY_TIMEOUT_MS / 1000} s: is a worker polling task queue "${described.taskQueue}"? (a closed run is queried by replaying it on a worker too)`,
        );
      }
      // "No poller seen for task queue recently", or a run whose workflow task cannot complete.
      if (code === FAILED_PRECONDITION) throw new ServiceUnavailableException(`the run's progress cannot be queried now: ${messageOf(err)}`);
      if (isTemporalUnavailable(err)) throw new ServiceUnavailableException(unavailableReason(err));
      if (err instanceof QueryNotRegisteredError || err instanceof QueryRejectedError) throw new BadGatewayException(`the run's progress query failed: ${messageOf(err)}`);
      throw err;
    }
    const progress = SyncProgressView.safeParse(answer);
    if (!progress.success) throw new BadGatewayException(`the run's ${SYNC_PROGRESS_QUERY} query answered something else than a sync's progress`);
    return { ...run, progress: progress.data };
  }

  private async describe(workflowId: string) {
    try {
      return await this.client.workflow.getHandle(workflowId).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new NotFoundException(`no run "${workflowId}"`);
      throw err;
    }
  }

  private async failureOf(execution: WorkflowExecutionInfo): Promise<RunFailure | null> {
    const { history } = await this.client.workflowService.getWorkflowExecutionHistory({
      namespace: this.settings.namespace,
      execution: { workflowId: execution.workflowId, runId: execution.runId },
      historyEventFilterType: temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
    });
    const close = history?.events?.[0];
    const failure = close?.workflowExecutionFailedEventAttributes?.failure;
    if (failure) {
      // The run's own failure usually wraps the one that caused it (an activity's): name both.
      const cause = failure.cause;
      const message = cause?.message && cause.message !== failure.message ? `${failure.message}: ${cause.message}` : (failure.message ?? '');
      return { message, type: cause?.applicationFailureInfo?.type ?? failure.applicationFailureInfo?.type ?? null };
    }
    if (close?.workflowExecutionTimedOutEventAttributes) return { message: 'the run timed out', type: 'Timeout' };
    return null;
  }

  private temporal<T>(fn: () => Promise<T>): Promise<T> {
    return callTemporal(this.client.connection, TEMPORAL_TIMEOUT_MS, fn);
  }
}

/** The gRPC status code of a Temporal call's failure: the SDK wraps it (ServiceError's cause). */
function grpcCodeOf(err: unknown): number | undefined {
  for (let current: unknown = err, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(current)) return current.code;
  }
  return undefined;
}

/** The innermost message, without gRPC's "9 FAILED_PRECONDITION: " prefix. */
function messageOf(err: unknown): string {
  let message = (err as Error)?.message ?? String(err);
  for (let current: unknown = err, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if (current instanceof Error && current.message) message = current.message;
  }
  return message.replace(/^\d+ [A-Z_]+: /, '').split('\n')[0]!;
}
