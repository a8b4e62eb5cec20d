/**
 * The one activity that runs any connector for a channel. It resolves the channel's credentials
 * (and OAuth tokens) itself, so they never enter workflow history, and maps connector errors onto
 * Temporal's retry semantics: non-retryable failures stop, rate limits set the next retry delay.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure, Context, type Info } from '@temporalio/activity';
import { authOf } from '../applications/framework/application';
import { isOAuth, oauthMethodOf } from '../applications/framework/auth';
import type { Channel, ChannelDirectory } from '../channels/channel';
import type { Connector } from '../connectors/framework/connector';
import { createTokenSource } from '../channels/oauth/token-source';
import type { ConnectorRegistry } from '../connectors/registry';
import { ConnectorError, RateLimitedConnectorError } from '../connectors/framework/errors';
import { connectorId, executeConnectorPage, type ChannelConfig, type ExecuteOptions, type PageResult } from '../connectors/framework/execute';
import type { TokenStore } from '../store/token-store';
import { redactError, SecretRedactor } from './secret-redaction';
import type { ConnectorTelemetry } from './connector-telemetry';
import { currentRequestId } from '../runtime/request-context';
import type { ConnectorCall, ConnectorPageCall } from './connector-call';

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

/** What a default idempotency key is derived from, besides the activity's identity. */
export interface KeyScope {
  /**
   * The run id a reset keeps (the workflow's originalExecutionRunId, sent with the call): POST
   * /runs/:id/retry resets a run, and its new run must send the writes that had succeeded with
   * the keys they had, so the remote applies them once. Absent (an older workflow): the run id.
   */
  originalRunId?: string;
  /** What the activity sends (connector and input): see idempotencyKeyOf. */
  content?: unknown;
  /** A local call's count of same-content calls before it (ConnectorCall.occurrence): keyed on that, not on the activity id. */
  occurrence?: number;
}

/**
 * Same for every retry of one activity and for the same activity of a run's reset (same
 * workflow id, original run id and activity id), different for every other activity: a
 * continue-as-new starts a run with its own original run id, since activity ids start again at 1.
 * The content (connector and input) is part of it because a reset run may take another path,
 * where activity 3 is another write: that write must not be answered from the first one's key.
 */
export function idempotencyKeyOf(info: Info, scope: KeyScope = {}): string | undefined {
  if (!info.workflowExecution) return undefined; // a standalone activity has no stable identity to key on
  const { workflowId, runId } = info.workflowExecution;
  const position = scope.occurrence === undefined ? info.activityId : `local-${scope.occurrence}`;
  const key = createHash('sha256').update(`${info.workflowNamespace}/${workflowId}/${scope.originalRunId ?? runId}/${position}`);
  if (scope.content !== undefined) key.update(`/${JSON.stringify(scope.content)}`);
  return key.digest('hex').slice(0, 40);
}

/**
 * The failure as it may leave an activity that ran `connector` for `channelId`: the channel's
 * secrets that `secrets` holds taken out of it, and its stored OAuth tokens too (read only now
 * that something failed: the refresh token is never in a request, and the access token may have
 * been renewed by another activity meanwhile).
 */
export async function redactedFailure(err: unknown, secrets: SecretRedactor, connector: Connector, channelId: string, tokens: TokenStore): Promise<unknown> {
  if (oauthMethodOf(connector.application.auth)) {
    const stored = (await tokens.read(channelId).catch(() => undefined))?.tokens;
    // The tokens alone: token type and scope ("Bearer", "tickets:read") are no secrets.
    secrets.addValues([stored?.accessToken, stored?.refreshToken]);
  }
  return redactError(err, (text) => secrets.redact(text));
}

export function createRunConnectorActivity(deps: RunConnectorDeps) {
  const runPage = createRunConnectorPageActivity(deps);
  return async function runConnector(call: ConnectorCall): Promise<unknown> {
    return (await runPage(call)).output;
  };
}

/** The channel as a connector needs it: with a token source when its application uses OAuth 2.0. */
export function withAccessTokens(connector: Connector, channel: Channel, deps: Pick<RunConnectorDeps, 'channels' | 'tokens'>): ChannelConfig {
  const auth = authOf(connector.application, channel.credentials);
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

/**
 * A connector and the channel it runs for, checked to belong together, with what every call of
 * this activity attempt shares: worked out once per activity, not once per record of a batch.
 */
export interface Target {
  connector: Connector;
  channel: ChannelConfig & { id: string };
  /** Same for every retry of this activity and in a reset of its run; a batch derives each record's from it (keyFor). */
  activityKey: string | undefined;
  /**
   * The call came from a workflow older than original run ids in calls: its keys keep the form its
   * earlier attempts sent (run id, no content), so a deploy in the middle of its retries applies
   * nothing twice.
   */
  legacyKeys: boolean;
  signal: AbortSignal;
  observe: ExecuteOptions['observe'];
  /** The channel's credentials and what its requests carried: kept out of whatever this activity reports. */
  secrets: SecretRedactor;
}

/** `content`: what the activity sends, part of its default idempotency key (see idempotencyKeyOf). */
export async function resolveTarget(
  call: Pick<ConnectorCall, 'channelId' | 'connector' | 'originalRunId' | 'occurrence'>,
  content: unknown,
  { channels, tokens, registry, telemetry }: RunConnectorDeps,
): Promise<Target> {
  const connector = await registry.connector(call.connector);
  if (!connector) throw ApplicationFailure.nonRetryable(`unknown connector "${call.connector}"`, 'UnknownConnector');
  const channel = await channels.get(call.channelId);
  if (!channel) throw ApplicationFailure.nonRetryable(`unknown channel "${call.channelId}"`, 'UnknownChannel');
  if (channel.application !== connector.application.name) {
    throw ApplicationFailure.nonRetryable(`channel "${channel.id}" belongs to ${channel.application}, connector ${call.connector} to ${connector.application.name}`, 'ChannelApplicationMismatch');
  }
  const { info, cancellationSignal } = Context.current();
  // Who the call is for: the run (id, run id, flow) and channel, and the API request that started the run.
  const callContext = {
    attempt: info.attempt,
    workflowId: info.workflowExecution?.workflowId,
    runId: info.workflowExecution?.runId,
    flow: info.workflowType,
    channelId: channel.id,
    requestId: currentRequestId(),
  };
  const secrets = new SecretRedactor();
  secrets.addValues(channel.credentials);
  return {
    connector,
    channel: { ...withAccessTokens(connector, channel, { channels, tokens }), id: channel.id },
    activityKey: idempotencyKeyOf(info, call.originalRunId === undefined ? {} : { originalRunId: call.originalRunId, content, occurrence: call.occurrence }),
    legacyKeys: call.originalRunId === undefined,
    signal: cancellationSignal,
    // The URL is logged without credential parameters already; a secret in its path goes too.
    observe: telemetry && ((record) => telemetry.record({ ...record, url: secrets.redact(record.url) }, callContext)),
    secrets,
  };
}

/** Runs an activity's work on its target; what fails leaves it redacted of the channel's secrets. */
export async function reportingRedacted<T>(target: Target, deps: RunConnectorDeps, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw await redactedFailure(err, target.secrets, target.connector, target.channel.id, deps.tokens);
  }
}

/**
 * Within a batch activity, each record gets its own key (the activity's key alone would be shared
 * by all), from its place and its content: if a reset run's batch differs, a record that moved
 * is sent again under a new key rather than answered from another record's.
 */
function keyFor({ activityKey, legacyKeys }: Target, input: unknown, batchIndex: number | undefined): string | undefined {
  if (!activityKey || batchIndex === undefined) return activityKey;
  if (legacyKeys) return `${activityKey}-${batchIndex}`;
  return createHash('sha256')
    .update(`${activityKey}/${batchIndex}/${JSON.stringify(input)}`)
    .digest('hex')
    .slice(0, 40);
}

export async function runOnTarget(target: Target, input: unknown, page: ConnectorPageCall['page'], batchIndex?: number): Promise<PageResult> {
  try {
    return await executeConnectorPage(target.connector, target.channel, input, page, {
      signal: target.signal,
      idempotencyKey: keyFor(target, input, batchIndex),
      observe: target.observe,
      onCredential: (value) => target.secrets.addSent(value),
    });
  } catch (err) {
    throw err instanceof ConnectorError ? toApplicationFailure(err) : err;
  }
}

/** One page of any connector: its output and how to get the next page (null for the last one). */
export function createRunConnectorPageActivity(deps: RunConnectorDeps) {
  return async function runConnectorPage(call: ConnectorPageCall): Promise<PageResult> {
    const target = await resolveTarget(call, { connector: call.connector, input: call.input, page: call.page }, deps);
    return reportingRedacted(target, deps, () => runOnTarget(target, call.input, call.page));
  };
}
