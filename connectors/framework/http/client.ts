/**
 * The one way the engine's connectors reach the internet: axios on the guarded keep-alive agents,
 * with the engine (not axios) deciding what a status means, redirects followed by hand (each hop
 * through the egress policy, credentials dropped when a hop leaves the origin), response bodies
 * read as a stream up to a cap, and a total time limit per request.
 */
import type { Readable } from 'node:stream';
import axios, { AxiosError, type AxiosInstance, type AxiosResponse, type RawAxiosRequestHeaders } from 'axios';
import { EgressPolicy, EgressRefusedError } from './egress-policy';
import { GuardedHttpAgent, GuardedHttpsAgent, type AgentTuning } from './guarded-agent';
import { productUserAgent } from './user-agent';
import { processEnv, type Env } from '../../../runtime/config/environment';

export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Credentials whoever set them, as the Fetch standard drops them on a hop to another origin. */
const ALWAYS_CREDENTIALS = ['authorization', 'proxy-authorization', 'cookie'];

/** A request as it goes on the wire, after auth and any signing hook. */
export interface WireRequest {
  method: string;
  url: URL;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: Buffer | Readable;
  /** Header and query names that carry credentials: removed on a hop to another origin (a signing hook adds to them). */
  credentialHeaders: Set<string>;
  credentialQuery: Set<string>;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The body's bytes, as received (after content decoding). */
  raw: Buffer;
  text: string;
  /** Where the answer came from, after redirects: relative links resolve against it. */
  url: string;
}

export interface SendOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Redirects followed, at most 5 (the default); 0 hands a 3xx back as the answer. */
  maxRedirects?: number;
  /** Runs before the first hop and before each hop that stays on the origin (e.g. to sign it again). */
  prepare?: (request: WireRequest) => Promise<void> | void;
}

/** A failure of the layer itself, not of the remote: each is final, retrying cannot change it. */
export class HttpLayerError extends Error {
  constructor(
    readonly reason: 'EgressRefused' | 'ResponseTooLarge' | 'TooManyRedirects' | 'RedirectNotFollowed' | 'UnsupportedScheme',
    message: string,
  ) {
    super(message);
    this.name = 'HttpLayerError';
  }
}

/** No answer within the time limit. */
export class HttpTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'HttpTimeoutError';
  }
}

export interface HttpClientOptions {
  policy: EgressPolicy;
  maxResponseBytes: number;
  tuning: AgentTuning;
  userAgent: string;
}

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return n;
}

export function httpClientOptionsFromEnv(env: Env): HttpClientOptions {
  return {
    policy: EgressPolicy.fromEnv(env),
    maxResponseBytes: positiveInt(env.CONNECTOR_MAX_RESPONSE_BYTES, 'CONNECTOR_MAX_RESPONSE_BYTES', DEFAULT_MAX_RESPONSE_BYTES),
    tuning: {
      maxSocketsPerOrigin: positiveInt(env.CONNECTOR_MAX_SOCKETS_PER_ORIGIN, 'CONNECTOR_MAX_SOCKETS_PER_ORIGIN', 64),
      maxFreeSocketsPerOrigin: positiveInt(env.CONNECTOR_MAX_FREE_SOCKETS_PER_ORIGIN, 'CONNECTOR_MAX_FREE_SOCKETS_PER_ORIGIN', 16),
      maxSockets: positiveInt(env.CONNECTOR_MAX_SOCKETS, 'CONNECTOR_MAX_SOCKETS', 1024),
    },
    userAgent: productUserAgent(),
  };
}

function toHeaders(raw: AxiosResponse['headers']): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, String(item));
  }
  return headers;
}

function decode(raw: Buffer, contentType: string | null): string {
  const charset = /charset="?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  if (!charset || /^utf-?8$/i.test(charset)) return raw.toString('utf8');
  try {
    return new TextDecoder(charset).decode(raw);
  } catch {
    return raw.toString('utf8');
  }
}

function bytes(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.alloc(0);
}

/** The next hop's request, or why there is none. Follows what browsers and fetch do with methods. */
function redirectTarget(location: string, from: URL): URL {
  try {
    return new URL(location, from);
  } catch {
    // The location itself stays out of the message: it may carry a token.
    throw new HttpLayerError('RedirectNotFollowed', 'a redirect whose Location is not a URL');
  }
}

function nextHop(request: WireRequest, status: number, location: string): WireRequest {
  const url = redirectTarget(location, request.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HttpLayerError('RedirectNotFollowed', `redirect to a ${url.protocol} URL is not followed`);
  const becomesGet = (status === 303 && request.method !== 'HEAD') || ((status === 301 || status === 302) && request.method === 'POST');
  const headers = { ...request.headers };
  let body = request.body;
  if (becomesGet) {
    body = undefined;
    for (const name of ['content-type', 'content-length', 'content-encoding', 'transfer-encoding']) delete headers[name];
  } else if (body !== undefined && !Buffer.isBuffer(body)) {
    throw new HttpLayerError('RedirectNotFollowed', `a ${status} redirect asks to send the body again, but it was a stream`);
  }
  let { credentialHeaders, credentialQuery } = request;
  // A body can carry secrets as much as a header (a webhook secret, a token exchange): it is not
  // sent to another origin.
  if (body !== undefined && url.origin !== request.url.origin) throw new HttpLayerError('RedirectNotFollowed', `a ${status} redirect asks to send the body to another origin (${url.origin})`);
  if (url.origin === request.url.origin) {
    // Credentials were given for this origin: an API key in the query goes along, as headers do.
    for (const name of credentialQuery) {
      const value = request.url.searchParams.get(name);
      if (value !== null && !url.searchParams.has(name)) url.searchParams.set(name, value);
    }
  } else {
    // Credentials were given for one origin: none of them travel to another.
    for (const name of [...credentialHeaders, ...ALWAYS_CREDENTIALS]) delete headers[name];
    for (const name of credentialQuery) if (url.searchParams.has(name)) url.searchParams.delete(name);
    credentialHeaders = new Set();
    credentialQuery = new Set();
  }
  return { method: becomesGet ? 'GET' : request.method, url, headers, body, credentialHeaders, credentialQuery };
}

export class HttpClient {
  readonly axios: AxiosInstance;
  readonly policy: EgressPolicy;
  readonly maxResponseBytes: number;
  readonly userAgent: string;

  constructor(options: HttpClientOptions) {
    this.policy = options.policy;
    this.maxResponseBytes = options.maxResponseBytes;
    this.userAgent = options.userAgent;
    this.axios = axios.create({
      httpAgent: new GuardedHttpAgent(options.policy, options.tuning),
      httpsAgent: new GuardedHttpsAgent(options.policy, options.tuning),
      // A proxy from the environment would be the only address the policy sees.
      proxy: false,
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'arraybuffer',
      maxContentLength: options.maxResponseBytes,
      maxBodyLength: Infinity,
      decompress: true,
    });
  }

  /** Sends one request, following up to 5 redirects. Throws HttpLayerError, HttpTimeoutError, or the network error. */
  async send(first: WireRequest, options: SendOptions): Promise<HttpResponse> {
    // One controller and a plain timer for the whole exchange, redirects included.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    const cancel = options.signal;
    const onCancel = () => controller.abort(cancel!.reason);
    if (cancel?.aborted) onCancel();
    else cancel?.addEventListener('abort', onCancel, { once: true });
    try {
      // axios would answer a data: URL itself, past the policy; only the network schemes go.
      if (first.url.protocol !== 'http:' && first.url.protocol !== 'https:') throw new HttpLayerError('UnsupportedScheme', `a ${first.url.protocol} URL is not sent`);
      let request = first;
      let sameOrigin = true;
      await options.prepare?.(request);
      const maxRedirects = Math.min(options.maxRedirects ?? MAX_REDIRECTS, MAX_REDIRECTS);
      for (let hop = 0; ; hop++) {
        const response = await this.exchange(request, controller.signal);
        const location = response.headers.get('location');
        if (!REDIRECTS.has(response.status) || !location || options.maxRedirects === 0) return response;
        if (hop === maxRedirects) throw new HttpLayerError('TooManyRedirects', `more than ${maxRedirects} redirects, the last to ${redirectTarget(location, request.url).origin}`);
        const next = nextHop(request, response.status, location);
        sameOrigin &&= next.url.origin === request.url.origin;
        if (sameOrigin) await options.prepare?.(next);
        request = next;
      }
    } catch (err) {
      if (timedOut) throw new HttpTimeoutError(options.timeoutMs);
      if (cancel?.aborted) throw cancel.reason ?? err;
      throw this.unwrap(err);
    } finally {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    }
  }

  private async exchange(request: WireRequest, signal: AbortSignal): Promise<HttpResponse> {
    const response = await this.axios.request<ArrayBuffer>({
      method: request.method,
      url: request.url.toString(),
      headers: { 'user-agent': this.userAgent, ...request.headers } as RawAxiosRequestHeaders,
      data: request.body,
      signal,
    });
    const raw = bytes(response.data);
    const headers = toHeaders(response.headers);
    return { status: response.status, headers, raw, text: decode(raw, headers.get('content-type')), url: request.url.toString() };
  }

  /** The layer's own errors out of axios's wrapping; network errors as they came. */
  private unwrap(err: unknown): unknown {
    if (err instanceof HttpLayerError) return err;
    const cause = err instanceof AxiosError ? (err.cause ?? err) : err;
    if (cause instanceof EgressRefusedError) return new HttpLayerError('EgressRefused', cause.message);
    if (err instanceof AxiosError && /maxContentLength size of \d+ exceeded/.test(err.message)) {
      return new HttpLayerError('ResponseTooLarge', `the response is larger than the limit of ${formatBytes(this.maxResponseBytes)} (CONNECTOR_MAX_RESPONSE_BYTES)`);
    }
    // An AxiosError carries its config: URL (an API key in the query), headers, body. Only its code and message leave.
    if (err instanceof AxiosError) return Object.assign(new Error(err.message), { code: (err.cause as NodeJS.ErrnoException | undefined)?.code ?? err.code });
    return err;
  }
}

function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** The network error's code (ECONNRESET, ECONNREFUSED, …) or message. */
export function describeNetworkError(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  return e.cause?.code ?? (e.code && e.code !== 'ERR_NETWORK' ? e.code : undefined) ?? e.cause?.message ?? e.message ?? String(err);
}

let shared: HttpClient | undefined;

/**
 * The process's client. A process's `main` configures it from its checked environment
 * (configureSharedHttpClient); unconfigured (tests, one-off scripts), it is built on first use
 * from the environment as it is then.
 */
export function sharedHttpClient(): HttpClient {
  shared ??= new HttpClient(httpClientOptionsFromEnv(processEnv()));
  return shared;
}

/** Called once by a `main`, before any connector call: egress policy, response cap, socket pools. */
export function configureSharedHttpClient(env: Env): HttpClient {
  shared = new HttpClient(httpClientOptionsFromEnv(env));
  return shared;
}
