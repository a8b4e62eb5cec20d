/**
 * Authentication and edge rate limits for every route (global guards, in this order: who is
 * calling, then how often), and the API-key routes.
 */
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysController } from './api-keys.controller';
import { EdgeRateLimitGuard, throttlerOptions } from './edge-rate-limits';
import type { SecurityConfig } from './security-config';

@Module({})
export class AuthModule {
  static forRoot(config: SecurityConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [ThrottlerModule.forRoot(throttlerOptions(config))],
      controllers: [ApiKeysController],
      providers: [ApiKeyAuthenticator, { provide: APP_GUARD, useClass: ApiKeyGuard }, { provide: APP_GUARD, useClass: EdgeRateLimitGuard }],
      exports: [ApiKeyAuthenticator],
    };
  }
}
