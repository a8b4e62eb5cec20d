/**
 * Connecting a channel by OAuth 2.0 authorization code with PKCE, the way Nango's connect sessions
 * do it: a management call gets a short-lived, single-use connect link to hand to the account's
 * owner; opening it binds a fresh consent (random, single-use, expiring state) to that browser by
 * a cookie and redirects to the provider; the callback completes only in that browser, exchanges
 * the code at the authorization server the consent went to, and stores the tokens sealed.
 */
import { randomBytes } from 'node:crypto';
import { BadGatewayException, BadRequestException, ConflictException, ForbiddenException, GoneException, HttpException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { authOf } from '../../applications/framework/application';
import { oauthMethodOf, type AuthMethod, type OAuthEndpoints } from '../../applications/framework/auth';
import { authorizationRequest, exchangeCode, GrantRejectedError } from '../../channels/oauth/oauth-protocol';
import { HttpLayerError } from '../../connectors/framework/http/client';
import { ConnectorRegistry } from '../../connectors/registry';
import { ChannelStore, type StoredChannel } from '../../store/channel-store';
import { TokenStore, type PendingAuthorization } from '../../store/token-store';
import { ChannelWebhookSubscriptions } from '../channels/channel-webhook-subscriptions';
import { parseOrThrow } from '../common/validation';
import { PUBLIC_URL } from '../tokens';
import { CallbackQuery, type ChannelConnected, type ConnectLink } from './oauth-views';

export type { ConnectLink } from './oauth-views';

/** 32 random bytes, base64url: anything else cannot be one of our links. */
const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const CONNECT_LINK_TTL_MS = 10 * 60_000;
export const STATE_TTL_MS = 10 * 60_000;

type AuthorizationCodeAuth = Extract<AuthMethod<unknown, unknown>, { kind: 'oauth2-authorization-code' }>;

/** A consent begun from a connect link: where to send the browser, and the nonce its cookie must carry. */
export interface StartedConsent {
  location: string;
  state: string;
  nonce: string;
}

export interface CompletedConsent extends ChannelConnected {
  channelName: string;
  /** The console path the connect link was made for: the browser goes there (null: the page). */
  returnTo: string | null;
}

/**
 * A refusal on the way of a consent started from the console: the same status and answer (a JSON
 * client sees no difference), plus the console path its page links back to.
 */
export class ConsentRefused extends HttpException {
  constructor(
    refusal: HttpException,
    readonly returnTo: string,
  ) {
    super(refusal.getResponse(), refusal.getStatus(), { cause: refusal });
  }
}

/** Runs `fn`; a refusal it throws carries `returnTo` when there is one. */
async function leadingBackTo<T>(returnTo: string | null, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw returnTo !== null && err instanceof HttpException && !(err instanceof ConsentRefused) ? new ConsentRefused(err, returnTo) : err;
  }
}

const random = (): string => randomBytes(32).toString('base64url');
const ASK_AGAIN = 'ask for a new connect link (POST /channels/:id/oauth/connect)';

@Injectable()
export class OAuthService {
  constructor(
    private readonly channels: ChannelStore,
    private readonly tokens: TokenStore,
    private readonly registry: ConnectorRegistry,
    private readonly webhooks: ChannelWebhookSubscriptions,
    @Inject(PUBLIC_URL) private readonly publicUrl: () => string,
  ) {}

  redirectUri(): string {
    return `${this.base()}/oauth/callback`;
  }

  /**
   * A link only the channel's id and a random token make up: safe to hand to the account owner.
   * `returnTo` (a console path, checked by the request's schema) is kept with it, not put in it.
   */
  async connectLink(channelId: string, returnTo?: string): Promise<ConnectLink> {
    await this.oauthChannel(channelId);
    const token = random();
    const expiresAt = new Date(Date.now() + CONNECT_LINK_TTL_MS);
    await this.tokens.saveConnectLink(token, channelId, expiresAt, { returnTo: returnTo ?? null });
    return { url: `${this.base()}/oauth/connect/${token}`, expiresAt: expiresAt.toISOString() };
  }

  /** Uses up the link and starts the consent at the channel's authorization server, as configured now. */
  async openConnectLink(token: string): Promise<StartedConsent> {
    const used = LINK_TOKEN.test(token) ? await this.tokens.useConnectLink(token) : ({ refused: 'unknown', returnTo: null } as const);
    if ('refused' in used) {
      const refusal =
        used.refused === 'unknown'
          ? new BadRequestException(`this connect link is unknown; ${ASK_AGAIN}`)
          : new GoneException(`this connect link ${used.refused === 'used' ? 'was already used' : 'has expired'}; ${ASK_AGAIN}`);
      // A used or expired link made from the console leads back there.
      throw used.returnTo === null ? refusal : new ConsentRefused(refusal, used.returnTo);
    }
    return leadingBackTo(used.returnTo, () => this.startConsent(used.channelId, used.returnTo));
  }

  private async startConsent(channelId: string, returnTo: string | null): Promise<StartedConsent> {
    const { channel, auth } = await this.oauthChannel(channelId);
    const endpoints = auth.endpoints(channel.settings);
    const client = auth.client(channel.credentials);
    const redirectUri = this.redirectUri();
    const request = await authorizationRequest(endpoints, client, auth.scopes, redirectUri, auth.authorizationParams, auth.scopeSeparator);
    const nonce = random();
    await this.tokens.savePendingAuthorization(
      request.state,
      { channelId: channel.id, codeVerifier: request.codeVerifier, redirectUri, endpoints, clientId: client.clientId, returnTo },
      nonce,
      new Date(Date.now() + STATE_TTL_MS),
    );
    return { location: request.url.toString(), state: request.state, nonce };
  }

  /** `nonceFor(state)`: what the calling browser's consent cookie holds for that state. */
  async callback(rawQuery: unknown, nonceFor: (state: string) => string | undefined): Promise<CompletedConsent> {
    const query = parseOrThrow(CallbackQuery, rawQuery);
    const taken = await this.tokens.takePendingAuthorization(query.state, nonceFor(query.state));
    if ('refused' in taken) {
      if (taken.refused === 'unknown') throw new BadRequestException(`state: unknown, already used or expired; ${ASK_AGAIN}`);
      throw new ForbiddenException('this consent was not started in this browser: only the browser that opened the connect link can complete it');
    }
    const { pending } = taken;
    // From here on the consent is known: its refusals lead back to the console it was started from.
    return leadingBackTo(pending.returnTo, () => this.completeConsent(pending, query));
  }

  private async completeConsent(pending: PendingAuthorization, query: CallbackQuery): Promise<CompletedConsent> {
    if (query.error) throw new BadRequestException(`the provider did not authorize: ${query.error}${query.error_description ? ` (${query.error_description})` : ''}`);
    const { channel, auth } = await this.oauthChannel(pending.channelId);
    // The code goes to the server the consent was started with, and only if the channel still uses it.
    const client = auth.client(channel.credentials);
    if (!sameEndpoints(auth.endpoints(channel.settings), pending.endpoints) || client.clientId !== pending.clientId) {
      throw new ConflictException(`the channel's authorization server or client changed since this consent started; ${ASK_AGAIN}`);
    }
    try {
      const callback = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      const granted = await exchangeCode(pending.endpoints, { clientId: pending.clientId, clientSecret: client.clientSecret }, callback, query.state, pending.redirectUri, pending.codeVerifier, auth);
      await this.tokens.save(channel.id, granted.tokens, granted.expiresAt);
    } catch (err) {
      if (err instanceof GrantRejectedError) throw new BadRequestException(`code exchange failed: ${err.message}`);
      // The token endpoint is refused by the egress policy, or answered too much: not the caller's fault, and final.
      if (err instanceof HttpLayerError) throw new BadGatewayException(`code exchange failed: ${err.message}`);
      throw err;
    }
    const authorized = await this.channels.update(channel.id, { authStatus: 'authorized' });
    // Its first consent: until now it could not call its service, so it was not subscribed (a re-authorized channel still is).
    if (authorized?.enabled && channel.authStatus === 'authorization-required') await this.webhooks.subscribe(authorized);
    return { channelId: channel.id, channelName: channel.name, authStatus: 'authorized', returnTo: pending.returnTo };
  }

  private base(): string {
    return this.publicUrl().replace(/\/+$/, '');
  }

  /** Applications in code and imported ones alike. */
  private async oauthChannel(channelId: string): Promise<{ channel: StoredChannel; auth: AuthorizationCodeAuth }> {
    const channel = await this.channels.get(channelId);
    if (!channel) throw new NotFoundException(`no channel "${channelId}"`);
    const app = await this.registry.application(channel.application);
    const auth = app && authOf(app, channel.credentials);
    if (auth?.kind !== 'oauth2-authorization-code') {
      const offers = app && oauthMethodOf(app.auth)?.kind === 'oauth2-authorization-code';
      throw new ConflictException(
        offers
          ? `channel ${channel.id} authenticates by ${auth?.kind}: give it the credentials of the OAuth 2.0 method (its client id and secret) to connect it by OAuth`
          : `application ${channel.application} does not use OAuth 2.0 authorization code`,
      );
    }
    return { channel, auth };
  }
}

function sameEndpoints(a: Required<OAuthEndpoints>, b: Required<OAuthEndpoints>): boolean {
  return a.issuer === b.issuer && a.authorizationUrl === b.authorizationUrl && a.tokenUrl === b.tokenUrl;
}
