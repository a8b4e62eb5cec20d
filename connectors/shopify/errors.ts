/**
 * Shopify's REST answers as Shopify shapes them
 * (https://shopify.dev/docs/api/admin-rest/usage/response-codes):
 *
 * - errors as `{"errors": "Not Found"}`, or per field, `{"errors": {"address": ["for this topic has
 *   already been taken"]}}` (sometimes a string per field), with `X-Request-Id` for Shopify support;
 * - 429 when the call-limit bucket is full: rate-limited for `Retry-After` (Shopify sends `2.0`),
 *   else until the bucket the header reports has leaked room for one call;
 * - 500, 502, 503, 504 retryable (503 with `Retry-After` waits that long);
 * - 400, 401, 402 (shop frozen), 403 (scope not granted), 404, 406, 422, 423 (shop locked) final.
 *
 * A 2xx body is read with `parseJsonExact`, so 64-bit ids stay exact.
 */
import { z } from 'zod';
import type { ConnectorResponse } from '../framework/evaluate';
import { excerpt } from '../framework/evaluate';
import { NonRetryableConnectorError, RateLimitedConnectorError, RetryableConnectorError } from '../framework/errors';
import { retryAfterMs } from '../framework/retry-after';
import { callLimitOf, waitForRoomMs } from './call-limit';
import { parseJsonExact } from './exact-json';

const Messages = z.union([z.string(), z.array(z.string())]);
const ErrorBody = z.object({ errors: z.union([Messages, z.record(z.string(), Messages)]) });

/** `{errors: {address: ["…"], topic: "…"}}` → `address: …; topic: …`. */
export function shopifyErrorMessage(body: unknown): string | undefined {
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const join = (messages: z.output<typeof Messages>) => (typeof messages === 'string' ? messages : messages.join(', '));
  const { errors } = parsed.data;
  if (typeof errors === 'string' || Array.isArray(errors)) return join(errors);
  return Object.entries(errors)
    .map(([field, messages]) => `${field}: ${join(messages)}`)
    .join('; ');
}

const RETRYABLE = new Set([500, 502, 503, 504]);

/**
 * The `evaluate` of every Shopify connector: on 2xx the body, exact, or its `key` (`{order: {…}}` →
 * the order; a body without it is left to fail the output schema); Shopify's errors typed otherwise.
 */
export function evaluateShopify(connectorId: string, key?: string) {
  return (response: ConnectorResponse): unknown => {
    if (response.status >= 200 && response.status < 300) {
      const body = bodyOf(response);
      return key !== undefined && typeof body === 'object' && body !== null && key in body ? (body as Record<string, unknown>)[key] : body;
    }
    const requestId = response.headers.get('x-request-id');
    const detail = shopifyErrorMessage(bodyOf(response)) ?? (excerpt(response.text) || 'no body');
    const message = `HTTP ${response.status}: ${detail}${requestId ? ` [${requestId}]` : ''}`;
    const wait = retryAfterMs(response.headers);
    if (response.status === 429) {
      const limit = callLimitOf(response.headers);
      throw new RateLimitedConnectorError(connectorId, message, Math.max(wait ?? (limit ? waitForRoomMs(limit) : 1_000), 1_000), 429);
    }
    if (RETRYABLE.has(response.status) || response.status >= 500) {
      if (wait !== undefined) throw new RateLimitedConnectorError(connectorId, message, wait, response.status);
      throw new RetryableConnectorError(connectorId, message, `HttpStatus${response.status}`, response.status);
    }
    if (response.status === 408) throw new RetryableConnectorError(connectorId, message, 'HttpStatus408', 408);
    throw new NonRetryableConnectorError(connectorId, message, `HttpStatus${response.status}`, response.status);
  };
}

function bodyOf(response: ConnectorResponse): unknown {
  if (response.text === '' || !/json/i.test(response.headers.get('content-type') ?? '')) return response.body;
  try {
    return parseJsonExact(response.text);
  } catch {
    return response.body;
  }
}
