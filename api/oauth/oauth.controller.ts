import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiFoundResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { OAuthService } from './oauth.service';

@ApiTags('oauth')
@Controller()
export class OAuthController {
  constructor(private readonly oauth: OAuthService) {}

  @Get('channels/:id/oauth/authorize')
  @ApiOperation({ summary: 'Start connecting a channel by OAuth 2.0: redirects to the provider\'s consent page (PKCE, single-use state)' })
  @ApiFoundResponse({ description: 'Location: the provider\'s authorization URL' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'The channel\'s application does not use OAuth 2.0 authorization code' })
  async authorize(@Param('id') id: string, @Res() res: Response): Promise<void> {
    res.redirect(302, await this.oauth.authorizationUrl(id));
  }

  @Get('oauth/callback')
  @ApiOperation({ summary: 'Where the provider sends the user back: exchanges the code and stores the tokens (sealed)' })
  @ApiOkResponse({ schema: { type: 'object', properties: { channelId: { type: 'string' }, authStatus: { type: 'string', example: 'authorized' } } } })
  @ApiBadRequestResponse({ description: 'Unknown, used or expired state; the provider refused; the code exchange failed' })
  callback(@Query() query: unknown): Promise<{ channelId: string; authStatus: string }> {
    return this.oauth.callback(query);
  }
}
