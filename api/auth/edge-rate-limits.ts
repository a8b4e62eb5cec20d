/**
 * Rate limits at the edge (@nestjs/throttler, in-memory per API process), so a flood cannot start
 * unbounded work:
 *   - per source address on public routes and on calls without a valid key (a 401 costs a store
 *     lookup, so guessing keys is limited too);
 *   - per key on management calls;
 *   - per channel on webhooks, counted by the webhook service only once a delivery has verified
 *     (see WebhookChannelLimit), so forged posts cannot use up a channel's budget and get the
 *     provider's real deliveries refused.
 * This guard runs before the key guard: who is calling is already known (ApiKeyAuthenticator runs
 * as middleware). Over a limit: 429 with Retry-After. Trackers name what is limited, and the
 * storage key leaves the route out, so a limit holds across routes.
 */
import { HttpException, HttpStatus, Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectThrottlerStorage, ThrottlerException, ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions, type ThrottlerOptions, type ThrottlerStorage } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { SECURITY_CONFIG } from '../tokens';
import { authenticationOf } from './principal';
import { PUBLIC_ROUTE } from './scopes';
import type { RateLimit } from './rate-limit-config';
import type { SecurityConfig } from './security-config';

export function throttlerOptions(config: SecurityConfig): ThrottlerModuleOptions {
  const reflector = new Reflector();
  const isPublic = (context: ExecutionContext) => reflector.getAllAndOverride<unknown>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]) !== undefined;
  const hasKey = (context: ExecutionContext) => authenticationOf(context.switchToHttp().getRequest<Request>()).kind === 'key';
  const throttler = (name: string, limit: RateLimit, applies: (context: ExecutionContext) => boolean, tracker: (req: Request) => string): ThrottlerOptions => ({
    name,
    limit: limit.limit,
    ttl: limit.windowMs,
    skipIf: (context) => !applies(context),
    getTracker: (req) => tracker(req as Request),
  });
  return {
    setHeaders: false,
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    throttlers: [
      throttler(
        'per-source',
        config.rateLimits.perSource,
        (context) => isPublic(context) || !hasKey(context),
        (req) => `source ${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`,
      ),
      throttler(
        'per-key',
        config.rateLimits.perKey,
        (context) => !isPublic(context) && hasKey(context),
        (req) => {
          const authentication = authenticationOf(req);
          return `key ${authentication.kind === 'key' ? authentication.principal.keyId : 'none'}`;
        },
      ),
    ],
  };
}

/** 429 with the seconds to wait, which the client-error filter sends as Retry-After. */
export class RateLimitedException extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super({ statusCode: HttpStatus.TOO_MANY_REQUESTS, error: 'Too Many Requests', message }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

@Injectable()
export class EdgeRateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    context.switchToHttp().getResponse<Response>().setHeader('retry-after', String(retryAfter));
    throw new ThrottlerException(`rate limit for ${detail.tracker}: ${detail.limit} requests per ${detail.ttl / 1000} s; retry after ${retryAfter} s`);
  }
}

/** The per-channel webhook limit, taken by the webhook service after a delivery verified. */
@Injectable()
export class WebhookChannelLimit {
  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    @Inject(SECURITY_CONFIG) private readonly config: SecurityConfig,
  ) {}

  /** Counts one delivery for the channel; throws 429 when it is over its limit. */
  async take(channelId: string): Promise<void> {
    const { limit, windowMs } = this.config.rateLimits.webhookPerChannel;
    const hit = await this.storage.increment(`webhook-per-channel:${channelId}`, windowMs, limit, windowMs, 'webhook-per-channel');
    if (!hit.isBlocked) return;
    const retryAfter = Math.max(1, Math.ceil(hit.timeToBlockExpire));
    throw new RateLimitedException(`rate limit for channel ${channelId}: ${limit} deliveries per ${windowMs / 1000} s; retry after ${retryAfter} s`, retryAfter);
  }
}
