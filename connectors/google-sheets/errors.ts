/**
 * Google's errors as Google shapes them (https://cloud.google.com/apis/design/errors): a body
 * `{ error: { code, message, status, details? } }`, `status` one of google.rpc.Code's names. The
 * failure's type is that name (`GoogleInvalidArgument`, `GooglePermissionDenied`, …), and it says
 * whether a retry can help:
 *
 * - RESOURCE_EXHAUSTED (429: the per-minute quotas, https://developers.google.com/workspace/sheets/api/limits),
 *   UNAVAILABLE (503), INTERNAL (500), DEADLINE_EXCEEDED (504): retried. Google asks for a
 *   truncated exponential backoff on quota errors and sends no Retry-After, which is what
 *   Temporal's retry policy for connector calls does (1 s, doubling, at most a minute); a
 *   Retry-After, when one comes, is waited for;
 * - INVALID_ARGUMENT (400), FAILED_PRECONDITION, PERMISSION_DENIED (403), NOT_FOUND (404),
 *   UNAUTHENTICATED (401, after the OAuth token was renewed once) and the rest: final.
 */
import { z } from 'zod';
import type { ConnectorResponse } from '../framework/evaluate';
import { errorForStatus, excerpt } from '../framework/evaluate';
import { NonRetryableConnectorError, RateLimitedConnectorError, RetryableConnectorError } from '../framework/errors';
import { retryAfterMs } from '../framework/retry-after';

export const GoogleErrorBody = z.object({
  error: z.looseObject({
    code: z.number(),
    message: z.string(),
    status: z.string().optional(),
    details: z.array(z.looseObject({ '@type': z.string(), reason: z.string().optional() })).optional(),
  }),
});
export type GoogleErrorBody = z.output<typeof GoogleErrorBody>;

const RETRYABLE = new Set(['RESOURCE_EXHAUSTED', 'UNAVAILABLE', 'INTERNAL', 'DEADLINE_EXCEEDED']);

/** `PERMISSION_DENIED` → `GooglePermissionDenied`: the reason a failed run shows. */
export const reasonOf = (status: string) => `Google${status.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase())}`;

/** The `evaluate` of every Sheets connector. */
export function evaluateSheets(connectorId: string) {
  return (response: ConnectorResponse, defaults: () => unknown): unknown => {
    if (response.status >= 200 && response.status < 300) return defaults();
    throw sheetsError(connectorId, response);
  };
}

export function sheetsError(connectorId: string, response: ConnectorResponse): Error {
  const parsed = GoogleErrorBody.safeParse(response.body);
  if (!parsed.success) return errorForStatus(connectorId, response);
  const { status, message, details } = parsed.data.error;
  const reason = details?.find((detail) => detail.reason)?.reason;
  const text = `HTTP ${response.status}${status ? ` ${status}` : ''}${reason ? ` (${reason})` : ''}: ${excerpt(message, 300)}`;
  const wait = retryAfterMs(response.headers);
  const type = status ? reasonOf(status) : `HttpStatus${response.status}`;
  const retry = status ? RETRYABLE.has(status) : response.status === 429 || response.status >= 500;
  if (retry && wait !== undefined) return new RateLimitedConnectorError(connectorId, text, Math.max(wait, 1_000), response.status);
  return retry ? new RetryableConnectorError(connectorId, text, type, response.status) : new NonRetryableConnectorError(connectorId, text, type, response.status);
}
