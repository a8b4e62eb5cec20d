/** Channels: their lifecycle, schedules (and where they stand), sync-now and backfill, cursors, webhook subscriptions and runs. */
import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module';
import { ChannelSchedulesController } from './channel-schedules.controller';
import { ChannelSyncController } from './channel-sync.controller';
import { ChannelSyncService } from './channel-sync.service';
import { ChannelWebhookSubscriptions } from './channel-webhook-subscriptions';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';

@Module({
  imports: [RunsModule],
  controllers: [ChannelsController, ChannelSyncController, ChannelSchedulesController],
  providers: [ChannelsService, ChannelSyncService, ChannelWebhookSubscriptions],
  exports: [ChannelWebhookSubscriptions],
})
export class ChannelsModule {}
