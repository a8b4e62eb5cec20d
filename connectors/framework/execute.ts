/**
 * Runs one connector call for one channel: validate input, build the request through the
 * application (base URL, shared headers, auth, its request hook), send it through the HTTP layer
 * (egress policy, redirects, size cap, timeout), evaluate the answer.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Application } from '../../applications/framework/application';
import { applyAuth, authFor, isOAuth } from '../../applications/framework/auth';
import type { OutgoingRequest } from '../../applications/framework/request';
import type { RequestHookContext } from '../../applications/framework/request-hook';
import type { AccessTokenSource } from '../../channels/oauth/token-source';
import type { CallObserver } from './call-record';
import type { Connector } from './connector';
import { ConnectorError, NonRetryableConnectorError, RetryableConnectorError } from './errors';
import { describeIssues, errorForStatus, parseOutput, type ConnectorResponse } from './evaluate';
import { encodeBody } from './http/body';
import { describeNetworkError, HttpLayerError, HttpTimeoutError, sharedHttpClient, type HttpClient, type WireRequest } from './http/client';
import { withQuery } from './http/query';
import { TokenCache } from './http/token-cache';
import type { NextPage } from './pagination';

const DEFAULT_TIMEOUT_MS = 30_000;

export interface ChannelConfig {
  /** Scopes record-derived idempotency keys and minted tokens to the channel. */
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
  /** The HTTP layer; the process's shared one (configured from the environment) by default. */
  http?: HttpClient;
  /**
   * Told every credential value a request carries: the headers and query parameters auth and the
   * application's request hook set, so the caller can keep them out of error messages, whatever
   * the remote echoes back.
   */
  onCredential?: (value: string) => void;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const mintedTokens = new TokenCache();

interface ChannelValues {
  settings: unknown;
  credentials: unknown;
}

function channelValues(app: Application, channel: ChannelConfig): ChannelValues {
  return { settings: app.settings.parse(channel.settings), credentials: app.credentials.parse(channel.credentials) };
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Names `after` set or replaced since `before`: what auth (or a hook) changes are the request's credentials. */
function changedNames<T>(before: Readonly<Record<string, T>> | ReadonlyMap<string, T>, after: Iterable<[string, T]>): string[] {
  const old = before instanceof Map ? before : new Map(Object.entries(before));
  return [...after].filter(([name, value]) => old.get(name) !== value).map(([name]) => name);
}

export function buildRequest(
  connector: Connector,
  app: Application,
  channel: ChannelConfig,
  input: unknown,
  accessToken?: string,
  idempotencyKey?: string,
  pageUrl?: string,
  values: ChannelValues = channelValues(app, channel),
): OutgoingRequest {
  const spec = connector.request(input);
  const base = app.baseUrl(values.settings).replace(/\/+$/, '');
  const request: OutgoingRequest = {
    method: spec.method,
    url: pageUrl ? sameOrigin(base, pageUrl) : `${base}${spec.path}`,
    // A next-page URL carries its own query; only auth may add to it.
    query: pageUrl ? {} : { ...spec.query },
    queryStyles: pageUrl ? {} : { ...spec.queryStyles },
    headers: { ...lowerCaseKeys(app.headers), ...lowerCaseKeys(spec.headers) },
    body: spec.body,
    credentialHeaders: new Set(),
    credentialQuery: new Set(),
  };
  if (app.userAgent && !request.headers['user-agent']) request.headers['user-agent'] = app.userAgent;
  const [headersBefore, queryBefore] = [{ ...request.headers }, { ...request.query }];
  applyAuth(authFor(app.auth, values.credentials), request, values.credentials, accessToken);
  for (const name of changedNames(headersBefore, Object.entries(request.headers))) request.credentialHeaders.add(name);
  for (const name of changedNames(queryBefore, Object.entries(request.query))) request.credentialQuery.add(name);
  if (idempotencyKey && app.idempotencyKeyHeader && WRITES.has(request.method)) request.headers[app.idempotencyKeyHeader.toLowerCase()] = idempotencyKey;
  return request;
}

/** Credentials go only where the channel points: a next-page link to another origin is refused. */
function sameOrigin(base: string, pageUrl: string): string {
  if (new URL(pageUrl).origin !== new URL(base).origin) throw new Error(`next-page link ${new URL(pageUrl).origin} is not on ${new URL(base).origin}`);
  return pageUrl;
}

export function urlOf(request: OutgoingRequest): URL {
  return withQuery(request.url, request.query, request.queryStyles);
}

/** The request as bytes on the wire; an encoded body's content type unless the connector set one (multipart's carries its boundary, so it always wins). */
function toWire(request: OutgoingRequest): WireRequest {
  const body = encodeBody(request.body);
  const headers = body ? (body.headers['content-type']?.startsWith('multipart/') ? { ...request.headers, ...body.headers } : { ...body.headers, ...request.headers }) : { ...request.headers };
  return { method: request.method, url: urlOf(request), headers, body: body?.data, credentialHeaders: new Set(request.credentialHeaders), credentialQuery: new Set(request.credentialQuery) };
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
  const values = channelValuesOrThrow(id, connector.application, channel);

  const oauth = isOAuth(authFor(connector.application.auth, values.credentials));
  if (oauth && !channel.accessTokens) throw new NonRetryableConnectorError(id, 'this application uses OAuth 2.0 but no token source was given', 'NoTokenSource');
  let accessToken = oauth ? await tokenOrThrow(id, options, () => channel.accessTokens!.get()) : undefined;

  const call: Call = { id, connector, channel, values, timeoutMs: connector.timeoutMs ?? connector.application.timeoutMs ?? DEFAULT_TIMEOUT_MS, options, http: options.http ?? sharedHttpClient() };
  const idempotencyKey = connector.idempotencyKey ? recordIdempotencyKey(id, channel.id ?? '', connector.idempotencyKey(parsedInput.data)) : options.idempotencyKey;
  const build = () => buildRequestOrThrow(id, connector, channel, parsedInput.data, accessToken, idempotencyKey, page?.url, values);
  let response = await observed(call, build());
  if (oauth && response.status === 401) {
    // The token may have been revoked or expired early: renew once and try again.
    accessToken = await tokenOrThrow(id, options, () => channel.accessTokens!.afterUnauthorized(accessToken!));
    response = await observed(call, build());
  }
  const defaults = (): unknown => {
    if (response.status >= 200 && response.status < 300) return response.body;
    throw errorForStatus(id, response);
  };
  const value = connector.evaluate ? connector.evaluate(response, defaults) : defaults();
  const output = parseOutput(id, connector.output, value);
  return { output, next: connector.paginator?.next({ input: parsedInput.data as never, output: output as never, response }) ?? null };
}

interface Call {
  id: string;
  connector: Connector;
  channel: ChannelConfig;
  values: ChannelValues;
  timeoutMs: number;
  options: ExecuteOptions;
  http: HttpClient;
}

/** A token request the HTTP layer refused (egress policy) is reported like a refused API call: logged and counted. */
async function tokenOrThrow(id: string, options: ExecuteOptions, get: () => Promise<string>): Promise<string> {
  try {
    return await get();
  } catch (err) {
    if (err instanceof ConnectorError && err.reason === 'EgressRefused')
      options.observe?.({ connector: id, method: 'POST', url: '(OAuth token endpoint)', status: null, outcome: err.errorClass, reason: err.reason, durationMs: 0 });
    throw err;
  }
}

/**
 * Sends one request and reports it. The outcome reported is the status class; a 2xx whose body
 * later fails evaluation is still an "ok" call at the HTTP level.
 */
async function observed(call: Call, request: OutgoingRequest): Promise<ConnectorResponse> {
  const started = performance.now();
  const report = (status: number | null, outcome: CallRecordOutcome, reason?: string) =>
    call.options.observe?.({ connector: call.id, method: request.method, url: redactedUrl(request), status, outcome, reason, durationMs: Math.round(performance.now() - started) });
  try {
    const response = await send(call, request);
    if (response.status >= 200 && response.status < 300) report(response.status, 'ok');
    else {
      const error = errorForStatus(call.id, response);
      report(response.status, error.errorClass, error.reason);
    }
    return response;
  } catch (err) {
    if (err instanceof ConnectorError) report(null, err.errorClass, err.reason);
    throw err;
  }
}

type CallRecordOutcome = Parameters<CallObserver>[0]['outcome'];

/** The URL as it may be logged: no user info, and every credential query parameter redacted. */
function redactedUrl(request: OutgoingRequest): string {
  const url = urlOf(request);
  url.username = '';
  url.password = '';
  for (const name of request.credentialQuery) if (url.searchParams.has(name)) url.searchParams.set(name, 'redacted');
  return url.toString();
}

function channelValuesOrThrow(id: string, app: Application, channel: ChannelConfig): ChannelValues {
  try {
    return channelValues(app, channel);
  } catch (err) {
    throw invalidChannel(id, err);
  }
}

function buildRequestOrThrow(
  id: string,
  connector: Connector,
  channel: ChannelConfig,
  input: unknown,
  accessToken: string | undefined,
  idempotencyKey: string | undefined,
  pageUrl: string | undefined,
  values: ChannelValues,
): OutgoingRequest {
  try {
    return buildRequest(connector, connector.application, channel, input, accessToken, idempotencyKey, pageUrl, values);
  } catch (err) {
    throw invalidChannel(id, err);
  }
}

/** Settings/credentials that do not fit the application: a configuration error, not transient. */
function invalidChannel(id: string, err: unknown): NonRetryableConnectorError {
  // The message names fields only; zod messages never contain the values themselves.
  const detail = err instanceof z.ZodError ? describeIssues(err) : (err as Error).message;
  return new NonRetryableConnectorError(id, `channel configuration is invalid: ${detail}`, 'InvalidChannelConfig');
}

/** The application's request hook, with what it needs; what it changes becomes credentials of the request. */
function hookFor(call: Call): ((request: WireRequest) => Promise<void>) | undefined {
  const hook = call.connector.application.requestHook;
  if (!hook) return undefined;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(call.values.credentials) ?? '')
    .digest('hex')
    .slice(0, 16);
  const context: RequestHookContext<unknown, unknown> = {
    credentials: call.values.credentials,
    settings: call.values.settings,
    channelId: call.channel.id,
    token: (key, mint, options) => mintedTokens.get(`${call.connector.application.name}\n${call.channel.id ?? ''}\n${fingerprint}\n${key}`, mint, options?.renewBeforeMs),
    send: async ({ method, url, headers, json }) => {
      const body = encodeBody(json);
      const response = await call.http.send(
        {
          method,
          url: new URL(url),
          headers: { ...body?.headers, ...lowerCaseKeys(headers) },
          body: body?.data,
          credentialHeaders: new Set(Object.keys(lowerCaseKeys(headers))),
          credentialQuery: new Set(),
        },
        // A token exchange carries secrets in its body: a redirect is the hook's to judge.
        { timeoutMs: call.timeoutMs, signal: call.options.signal, maxRedirects: 0 },
      );
      return { status: response.status, headers: response.headers, text: response.text, body: parseBody(response.text, response.headers) };
    },
  };
  return async (request) => {
    const [headersBefore, queryBefore] = [{ ...request.headers }, new Map(request.url.searchParams)];
    await hook({ method: request.method, url: request.url, headers: request.headers, body: Buffer.isBuffer(request.body) ? request.body : undefined }, context);
    for (const name of changedNames(headersBefore, Object.entries(request.headers))) {
      request.credentialHeaders.add(name);
      call.options.onCredential?.(request.headers[name]!);
    }
    for (const name of changedNames(queryBefore, request.url.searchParams)) {
      request.credentialQuery.add(name);
      for (const value of request.url.searchParams.getAll(name)) call.options.onCredential?.(value);
    }
  };
}

/** What auth put into the request (the hook's additions are reported as it makes them). */
function reportCredentials(request: OutgoingRequest, report: ((value: string) => void) | undefined): void {
  if (!report) return;
  for (const name of request.credentialHeaders) if (request.headers[name] !== undefined) report(request.headers[name]);
  for (const name of request.credentialQuery) for (const value of stringLeaves(request.query[name])) report(value);
}

function stringLeaves(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object') return [String(value)];
  return Object.values(value).flatMap(stringLeaves);
}

async function send(call: Call, request: OutgoingRequest): Promise<ConnectorResponse> {
  const { id, timeoutMs } = call;
  reportCredentials(request, call.options.onCredential);
  try {
    const response = await call.http.send(toWire(request), { timeoutMs, signal: call.options.signal, prepare: hookFor(call) });
    return { status: response.status, headers: response.headers, text: response.text, raw: response.raw, url: response.url, body: parseBody(response.text, response.headers) };
  } catch (err) {
    if (err instanceof ConnectorError) throw err;
    if (err instanceof HttpTimeoutError) throw new RetryableConnectorError(id, err.message, 'Timeout');
    if (err instanceof HttpLayerError) throw new NonRetryableConnectorError(id, err.message, err.reason);
    if (call.options.signal?.aborted) throw err; // cancelled by Temporal: not ours to classify
    throw new RetryableConnectorError(id, `network error: ${describeNetworkError(err)}`, 'NetworkError');
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

export { ConnectorError };
