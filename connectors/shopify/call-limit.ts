/**
 * Shopify's REST Admin API limits each app on each store by a leaky bucket
 * (https://shopify.dev/docs/api/usage/limits): every request adds one, the bucket leaks at a fixed
 * rate, and a request into a full bucket gets 429. Every answer says how full it is,
 * `X-Shopify-Shop-Api-Call-Limit: 32/40`. Standard plans have 40 and leak 2 a second; larger plans
 * scale both alike (Advanced 80 and 4/s, Plus 400 and 20/s), so the leak is a twentieth of the size.
 *
 * The application's fixed rate (2/s per channel, enforced by Temporal across workers) keeps the
 * engine's own calls from filling a standard bucket. What it cannot see is everything else that
 * draws on the same bucket: the same app's other processes, or a burst before the channel came
 * here. So the last level Shopify reported, minus what has leaked since, decides whether the next
 * request waits. Kept per worker process and channel; each answer corrects it.
 */
import { RateLimitedConnectorError } from '../framework/errors';

const HEADER = 'x-shopify-shop-api-call-limit';
const VALUE = /^\s*(\d{1,6})\s*\/\s*(\d{1,6})\s*$/;
/** Longer than this, a worker slot is not held: the activity fails rate-limited and Temporal retries it after the wait. */
const MAX_WAIT_MS = 5_000;

export interface CallLimit {
  used: number;
  size: number;
}

/** `32/40` → `{ used: 32, size: 40 }`; undefined when absent or malformed. */
export function callLimitOf(headers: Headers): CallLimit | undefined {
  const match = VALUE.exec(headers.get(HEADER) ?? '');
  if (!match) return undefined;
  const [used, size] = [Number(match[1]), Number(match[2])];
  return size > 0 && used <= size ? { used, size } : undefined;
}

/** Calls a second the bucket of this size leaks. */
export const leakPerSecond = (size: number): number => Math.max(size / 20, 1);

/** How long until a bucket at `used` of `size` has room for one more call. */
export function waitForRoomMs({ used, size }: CallLimit): number {
  return Math.max(0, Math.ceil(((used + 1 - size) / leakPerSecond(size)) * 1000));
}

interface Level extends CallLimit {
  at: number;
}

export class CallLimitBuckets {
  private readonly levels = new Map<string, Level>();

  constructor(private readonly now: () => number = Date.now) {}

  /** What an answer reports: the authoritative level at that moment. */
  observe(channel: string, headers: Headers): void {
    const limit = callLimitOf(headers);
    if (limit) this.levels.set(channel, { ...limit, at: this.now() });
  }

  /**
   * Takes room for one call: resolves at once while the bucket has room, after the leak makes room
   * when it is (nearly) full, or throws rate-limited when that would take long. Each taker counts
   * itself in, so concurrent calls queue behind each other instead of all seeing the same room.
   */
  async take(channel: string): Promise<void> {
    const level = this.levels.get(channel);
    if (!level) return; // nothing reported yet: the first answer will say
    const now = this.now();
    const used = Math.max(0, level.used - ((now - level.at) / 1000) * leakPerSecond(level.size));
    const waitMs = waitForRoomMs({ used, size: level.size });
    if (waitMs > MAX_WAIT_MS) {
      throw new RateLimitedConnectorError('shopify', `the call-limit bucket is full (${Math.round(used)}/${level.size} by its last answer)`, waitMs);
    }
    this.levels.set(channel, { used: used + 1, size: level.size, at: now });
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }

  /** For tests: forget every channel. */
  clear(): void {
    this.levels.clear();
  }
}
