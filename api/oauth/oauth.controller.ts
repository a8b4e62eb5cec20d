import { Body, Controller, Get, HttpCode, HttpException, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiFoundResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiSeeOtherResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public, RequireScope } from '../auth/scopes';
import { consentCookieName, consentCookieOptions, consentNonce } from './consent-cookie';
import { ApiQueryFrom } from '../common/openapi';
import { sendPage, type PageLink } from './oauth-pages';
import { CallbackQuery, ChannelConnectedResponse, ConnectLinkResponse, ConnectRequestDto, type ChannelConnected } from './oauth-views';
import { ConsentRefused, OAuthService, STATE_TTL_MS, type CompletedConsent, type ConnectLink, type StartedConsent } from './oauth.service';
import { returnToConnected } from './return-to';

const htmlPage = { 'text/html': { schema: { type: 'string' } } };

/** A refusal's page leads back to the console the consent was started from, if it was. */
function backLink(err: HttpException): PageLink | undefined {
  return err instanceof ConsentRefused ? { href: err.returnTo, text: 'Back to the console' } : undefined;
}

@ApiTags('oauth')
@Controller()
export class OAuthController {
  constructor(private readonly oauth: OAuthService) {}

  @Post('channels/:id/oauth/connect')
  @RequireScope('operate')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Start connecting a channel by OAuth 2.0: a connect link to hand to the account owner',
    description:
      'The link is valid for 10 minutes and opens once. Opening it binds the consent to that browser (an HttpOnly cookie) and redirects to the provider; only that browser can complete the consent at /oauth/callback. ' +
      'The body is optional: with `returnTo` (a path of the console, `/console/…`), a consent that succeeds ends in a 303 to that path with `?connected=<channel id>` added, and a refused one on its page with a link back there.',
  })
  @ApiBody({ required: false, type: ConnectRequestDto })
  @ApiCreatedResponse({ type: ConnectLinkResponse })
  @ApiBadRequestResponse({ description: '`returnTo` is not a path under /console/ (an absolute or scheme-relative URL, a backslash, a dot segment, a control character, …); the message names it' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: "The channel's application does not use OAuth 2.0 authorization code" })
  connect(@Param('id') id: string, @Body() body: ConnectRequestDto): Promise<ConnectLink> {
    return this.oauth.connectLink(id, body.returnTo);
  }

  @Get('channels/:id/oauth/authorize')
  @RequireScope('operate')
  @ApiOperation({
    summary: 'Start connecting a channel by OAuth 2.0: redirects to a fresh connect link',
    description: 'For clients that follow redirects: the same as POST /channels/:id/oauth/connect, answered as a 302 to its URL.',
  })
  @ApiFoundResponse({ description: 'Location: a fresh connect link (GET /oauth/connect/{token})' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: "The channel's application does not use OAuth 2.0 authorization code" })
  async authorize(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const link = await this.oauth.connectLink(id);
    res.set('cache-control', 'no-store').redirect(HttpStatus.FOUND, link.url);
  }

  @Get('oauth/connect/:token')
  @Public()
  @ApiOperation({
    summary: 'Open a connect link: binds the consent to this browser and redirects to the provider',
    description: "Single use. Sets an HttpOnly, SameSite=Lax cookie for the consent's state, then redirects to the authorization endpoint stored with that state; nowhere else.",
  })
  @ApiParam({ name: 'token', description: 'From the connect link' })
  @ApiFoundResponse({ description: "Location: the provider's authorization URL (PKCE, single-use state); Set-Cookie: the consent's browser binding" })
  @ApiProduces('text/html')
  @ApiBadRequestResponse({ description: 'Unknown link (HTML page)', content: htmlPage })
  @ApiGoneResponse({ description: 'Link already used or expired (HTML page; a link made with `returnTo` leads back to the console)', content: htmlPage })
  @ApiNotFoundResponse({ description: 'The channel is gone (HTML page)', content: htmlPage })
  @ApiConflictResponse({ description: "The channel's application does not use OAuth 2.0 authorization code (HTML page)", content: htmlPage })
  async open(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    // Express answers HEAD with the GET route: a link checker's HEAD must not use up the link.
    if (req.method === 'HEAD') return void res.status(HttpStatus.OK).set({ 'cache-control': 'no-store' }).end();
    let started: StartedConsent;
    try {
      started = await this.oauth.openConnectLink(token);
    } catch (err) {
      if (err instanceof HttpException) return sendPage(res, err.getStatus(), 'Cannot connect', err.message, backLink(err));
      throw err;
    }
    res
      .cookie(consentCookieName(started.state), started.nonce, consentCookieOptions(this.oauth.redirectUri(), STATE_TTL_MS))
      .set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
      .redirect(HttpStatus.FOUND, started.location);
  }

  @Get('oauth/callback')
  @Public()
  @ApiOperation({
    summary: 'Where the provider sends the user back: exchanges the code and stores the tokens (sealed)',
    description:
      'Completes only a consent started through a connect link, in the browser that opened it (its cookie). Answers an HTML page, or JSON when the client sends `Accept: application/json`. ' +
      "A consent whose link was made with `returnTo` ends instead in a 303 to that console path with `?connected=<channel id>`, and its refusals' pages link back to it; JSON clients get the same JSON either way.",
  })
  @ApiProduces('text/html', 'application/json')
  @ApiQueryFrom(CallbackQuery)
  @ApiOkResponse({
    description: 'The channel is connected: an HTML page naming it, or JSON',
    content: { ...htmlPage, 'application/json': { schema: { $ref: getSchemaPath(ChannelConnectedResponse) } } },
  })
  @ApiExtraModels(ChannelConnectedResponse)
  @ApiSeeOtherResponse({ description: 'The channel is connected and its connect link was made with `returnTo`: Location is that console path with `?connected=<channel id>` (HTML clients only)' })
  @ApiBadRequestResponse({ description: 'Unknown, used or expired state; the provider refused; the code exchange failed' })
  @ApiForbiddenResponse({ description: 'The consent was started in another browser (or not through a connect link)' })
  @ApiConflictResponse({ description: "The channel's authorization server or client changed since the consent started" })
  async callback(@Query() query: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const json = req.accepts(['html', 'json']) === 'json';
    const state = (query as { state?: unknown }).state;
    // Whatever the outcome, this browser's binding for the state is spent.
    if (typeof state === 'string') res.clearCookie(consentCookieName(state), consentCookieOptions(this.oauth.redirectUri(), 0));
    let done: CompletedConsent;
    try {
      done = await this.oauth.callback(query, (s) => consentNonce(req.headers.cookie, s));
    } catch (err) {
      if (!json && err instanceof HttpException) return sendPage(res, err.getStatus(), 'Not connected', err.message, backLink(err));
      throw err;
    }
    if (json) {
      const connected: ChannelConnected = { channelId: done.channelId, authStatus: done.authStatus };
      res.status(HttpStatus.OK).json(connected);
      return;
    }
    if (done.returnTo !== null) {
      // Back to the console, on this origin; the callback's URL (it holds the code) is sent nowhere.
      res.set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).redirect(HttpStatus.SEE_OTHER, returnToConnected(done.returnTo, done.channelId));
      return;
    }
    sendPage(res, HttpStatus.OK, 'Connected', `Channel "${done.channelName}" (${done.channelId}) is now connected. You can close this page.`);
  }
}
