/**
 * The API: the shared core (client, stores, registries, configuration), authentication, and
 * one feature module per resource. The order of the feature modules is the order of Swagger's tags.
 */
import { Module, type DynamicModule } from '@nestjs/common';
import { ApplicationsModule } from './applications/applications.module';
import { AuthModule } from './auth/auth.module';
import { ChannelsModule } from './channels/channels.module';
import { CodecModule } from './codec/codec.module';
import { ConsoleModule } from './console/console.module';
import { CoreModule, type ApiDeps } from './core.module';
import { FlowsModule } from './flows/flows.module';
import { HealthModule } from './health/health.module';
import type { ApiMetrics } from './metrics/api-metrics';
import { MetricsModule } from './metrics/metrics.module';
import { OAuthModule } from './oauth/oauth.module';
import { RunsModule } from './runs/runs.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  static forRoot(deps: ApiDeps, options: { closeClientOnShutdown: boolean }, metrics: ApiMetrics): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(deps, options, metrics),
        AuthModule.forRoot(deps.security),
        HealthModule,
        MetricsModule,
        FlowsModule,
        ApplicationsModule,
        ChannelsModule,
        OAuthModule,
        RunsModule,
        WebhooksModule,
        CodecModule,
        ConsoleModule,
      ],
    };
  }
}
