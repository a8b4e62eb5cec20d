/**
 * Runs one connector call for one channel: validate input, build the request through the
 * application (base URL, shared headers, auth), send it with a timeout, evaluate the answer.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Application } from '../../applications/framework/application';
import { applyAuth, isOAuth } from '../../applications/framework/auth';
import type { AccessTokenSource } from '../../channels/oauth/token-source';
import type { OutgoingRequest } from '../../applications/framework/request';
import type { Connector } from './connector';
import { NonRetryableConnectorError, RetryableConnectorError, ConnectorError } from './errors';
import type { CallObserver } from './call-record';
import type { NextPage } from './pagination';
import { describeIssues, errorForStatus, parseOutput, type ConnectorResponse } from './evaluate';

const DEFAULT_TIMEOUT_MS = 30_000;

export interface ChannelConfig {
  /** Scopes record-derived idempotency keys to the channel. */
  id?: string;
  settings: unknown;
  credentials: unknown;
  /** Access tokens, for applications whose auth is OAuth 2.0. */
  accessTokens?: AccessTokenSource;
}

export interface ExecuteOptions {
  /** Cancels the request, e.g. the activity's cancellation signal. */
  signal?: AbortSignal;
  /** Sent on writes when the application reads idempotency keys; the same for every retry of one activity. */
  idempotencyKey?: string;
  /** Told about every HTTP call made, whatever its outcome. */
  observe?: CallObserver;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function buildRequest(connector: Connector, app: Application, channel: ChannelConfig, input: unknown, accessToken?: string, idempotencyKey?: string, pageUrl?: string): OutgoingRequest {
  const settings = app.settings.parse(channel.settings);
  const credentials = app.credentials.parse(channel.credentials);
  const spec = connector.request(input);
  const base = app.baseUrl(settings).replace(/\/+$/, '');
  const request: OutgoingRequest = {
    method: spec.method,
    url: pageUrl ? sameOrigin(base, pageUrl) : `${base}${spec.path}`,
    // A next-page URL carries its own query; only auth may add to it.
    query: pageUrl ? {} : { ...spec.query },
    headers: { ...lowerCaseKeys(app.headers), ...lowerCaseKeys(spec.headers) },
    body: spec.body,
  };
  applyAuth(app.auth, request, credentials, accessToken);
  if (idempotencyKey && app.idempotencyKeyHeader && WRITES.has(request.method)) request.headers[app.idempotencyKeyHeader.toLowerCase()] = idempotencyKey;
  return request;
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Credentials go only where the channel points: a next-page link to another origin is refused. */
function sameOrigin(base: string, pageUrl: string): string {
  if (new URL(pageUrl).origin !== new URL(base).origin) throw new Error(`next-page link ${new URL(pageUrl).origin} is not on ${new URL(base).origin}`);
  return pageUrl;
}

export function urlOf(request: OutgoingRequest): URL {
  const url = new URL(request.url);
  for (const [key, value] of Object.entries(request.query)) if (value !== undefined) url.searchParams.set(key, String(value));
  return url;
}

/**
 * The key for a write whose connector derives it from the record: the same record version written
 * again (a retry, a re-run after a crash, an overlapping sync) carries the same key, so it applies
 * once. Scoped to channel and connector so two of them never share a key.
 */
export function recordIdempotencyKey(connector: string, channelId: string, recordKey: string): string {
  return createHash('sha256').update(`${channelId}\n${connector}\n${recordKey}`).digest('hex').slice(0, 40);
}

export function connectorId(connector: Connector): string {
  return `${connector.application.name}.${connector.name}`;
}

export async function executeConnector(connector: Connector, channel: ChannelConfig, rawInput: unknown, options: ExecuteOptions = {}): Promise<unknown> {
  return (await executeConnectorPage(connector, channel, rawInput, undefined, options)).output;
}

export interface PageResult {
  output: unknown;
  /** How to get the next page; null when this was the last one or the connector does not paginate. */
  next: NextPage | null;
}

/** One page: `page` (from the previous result) picks it, else `rawInput` fetches the first. */
export async function executeConnectorPage(connector: Connector, channel: ChannelConfig, rawInput: unknown, page: NextPage | undefined, options: ExecuteOptions = {}): Promise<PageResult> {
  const id = connectorId(connector);
  const parsedInput = connector.input.safeParse(page ? page.input : rawInput);
  if (!parsedInput.success) throw new NonRetryableConnectorError(id, `invalid input: ${describeIssues(parsedInput.error)}`, 'InvalidInput');

  const oauth = isOAuth(connector.application.auth);
  if (oauth && !channel.accessTokens) throw new NonRetryableConnectorError(id, 'this application uses OAuth 2.0 but no token source was given', 'NoTokenSource');
  let accessToken = oauth ? await channel.accessTokens!.get() : undefined;

  const timeoutMs = connector.timeoutMs ?? connector.application.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const idempotencyKey = connector.idempotencyKey ? recordIdempotencyKey(id, channel.id ?? '', connector.idempotencyKey(parsedInput.data)) : options.idempotencyKey;
  let response = await observed(id, connector, buildRequestOrThrow(id, connector, channel, parsedInput.data, accessToken, idempotencyKey, page?.url), timeoutMs, options);
  if (oauth && response.status === 401) {
    // The token may have been revoked or expired early: renew once and try again.
    accessToken = await channel.accessTokens!.afterUnauthorized(accessToken!);
    response = await observed(id, connector, buildRequestOrThrow(id, connector, channel, parsedInput.data, accessToken, idempotencyKey, page?.url), timeoutMs, options);
  }
  const defaults = (): unknown => {
    if (response.status >= 200 && response.status < 300) return response.body;
    throw errorForStatus(id, response);
  };
  const value = connector.evaluate ? connector.evaluate(response, defaults) : defaults();
  const output = parseOutput(id, connector.output, value);
  return { output, next: connector.paginator?.next({ input: parsedInput.data as never, output: output as never, response }) ?? null };
}

/**
 * Sends one request and reports it. The outcome reported is the status class; a 2xx whose body
 * later fails evaluation is still an "ok" call at the HTTP level.
 */
async function observed(id: string, connector: Connector, request: OutgoingRequest, timeoutMs: number, options: ExecuteOptions): Promise<ConnectorResponse> {
  const started = performance.now();
  const report = (status: number | null, outcome: CallRecordOutcome, reason?: string) =>
    options.observe?.({ connector: id, method: request.method, url: redactedUrl(connector, request), status, outcome, reason, durationMs: Math.round(performance.now() - started) });
  try {
    const response = await send(id, request, timeoutMs, options.signal);
    if (response.status >= 200 && response.status < 300) report(response.status, 'ok');
    else {
      const error = errorForStatus(id, response);
      report(response.status, error.errorClass, error.reason);
    }
    return response;
  } catch (err) {
    if (err instanceof ConnectorError) report(null, err.errorClass, err.reason);
    throw err;
  }
}

type CallRecordOutcome = Parameters<CallObserver>[0]['outcome'];

/** The URL as it may be logged: no user info, and the API key parameter (if auth uses one) redacted. */
export function redactedUrl(connector: Connector, request: OutgoingRequest): string {
  const url = urlOf(request);
  url.username = '';
  url.password = '';
  const auth = connector.application.auth;
  if (auth.kind === 'api-key' && auth.in === 'query' && url.searchParams.has(auth.name)) url.searchParams.set(auth.name, 'redacted');
  return url.toString();
}

function buildRequestOrThrow(id: string, connector: Connector, channel: ChannelConfig, input: unknown, accessToken: string | undefined, idempotencyKey: string | undefined, pageUrl: string | undefined): OutgoingRequest {
  try {
    return buildRequest(connector, connector.application, channel, input, accessToken, idempotencyKey, pageUrl);
  } catch (err) {
    // Settings/credentials that do not fit the application: a configuration error, not transient.
    // The message names fields only; zod messages never contain the values themselves.
    const detail = err instanceof z.ZodError ? describeIssues(err) : (err as Error).message;
    throw new NonRetryableConnectorError(id, `channel configuration is invalid: ${detail}`, 'InvalidChannelConfig');
  }
}

async function send(id: string, request: OutgoingRequest, timeoutMs: number, cancel: AbortSignal | undefined): Promise<ConnectorResponse> {
  // One controller and a plain timer, not AbortSignal.timeout() + AbortSignal.any(): on Node 20
  // those two cost ~30 µs a request (the polling benchmark's profile) and AbortSignal.any() keeps
  // every combined signal alive as long as the activity's cancellation signal lives.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onCancel = () => controller.abort(cancel!.reason);
  if (cancel?.aborted) onCancel();
  else cancel?.addEventListener('abort', onCancel, { once: true });
  const hasBody = request.body !== undefined;
  try {
    const res = await fetch(urlOf(request), {
      method: request.method,
      headers: hasBody ? { 'content-type': 'application/json', ...request.headers } : request.headers,
      body: hasBody ? JSON.stringify(request.body) : undefined,
      signal: controller.signal,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: parseBody(text, res.headers) };
  } catch (err) {
    if (timedOut) throw new RetryableConnectorError(id, `no answer within ${timeoutMs} ms`, 'Timeout');
    if (cancel?.aborted) throw err; // cancelled by Temporal: not ours to classify
    throw new RetryableConnectorError(id, `network error: ${describeNetworkError(err)}`, 'NetworkError');
  } finally {
    clearTimeout(timer);
    cancel?.removeEventListener('abort', onCancel);
  }
}

function parseBody(text: string, headers: Headers): unknown {
  if (text === '') return undefined;
  const type = headers.get('content-type') ?? '';
  if (!/json/i.test(type)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

export { ConnectorError };
