/**
 * Rate limits at the edge (@nestjs/throttler, in-memory per API process): per key on management
 * calls, per source address and per channel on webhooks, so a flood cannot start unbounded work.
 * Over the limit: 429 with Retry-After. Trackers name what is limited, and the key leaves the
 * route out, so a limit holds across routes.
 */
import { Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerException, ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions, type ThrottlerOptions } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { principalOf } from './principal';
import { PUBLIC_ROUTE } from './scopes';
import type { RateLimit } from './rate-limit-config';
import type { SecurityConfig } from './security-config';

const WEBHOOK_ROUTE = 'rate-limit:webhook';
/** Marks the webhook route: its deliveries count per source address and per channel. */
export const WebhookRateLimits = () => SetMetadata(WEBHOOK_ROUTE, true);

export function throttlerOptions(config: SecurityConfig): ThrottlerModuleOptions {
  const reflector = new Reflector();
  const isWebhook = (context: ExecutionContext) => reflector.getAllAndOverride<boolean | undefined>(WEBHOOK_ROUTE, [context.getHandler(), context.getClass()]) === true;
  const isPublic = (context: ExecutionContext) => reflector.getAllAndOverride<unknown>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]) !== undefined;
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
      throttler('per-key', config.rateLimits.perKey, (context) => !isPublic(context), (req) => `key ${principalOf(req)?.keyId ?? 'anonymous'}`),
      throttler('webhook-per-source', config.rateLimits.webhookPerSource, isWebhook, (req) => `source ${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`),
      // The channel id is the webhook path's last segment (/webhooks/<flow path>/<channel id>).
      throttler('webhook-per-channel', config.rateLimits.webhookPerChannel, isWebhook, (req) => `channel ${req.path.split('/').filter(Boolean).at(-1) ?? ''}`),
    ],
  };
}

@Injectable()
export class EdgeRateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    context.switchToHttp().getResponse<Response>().setHeader('retry-after', String(retryAfter));
    throw new ThrottlerException(`rate limit for ${detail.tracker}: ${detail.limit} requests per ${detail.ttl / 1000} s; retry after ${retryAfter} s`);
  }
}
