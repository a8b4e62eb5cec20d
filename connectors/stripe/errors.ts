/**
 * Stripe's errors as Stripe shapes them (https://docs.stripe.com/api/errors): a body
 * `{ error: { type, code, message, … } }` and a `Request-Id` header. `error.type` says whether a
 * retry can help, and `Stripe-Should-Retry`, when present, overrides the guess, as Stripe's SDKs do.
 */
import { z } from 'zod';
import type { ConnectorResponse } from '../framework/evaluate';
import { errorForStatus } from '../framework/evaluate';
import { NonRetryableConnectorError, RateLimitedConnectorError, RetryableConnectorError } from '../framework/errors';
import { retryAfterMs } from '../framework/retry-after';

const StripeErrorBody = z.object({
  error: z.looseObject({
    type: z.string(),
    code: z.string().optional(),
    decline_code: z.string().optional(),
    param: z.string().optional(),
    message: z.string().optional(),
  }),
});

const FINAL = new Set(['card_error', 'invalid_request_error', 'idempotency_error', 'authentication_error', 'permission_error']);

/** `card_error` → `StripeCardError`: the reason a failed run shows. */
const reasonOf = (type: string) => `Stripe${type.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase())}`;

/** The `evaluate` of every Stripe connector: 2xx as usual, anything else classified by Stripe's own signals. */
export function evaluateStripe(connectorId: string) {
  return (response: ConnectorResponse, defaults: () => unknown): unknown => {
    if (response.status >= 200 && response.status < 300) return defaults();
    const parsed = StripeErrorBody.safeParse(response.body);
    if (!parsed.success) throw errorForStatus(connectorId, response);
    const { type, code, decline_code: declineCode, param, message } = parsed.data.error;
    const requestId = response.headers.get('request-id');
    const detail = [code, declineCode].filter(Boolean).join('/');
    const text = `HTTP ${response.status} ${type}${detail ? ` (${detail})` : ''}${param ? ` on ${param}` : ''}: ${message ?? 'no message'}${requestId ? ` [${requestId}]` : ''}`;
    const wait = retryAfterMs(response.headers);
    if (response.status === 429 || type === 'rate_limit_error') return fail(new RateLimitedConnectorError(connectorId, text, wait ?? 1_000, response.status));
    const shouldRetry = response.headers.get('stripe-should-retry');
    const retry = shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : type === 'api_error' || (!FINAL.has(type) && response.status >= 500);
    if (retry && wait !== undefined) return fail(new RateLimitedConnectorError(connectorId, text, wait, response.status));
    return fail(retry ? new RetryableConnectorError(connectorId, text, reasonOf(type), response.status) : new NonRetryableConnectorError(connectorId, text, reasonOf(type), response.status));
  };
}

function fail(error: Error): never {
  throw error;
}
