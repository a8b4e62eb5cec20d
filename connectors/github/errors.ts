/**
 * GitHub's answers as its documentation describes them
 * (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api):
 *
 * - primary limit: `x-ratelimit-remaining: 0` with a 403 or 429 waits until `x-ratelimit-reset`
 *   (epoch seconds): a rate limit, not a refusal;
 * - secondary limit: a 403 or 429 with `retry-after` waits that long; without it, and GitHub's
 *   message naming a secondary rate limit, at least a minute, as GitHub asks;
 * - 5xx: retryable at the worker's pace (the reset header GitHub sends on every answer is not a
 *   delay for it), or after Retry-After when GitHub gives one;
 * - otherwise the engine's defaults: 404 and 422 are final. The message carries
 *   GitHub's `{message, documentation_url}` body.
 */
import type { ConnectorResponse } from '../framework/evaluate';
import { RateLimitedConnectorError, RetryableConnectorError } from '../framework/errors';
import { retryAfterMs } from '../framework/retry-after';

const SECONDARY = /secondary rate limit/i;

export function evaluateGitHub(connector: string) {
  return (response: ConnectorResponse, defaults: () => unknown): unknown => {
    const message = `HTTP ${response.status}: ${messageOf(response)}`;
    const retryAfter = response.headers.get('retry-after');
    if (response.status >= 500) {
      // GitHub sends x-ratelimit-reset on every answer: it says nothing about when a 5xx heals.
      if (retryAfter === null) throw new RetryableConnectorError(connector, message, `HttpStatus${response.status}`, response.status);
      return rateLimited(connector, message, retryAfterMs(new Headers({ 'retry-after': retryAfter })) ?? 60_000, response.status);
    }
    if (response.status !== 403 && response.status !== 429) return defaults();
    const remaining = response.headers.get('x-ratelimit-remaining');
    if (retryAfter !== null) return rateLimited(connector, message, retryAfterMs(new Headers({ 'retry-after': retryAfter })) ?? 60_000, response.status);
    if (remaining !== null && remaining.trim() === '0') {
      const reset = response.headers.get('x-ratelimit-reset');
      return rateLimited(connector, message, reset ? (retryAfterMs(new Headers({ 'x-ratelimit-reset': reset })) ?? 60_000) : 60_000, response.status);
    }
    if (response.status === 429 || SECONDARY.test(response.text)) return rateLimited(connector, message, 60_000, response.status);
    return defaults();
  };
}

function rateLimited(connector: string, message: string, waitMs: number, status: number): never {
  // At least a second: a reset that has just passed still needs the window to turn over.
  throw new RateLimitedConnectorError(connector, message, Math.max(waitMs, 1_000), status);
}

function messageOf(response: ConnectorResponse): string {
  const body = response.body as { message?: unknown } | undefined;
  return typeof body === 'object' && body !== null && typeof body.message === 'string' ? body.message : response.text.slice(0, 200);
}
