/** The shape of an outgoing HTTP request while an application and its auth shape it. */
import type { QueryStyle, QueryValue } from '../../connectors/framework/http/query';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export type { QueryStyle, QueryValue };

export interface OutgoingRequest {
  method: HttpMethod;
  /** Absolute URL; its own query (a next-page link's) is kept, `query` is added to it so auth can add to it. */
  url: string;
  query: Record<string, QueryValue>;
  /** How array and object query values are serialised, per parameter; default OpenAPI's form, explode. */
  queryStyles: Record<string, QueryStyle>;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** A JSON value, or `form()`, `multipart()` or `raw()` from connectors/framework/http/body. */
  body?: unknown;
  /**
   * The headers and query parameters that carry credentials (set by auth, the API key, a signing
   * hook): dropped when a redirect leaves the origin, redacted in logs.
   */
  credentialHeaders: Set<string>;
  credentialQuery: Set<string>;
}
