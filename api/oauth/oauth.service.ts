/**
 * Connecting a channel by OAuth 2.0 authorization code with PKCE: start the consent (redirect to
 * the provider with a random, single-use, expiring state bound to the channel), then take the
 * callback, exchange the code and store the tokens sealed.
 */
import { BadGatewayException, BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { HttpLayerError } from '../../connectors/framework/http/client';
import { z } from 'zod';
import { findApplication } from '../../applications';
import type { Application } from '../../applications/framework/application';
import { authorizationRequest, exchangeCode, GrantRejectedError } from '../../channels/oauth/oauth-protocol';
import type { ChannelStore, StoredChannel } from '../../store/channel-store';
import type { TokenStore } from '../../store/token-store';
import { parseOrThrow } from '../common/validation';
import { CHANNEL_STORE, PUBLIC_URL, TOKEN_STORE } from '../tokens';

/** One value each: a repeated parameter is a malformed callback, answered 400. */
const CallbackQuery = z.object({ state: z.string().min(1), code: z.string().optional(), error: z.string().optional(), error_description: z.string().optional(), iss: z.string().optional() });

const STATE_TTL_MS = 10 * 60_000;

@Injectable()
export class OAuthService {
  constructor(
    @Inject(CHANNEL_STORE) private readonly channels: ChannelStore,
    @Inject(TOKEN_STORE) private readonly tokens: TokenStore,
    @Inject(PUBLIC_URL) private readonly publicUrl: () => string,
  ) {}

  redirectUri(): string {
    return `${this.publicUrl().replace(/\/+$/, '')}/oauth/callback`;
  }

  /** The provider's consent URL for this channel. */
  async authorizationUrl(channelId: string): Promise<string> {
    const { channel, auth } = await this.oauthChannel(channelId);
    const redirectUri = this.redirectUri();
    const request = await authorizationRequest(auth.endpoints(channel.settings), auth.client(channel.credentials), auth.scopes, redirectUri);
    await this.tokens.savePendingAuthorization(request.state, { channelId, codeVerifier: request.codeVerifier, redirectUri }, new Date(Date.now() + STATE_TTL_MS));
    return request.url.toString();
  }

  async callback(rawQuery: unknown): Promise<{ channelId: string; authStatus: string }> {
    const query = parseOrThrow(CallbackQuery, rawQuery);
    const pending = await this.tokens.takePendingAuthorization(query.state);
    if (!pending) throw new BadRequestException('state: unknown, already used or expired; start again at GET /channels/:id/oauth/authorize');
    if (query.error) throw new BadRequestException(`the provider did not authorize: ${query.error}${query.error_description ? ` (${query.error_description})` : ''}`);
    const { channel, auth } = await this.oauthChannel(pending.channelId);
    try {
      const callback = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      const granted = await exchangeCode(auth.endpoints(channel.settings), auth.client(channel.credentials), callback, query.state, pending.redirectUri, pending.codeVerifier);
      await this.tokens.save(channel.id, granted.tokens, granted.expiresAt);
    } catch (err) {
      if (err instanceof GrantRejectedError) throw new BadRequestException(`code exchange failed: ${err.message}`);
      // The token endpoint is refused by the egress policy, or answered too much: not the caller's fault, and final.
      if (err instanceof HttpLayerError) throw new BadGatewayException(`code exchange failed: ${err.message}`);
      throw err;
    }
    await this.channels.update(channel.id, { authStatus: 'authorized' });
    return { channelId: channel.id, authStatus: 'authorized' };
  }

  private async oauthChannel(channelId: string): Promise<{ channel: StoredChannel; auth: Extract<Application['auth'], { kind: 'oauth2-authorization-code' }> }> {
    const channel = await this.channels.get(channelId);
    if (!channel) throw new NotFoundException(`no channel "${channelId}"`);
    const auth = findApplication(channel.application)?.auth;
    if (auth?.kind !== 'oauth2-authorization-code') throw new ConflictException(`application ${channel.application} does not use OAuth 2.0 authorization code`);
    return { channel, auth };
  }
}
