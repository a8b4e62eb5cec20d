/**
 * HubSpot's errors as HubSpot shapes them
 * (https://developers.hubspot.com/docs/api-reference/error-handling): a JSON body
 * `{ status: 'error', message, correlationId, category, subCategory?, errors?, context? }`, and for
 * rate limits `{ status: 'error', message, errorType: 'RATE_LIMIT', correlationId, policyName }`
 * with the `X-HubSpot-RateLimit-*` headers.
 *
 * - 429 is a rate limit. `policyName` says which: `TEN_SECONDLY_ROLLING` (100 per 10 s) waits one
 *   window (`X-HubSpot-RateLimit-Interval-Milliseconds`, else 10 s), `SECONDLY` (the search
 *   endpoints' 5/s) a second, `DAILY` an hour (the daily quota refills at midnight in the
 *   account's time zone, which the answer does not say; an hour is the longest wait the engine
 *   asks for). A `Retry-After`, when HubSpot sends one, wins.
 * - 423 (a record locked by a concurrent write) is retried after 2 s, as HubSpot asks.
 * - 5xx are retried (HubSpot answers 502 and 504 when a request timed out inside it).
 * - Every other 4xx is final: VALIDATION_ERROR, OBJECT_NOT_FOUND, CONFLICT, MISSING_SCOPES,
 *   INVALID_AUTHENTICATION, …; the failure's reason names the category (`HubSpotValidationError`).
 */
import { z } from 'zod';
import { errorForStatus, excerpt, type ConnectorResponse } from '../framework/evaluate';
import { NonRetryableConnectorError, RateLimitedConnectorError, RetryableConnectorError } from '../framework/errors';
import { retryAfterMs } from '../framework/retry-after';

const HubSpotErrorBody = z.looseObject({
  status: z.string().optional(),
  message: z.string(),
  correlationId: z.string().optional(),
  category: z.string().optional(),
  subCategory: z.string().optional(),
  errorType: z.string().optional(),
  policyName: z.string().optional(),
});

const HOUR_MS = 60 * 60 * 1000;

/** `VALIDATION_ERROR` → `HubSpotValidationError`: the reason a failed run shows. */
const reasonOf = (category: string) => `HubSpot${category.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase())}`;

/** How long a 429 asks to wait, by the limit it names. */
function rateLimitWait(policyName: string | undefined, headers: Headers): number {
  const retryAfter = headers.get('retry-after');
  const asked = retryAfter === null ? undefined : retryAfterMs(new Headers({ 'retry-after': retryAfter }));
  if (asked !== undefined) return Math.max(asked, 1_000);
  switch (policyName) {
    case 'DAILY':
      return HOUR_MS;
    case 'SECONDLY':
      return 1_000;
    default: {
      const interval = Number(headers.get('x-hubspot-ratelimit-interval-milliseconds'));
      return Number.isSafeInteger(interval) && interval >= 1_000 && interval <= HOUR_MS ? interval : 10_000;
    }
  }
}

/** The `evaluate` of every HubSpot connector: 2xx as usual, anything else classified by HubSpot's own signals. */
export function evaluateHubSpot(connectorId: string) {
  return (response: ConnectorResponse, defaults: () => unknown): unknown => {
    if (response.status >= 200 && response.status < 300) return defaults();
    const parsed = HubSpotErrorBody.safeParse(response.body);
    if (!parsed.success) {
      if (response.status === 429) throw new RateLimitedConnectorError(connectorId, `HTTP 429: ${excerpt(response.text)}`, rateLimitWait(undefined, response.headers), 429);
      throw errorForStatus(connectorId, response);
    }
    const { message, correlationId, category, subCategory, errorType, policyName } = parsed.data;
    const kind = category ?? errorType ?? `HTTP_${response.status}`;
    const text = `HTTP ${response.status} ${kind}${subCategory ? ` (${subCategory})` : ''}${policyName ? ` (${policyName})` : ''}: ${excerpt(message, 300)}${correlationId ? ` [${correlationId}]` : ''}`;
    if (response.status === 429 || errorType === 'RATE_LIMIT' || category === 'RATE_LIMITS')
      throw new RateLimitedConnectorError(connectorId, text, rateLimitWait(policyName, response.headers), response.status);
    if (response.status === 423) throw new RateLimitedConnectorError(connectorId, text, Math.max(retryAfterMs(response.headers) ?? 0, 2_000), response.status);
    if (response.status >= 500) {
      const wait = retryAfterMs(response.headers);
      if (wait !== undefined) throw new RateLimitedConnectorError(connectorId, text, wait, response.status);
      throw new RetryableConnectorError(connectorId, text, reasonOf(kind), response.status);
    }
    throw new NonRetryableConnectorError(connectorId, text, reasonOf(kind), response.status);
  };
}
