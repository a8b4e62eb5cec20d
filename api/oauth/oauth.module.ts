/** OAuth 2.0 connect links, consent and the callback that stores a channel's tokens. */
import { Module } from '@nestjs/common';
import { OAuthController } from './oauth.controller';
import { OAuthService } from './oauth.service';

@Module({
  controllers: [OAuthController],
  providers: [OAuthService],
})
export class OAuthModule {}
