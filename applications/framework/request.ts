/** The shape of an outgoing HTTP request while an application and its auth shape it. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export type QueryValue = string | number | boolean | undefined;

export interface OutgoingRequest {
  method: HttpMethod;
  /** Absolute URL without query; the query lives in `query` so auth can add to it. */
  url: string;
  query: Record<string, QueryValue>;
  headers: Record<string, string>;
  /** JSON-serialisable body, sent as application/json. */
  body?: unknown;
}
