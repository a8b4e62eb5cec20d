/** OAuth 2.0 connect links, consent and the callback that stores a channel's tokens. */
import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { OAuthController } from './oauth.controller';
import { OAuthService } from './oauth.service';

@Module({
  // A channel whose consent completes is subscribed to its webhooks then (it could not call before).
  imports: [ChannelsModule],
  controllers: [OAuthController],
  providers: [OAuthService],
})
export class OAuthModule {}
