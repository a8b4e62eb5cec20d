/**
 * Reads how long a service wants us to wait: `Retry-After` (delta-seconds or HTTP date, RFC 9110)
 * and the common rate-limit reset headers. Returns milliseconds, or undefined when none is given.
 */
const MAX_DELAY_MS = 60 * 60 * 1000;

function clamp(ms: number): number {
  return Math.min(Math.max(0, Math.ceil(ms)), MAX_DELAY_MS);
}

export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return clamp(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return clamp(date - now);
  }
  // RateLimit-Reset (IETF draft) and X-RateLimit-Reset are seconds to wait, or (GitHub style) an epoch.
  // They say when a quota refills: a wait only once it is used up. Services such as GitHub send them
  // on every answer, where a 503 with quota left must not read as "wait until the hour is over".
  const reset = headers.get('ratelimit-reset') ?? headers.get('x-ratelimit-reset');
  const remaining = (headers.get('ratelimit-remaining') ?? headers.get('x-ratelimit-remaining'))?.trim();
  if (reset && /^\d+$/.test(reset.trim()) && (remaining === undefined || Number(remaining) === 0)) {
    const value = Number(reset);
    return clamp(value > 1_000_000_000 ? value * 1000 - now : value * 1000);
  }
  return undefined;
}
