/**
 * Slack's answers: HTTP 200 with `{ ok: true, … }` on success and `{ ok: false, error }` on most
 * failures (https://api.slack.com/web#evaluating_responses); 429 with `Retry-After` when a method's
 * tier is exhausted. `slackEvaluate` turns each into the engine's typed errors, and the shapes
 * below are shared by the connectors.
 */
import { z } from 'zod';
import type { ConnectorResponse } from '../framework/evaluate';
import { NonRetryableConnectorError, RateLimitedConnectorError, RetryableConnectorError } from '../framework/errors';
import { retryAfterMs } from '../framework/retry-after';

/** Slack's own "try again later" errors; everything else (channel_not_found, not_authed, invalid_auth, …) is final. */
const RETRYABLE = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);
const RATE_LIMITED = new Set(['ratelimited', 'rate_limited']);
/** What Slack asks for when a 200 says `ratelimited` without a Retry-After: about one Tier 3 minute. */
const DEFAULT_WAIT_MS = 30_000;

/** `channel_not_found` → `SlackChannelNotFound`: the failure's type in runs and API answers. */
function reasonOf(error: string): string {
  return `Slack${error.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}`;
}

/** The connector's evaluation: the body of `{ ok: true }`, else a typed error naming Slack's `error`. */
export function slackEvaluate(connector: string) {
  return (response: ConnectorResponse, defaults: () => unknown): unknown => {
    const body = defaults(); // non-2xx: 429 with Retry-After is rate-limited, 5xx retryable, other 4xx final
    if (typeof body !== 'object' || body === null || !('ok' in body)) {
      throw new NonRetryableConnectorError(connector, `Slack answered HTTP ${response.status} without an "ok" field`, 'SlackInvalidResponse', response.status);
    }
    const answer = body as { ok: unknown; error?: unknown; needed?: unknown };
    if (answer.ok === true) return body;
    const error = typeof answer.error === 'string' && /^[a-z0-9_]{1,64}$/.test(answer.error) ? answer.error : 'unknown_error';
    const message = `Slack error ${error}${typeof answer.needed === 'string' ? ` (needs scope ${answer.needed})` : ''}`;
    if (RATE_LIMITED.has(error)) throw new RateLimitedConnectorError(connector, message, retryAfterMs(response.headers) ?? DEFAULT_WAIT_MS, response.status);
    if (RETRYABLE.has(error)) throw new RetryableConnectorError(connector, message, reasonOf(error), response.status);
    throw new NonRetryableConnectorError(connector, message, reasonOf(error), response.status);
  };
}

/** `response_metadata.next_cursor`: '' (or absent) on the last page. */
export const ResponseMetadata = z.looseObject({ next_cursor: z.string().optional() }).optional();

/** The cursor pagination every Slack list method shares. */
export const nextCursor = (output: { response_metadata?: { next_cursor?: string } }) => output.response_metadata?.next_cursor || undefined;

/** Page size: Slack recommends 100-200, allows up to 1000 (999 for conversations.history). */
export const Limit = z.number().int().min(1).max(1000).optional();

export const Conversation = z.looseObject({ id: z.string(), name: z.string().optional(), is_channel: z.boolean().optional(), is_private: z.boolean().optional(), is_archived: z.boolean().optional() });

export const Message = z.looseObject({
  type: z.string().optional(),
  ts: z.string(),
  text: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  thread_ts: z.string().optional(),
});

export const User = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  real_name: z.string().optional(),
  deleted: z.boolean().optional(),
  is_bot: z.boolean().optional(),
  profile: z.looseObject({ email: z.string().optional(), display_name: z.string().optional(), real_name: z.string().optional() }).optional(),
});

/** Block Kit blocks, passed through as Slack defines them (https://api.slack.com/block-kit). */
export const Blocks = z
  .array(z.looseObject({ type: z.string() }))
  .max(50)
  .optional();
