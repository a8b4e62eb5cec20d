/**
 * Edge rate limits and authentication for every route (global guards), the per-channel webhook
 * limit the webhook service takes, the API-key routes and `GET /me` (who the calling key is).
 */
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysController } from './api-keys.controller';
import { MeController } from './me.controller';
import { EdgeRateLimitGuard, throttlerOptions, WebhookChannelLimit } from './edge-rate-limits';
import type { SecurityConfig } from './security-config';

@Module({})
export class AuthModule {
  static forRoot(config: SecurityConfig): DynamicModule {
    return {
      module: AuthModule,
      // Global: the webhook module takes the per-channel limit, create-app the authenticator.
      global: true,
      imports: [ThrottlerModule.forRoot(throttlerOptions(config))],
      controllers: [ApiKeysController, MeController],
      // In this order: how often (by source before any key check, so failed keys count too), then who.
      providers: [ApiKeyAuthenticator, WebhookChannelLimit, { provide: APP_GUARD, useClass: EdgeRateLimitGuard }, { provide: APP_GUARD, useClass: ApiKeyGuard }],
      exports: [ApiKeyAuthenticator, WebhookChannelLimit],
    };
  }
}
