/**
 * Tells "Temporal cannot be reached" apart from other failures, so the API answers 503 (try
 * again later) for the first and lets the rest surface.
 */
import { HttpException, ServiceUnavailableException } from '@nestjs/common';
import { isGrpcServiceError } from '@temporalio/client';

// gRPC status codes: CANCELLED 1, DEADLINE_EXCEEDED 4, UNAVAILABLE 14.
const UNAVAILABLE_CODES = new Set<number>([1, 4, 14]);

export function isTemporalUnavailable(err: unknown): boolean {
  for (let current: unknown = err, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(current) && UNAVAILABLE_CODES.has(current.code)) return true;
    const name = (current as Error).name;
    if (name === 'TransportError' || name === 'ConnectionTimeoutError') return true;
    if (/deadline exceeded|UNAVAILABLE|ECONNREFUSED|Failed to connect/i.test((current as Error).message ?? '')) return true;
  }
  return false;
}

/** One short line for a 503 body: what failed, without a stack. */
export function unavailableReason(err: unknown): string {
  const message = (err as Error)?.message ?? String(err);
  return `Temporal is not reachable: ${message.split('\n')[0]}`;
}

/**
 * Runs a Temporal call with a deadline; "Temporal unreachable" becomes 503 so callers can retry,
 * other errors pass through unchanged.
 */
export async function callTemporal<T>(connection: { withDeadline<R>(deadline: number, fn: () => Promise<R>): Promise<R> }, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await connection.withDeadline(Date.now() + timeoutMs, fn);
  } catch (err) {
    if (err instanceof HttpException) throw err;
    if (isTemporalUnavailable(err)) throw new ServiceUnavailableException(unavailableReason(err));
    throw err;
  }
}
