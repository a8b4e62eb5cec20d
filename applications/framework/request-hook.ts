/**
 * The hook an application declares to finish each request itself: sign all of it, or add a token
 * it mints per request. It sees the request as it goes on the wire (URL with query, headers,
 * body bytes) and changes it in place.
 */
export interface SignableRequest {
  readonly method: string;
  /** The full URL; add query parameters to `url.searchParams`. */
  readonly url: URL;
  /** Lower-case names; set or replace entries. */
  readonly headers: Record<string, string>;
  /** The body's bytes, or undefined when there is none or it is streamed (then sign it as unsigned payload). */
  readonly body: Buffer | undefined;
}

/** A short-lived token and when it stops being valid. */
export interface MintedToken {
  value: string;
  expiresAt: Date;
}

/** What the hook may use besides the request. */
export interface RequestHookContext<Credentials, Settings> {
  credentials: Credentials;
  settings: Settings;
  /** The channel the request is made for, when known. */
  channelId: string | undefined;
  /**
   * A token for this channel, minted by `mint` only when none is cached or the cached one expires
   * within `renewBeforeMs` (default 60 s); concurrent requests share one mint. Cached per worker
   * process, keyed by channel, `key` and the channel's credentials.
   */
  token(key: string, mint: () => Promise<MintedToken>, options?: { renewBeforeMs?: number }): Promise<string>;
  /** Sends a request of the hook's own (e.g. the token exchange) through the same egress policy. */
  send(request: { method: string; url: string; headers?: Record<string, string>; json?: unknown }): Promise<{ status: number; headers: Headers; body: unknown; text: string }>;
}

export type RequestHook<Credentials, Settings> = (request: SignableRequest, context: RequestHookContext<Credentials, Settings>) => void | Promise<void>;

/** An answer as the response hook sees it: no body, which stays the connector's to evaluate. */
export interface ObservedResponse {
  readonly status: number;
  readonly headers: Headers;
}

export type ResponseHook<Settings> = (response: ObservedResponse, context: { settings: Settings; channelId: string | undefined }) => void;
