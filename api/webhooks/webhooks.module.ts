/** POST /webhooks/*: verified, validated deliveries become runs. */
import { Module } from '@nestjs/common';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';
import { AcceptedDeliveries } from './accepted-deliveries';

@Module({
  controllers: [WebhooksController],
  providers: [WebhooksService, AcceptedDeliveries],
})
export class WebhooksModule {}
