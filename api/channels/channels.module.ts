/** Channels: their lifecycle, schedules, sync-now and backfill, cursors, webhook subscriptions and runs. */
import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module';
import { ChannelSyncController } from './channel-sync.controller';
import { ChannelSyncService } from './channel-sync.service';
import { ChannelWebhookSubscriptions } from './channel-webhook-subscriptions';
import { ChannelsController } from './channels.controller';
import { ChannelsService } from './channels.service';

@Module({
  imports: [RunsModule],
  controllers: [ChannelsController, ChannelSyncController],
  providers: [ChannelsService, ChannelSyncService, ChannelWebhookSubscriptions],
  exports: [ChannelWebhookSubscriptions],
})
export class ChannelsModule {}
