/**
 * The one activity that runs any connector for a channel. It resolves the channel's credentials
 * (and OAuth tokens) itself, so they never enter workflow history, and maps connector errors onto
 * Temporal's retry semantics: non-retryable failures stop, rate limits set the next retry delay.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure, Context, type Info } from '@temporalio/activity';
import { ensureApplicationFailure } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { isOAuth } from '../applications/framework/auth';
import type { Channel, ChannelDirectory } from '../channels/channel';
import type { Connector } from '../connectors/framework/connector';
import { createTokenSource } from '../channels/oauth/token-source';
import type { ConnectorRegistry } from '../connectors/registry';
import { ConnectorError, RateLimitedConnectorError } from '../connectors/framework/errors';
import { connectorId, executeConnectorPage, type ChannelConfig, type ExecuteOptions, type PageResult } from '../connectors/framework/execute';
import type { TokenStore } from '../store/token-store';
import { BatchProgress } from './batch-progress';
import type { ConnectorTelemetry } from './connector-telemetry';
import type { ConnectorBatchCall, ConnectorCall, ConnectorPageCall } from './connector-call';

export interface RunConnectorDeps {
  channels: ChannelDirectory;
  tokens: TokenStore;
  registry: ConnectorRegistry;
  telemetry?: ConnectorTelemetry;
}

export function toApplicationFailure(error: ConnectorError): ApplicationFailure {
  const details = [{ connector: error.connector, status: error.status ?? null, reason: error.reason }];
  const base = { message: error.message, type: error.reason, details };
  if (error instanceof RateLimitedConnectorError) return ApplicationFailure.create({ ...base, nextRetryDelay: error.retryAfterMs });
  return ApplicationFailure.create({ ...base, nonRetryable: error.errorClass === 'non-retryable' });
}

/**
 * Same for every retry of one activity, different for every other activity: the run id is part of
 * it because activity ids start again at 1 after continue-as-new.
 */
export function idempotencyKeyOf(info: Info): string | undefined {
  if (!info.workflowExecution) return undefined; // a standalone activity has no stable identity to key on
  const { workflowId, runId } = info.workflowExecution;
  return createHash('sha256').update(`${info.workflowNamespace}/${workflowId}/${runId}/${info.activityId}`).digest('hex').slice(0, 40);
}

export function createRunConnectorActivity(deps: RunConnectorDeps) {
  const runPage = createRunConnectorPageActivity(deps);
  return async function runConnector(call: ConnectorCall): Promise<unknown> {
    return (await runPage(call)).output;
  };
}

/** The channel as a connector needs it: with a token source when its application uses OAuth 2.0. */
export function withAccessTokens(connector: Connector, channel: Channel, deps: Pick<RunConnectorDeps, 'channels' | 'tokens'>): ChannelConfig {
  const auth = connector.application.auth;
  if (!isOAuth(auth)) return channel;
  const accessTokens = createTokenSource({
    connector: connectorId(connector),
    channelId: channel.id,
    auth,
    settings: channel.settings,
    credentials: channel.credentials,
    tokens: deps.tokens,
    onReauthorizationRequired: () => deps.channels.markReauthorizationRequired(channel.id),
  });
  return { ...channel, accessTokens };
}

/** Calls at once within one batch: enough to hide latency, few enough to be polite to the remote. */
const BATCH_CONCURRENCY = 10;

/**
 * The same connector for many inputs (a page of records to write), as one activity: Temporal
 * schedules one task instead of one per record. Which records are done is heartbeated after every
 * chunk, so a retry (after a crash or a failed record) sends only the records still missing; one
 * sent twice anyway applies once when the connector derives idempotency keys from its records.
 * A failed record does not stop the others, except that a rate limit or a non-retryable failure
 * stops sending at once: the service asked us to wait, or the batch cannot succeed.
 */
export function createRunConnectorBatchActivity(deps: RunConnectorDeps) {
  return async function runConnectorBatch(call: ConnectorBatchCall): Promise<unknown[]> {
    const context = Context.current();
    // Resolved once for the whole batch: the channel read (and its decryption) is not per record.
    const target = await resolveTarget(call, deps);
    const progress = BatchProgress.start(call.inputs.length, context.info.heartbeatDetails);
    const outputs: unknown[] = new Array(call.inputs.length).fill(null);
    const pending = progress.pending();
    const failures: unknown[] = [];
    let attempted = 0;
    for (let start = 0; start < pending.length; start += BATCH_CONCURRENCY) {
      const chunk = pending.slice(start, start + BATCH_CONCURRENCY);
      const settled = await Promise.allSettled(chunk.map((index) => runOnTarget(target, call.inputs[index], undefined, index)));
      settled.forEach((result, i) => {
        if (result.status === 'rejected') return void failures.push(result.reason);
        outputs[chunk[i]!] = result.value.output;
        progress.markDone(chunk[i]!);
      });
      attempted += chunk.length;
      context.heartbeat(progress.toDetails());
      if (failures.some(stopsTheBatch)) break;
    }
    // Cancelled: report the cancellation itself, so Temporal sees a cancelled activity, not a failed one.
    if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason;
    if (failures.length > 0) throw batchFailure(failures, attempted);
    return outputs;
  };
}

function stopsTheBatch(failure: unknown): boolean {
  return !(failure instanceof ApplicationFailure) || failure.nonRetryable || failure.nextRetryDelay != null;
}

/**
 * The failure the batch reports, so that Temporal's retry does the right thing: a cancellation or
 * a non-retryable failure as it is; else the longest wait a service asked for; else the first.
 */
function batchFailure(failures: unknown[], attempted: number): unknown {
  const unexpected = failures.findIndex((f) => !(f instanceof ApplicationFailure));
  if (unexpected >= 0) return ensureApplicationFailure(failures[unexpected]);
  const applicationFailures = failures as ApplicationFailure[];
  const fatal = applicationFailures.find((f) => f.nonRetryable);
  if (fatal) return fatal;
  const waits = applicationFailures.filter((f) => f.nextRetryDelay != null);
  const chosen = waits.length > 0 ? waits.reduce((a, b) => (msToNumber(b.nextRetryDelay!) > msToNumber(a.nextRetryDelay!) ? b : a)) : applicationFailures[0]!;
  return ApplicationFailure.create({
    message: `${failures.length} of ${attempted} records failed (the others are done and are not sent again): ${chosen.message}`,
    type: chosen.type ?? undefined,
    details: chosen.details ?? undefined,
    nextRetryDelay: chosen.nextRetryDelay ?? undefined,
    cause: chosen,
  });
}

/**
 * A connector and the channel it runs for, checked to belong together, with what every call of
 * this activity attempt shares: worked out once per activity, not once per record of a batch.
 */
interface Target {
  connector: Connector;
  channel: ChannelConfig & { id: string };
  /** Same for every retry of this activity; a batch appends the record's index. */
  activityKey: string | undefined;
  signal: AbortSignal;
  observe: ExecuteOptions['observe'];
}

async function resolveTarget(call: Pick<ConnectorCall, 'channelId' | 'connector'>, { channels, tokens, registry, telemetry }: RunConnectorDeps): Promise<Target> {
  const connector = await registry.connector(call.connector);
  if (!connector) throw ApplicationFailure.nonRetryable(`unknown connector "${call.connector}"`, 'UnknownConnector');
  const channel = await channels.get(call.channelId);
  if (!channel) throw ApplicationFailure.nonRetryable(`unknown channel "${call.channelId}"`, 'UnknownChannel');
  if (channel.application !== connector.application.name) {
    throw ApplicationFailure.nonRetryable(
      `channel "${channel.id}" belongs to ${channel.application}, connector ${call.connector} to ${connector.application.name}`,
      'ChannelApplicationMismatch',
    );
  }
  const { info, cancellationSignal } = Context.current();
  const callContext = { attempt: info.attempt, workflowId: info.workflowExecution?.workflowId, runId: info.workflowExecution?.runId, channelId: channel.id };
  return {
    connector,
    channel: { ...withAccessTokens(connector, channel, { channels, tokens }), id: channel.id },
    activityKey: idempotencyKeyOf(info),
    signal: cancellationSignal,
    observe: telemetry && ((record) => telemetry.record(record, callContext)),
  };
}

// `batchIndex`: within a batch activity, each record gets its own key (the activity's key alone would be shared by all).
async function runOnTarget(target: Target, input: unknown, page: ConnectorPageCall['page'], batchIndex?: number): Promise<PageResult> {
  try {
    return await executeConnectorPage(target.connector, target.channel, input, page, {
      signal: target.signal,
      idempotencyKey: target.activityKey && batchIndex !== undefined ? `${target.activityKey}-${batchIndex}` : target.activityKey,
      observe: target.observe,
    });
  } catch (err) {
    throw err instanceof ConnectorError ? toApplicationFailure(err) : err;
  }
}

/** One page of any connector: its output and how to get the next page (null for the last one). */
export function createRunConnectorPageActivity(deps: RunConnectorDeps) {
  return async function runConnectorPage(call: ConnectorPageCall): Promise<PageResult> {
    return runOnTarget(await resolveTarget(call, deps), call.input, call.page);
  };
}
