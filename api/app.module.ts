import { Module, type DynamicModule } from '@nestjs/common';
import { ActionsController } from './applications/actions.controller';
import { ActionsService } from './applications/actions.service';
import { ApplicationsController } from './applications/applications.controller';
import { ImportController } from './applications/import.controller';
import { OAuthController } from './oauth/oauth.controller';
import { OAuthService } from './oauth/oauth.service';
import { ChannelsController } from './channels/channels.controller';
import { ChannelsService } from './channels/channels.service';
import { ChannelSyncController } from './channels/channel-sync.controller';
import { ChannelSyncService } from './channels/channel-sync.service';
import { ChannelWebhookSubscriptions } from './channels/channel-webhook-subscriptions';
import { AuthModule } from './auth/auth.module';
import { CodecController } from './codec/codec.controller';
import { CoreModule, type ApiDeps } from './core.module';
import { FlowsController } from './flows/flows.controller';
import { HealthController } from './health/health.controller';
import type { ApiMetrics } from './metrics/api-metrics';
import { MetricsController } from './metrics/metrics.controller';
import { RunsController } from './runs/runs.controller';
import { RunsService } from './runs/runs.service';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksService } from './webhooks/webhooks.service';

@Module({})
export class AppModule {
  static forRoot(deps: ApiDeps, options: { closeClientOnShutdown: boolean }, metrics: ApiMetrics): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(deps, options, metrics), AuthModule.forRoot(deps.security)],
      controllers: [HealthController, MetricsController, FlowsController, ImportController, ApplicationsController, ActionsController, ChannelsController, ChannelSyncController, OAuthController, RunsController, WebhooksController, CodecController],
      providers: [RunsService, WebhooksService, ChannelsService, ChannelSyncService, ChannelWebhookSubscriptions, ActionsService, OAuthService],
    };
  }
}
