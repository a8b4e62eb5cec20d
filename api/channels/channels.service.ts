/**
 * Channel lifecycle: the store row and the channel's polling schedules change together. When
 * Temporal cannot be reached, the store change is undone and the caller gets 503, so a channel
 * never exists without its schedules (or keeps schedules after it is gone).
 */
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { authOf, type Application } from '../../applications/framework/application';
import { isOAuth } from '../../applications/framework/auth';
import { initialAuthStatus } from '../../channels/auth-status';
import { ChannelSchedules } from '../../channels/channel-schedules';
import { ChannelStore, type AuthStatus, type StoredChannel } from '../../store/channel-store';
import type { Database } from '../../store/schema';
import { TokenStore } from '../../store/token-store';
import type { FlowRegistry } from '../../workflows/framework/flow';
import { callTemporal } from '../common/temporal-errors';
import { badRequest, parseOrThrow } from '../common/validation';
import { ConnectorRegistry } from '../../connectors/registry';
import { RunsService, type RunView } from '../runs/runs.service';
import type { SecurityConfig } from '../auth/security-config';
import { FLOW_REGISTRY, SECURITY_CONFIG } from '../tokens';
import type { CreateChannelRequest, UpdateChannelRequest } from './channel-requests';
import { channelView, MASK, type ChannelView } from './channel-view';
import { ChannelWebhookSubscriptions } from './channel-webhook-subscriptions';
import { allowedHostIssues, credentialMove, credentialsMustBeGiven } from './credential-binding';

const TEMPORAL_TIMEOUT_MS = 10_000;

@Injectable()
export class ChannelsService {
  constructor(
    private readonly store: ChannelStore,
    private readonly schedules: ChannelSchedules,
    @Inject(FLOW_REGISTRY) private readonly flows: FlowRegistry,
    private readonly client: Client,
    private readonly registry: ConnectorRegistry,
    private readonly tokens: TokenStore,
    private readonly webhooks: ChannelWebhookSubscriptions,
    private readonly runList: RunsService,
    @Inject(SECURITY_CONFIG) private readonly security: SecurityConfig,
  ) {}

  async create(request: CreateChannelRequest): Promise<ChannelView> {
    const app = await this.application(request.application);
    const credentials = parseOrThrow(app.credentials, request.credentials, 'credentials');
    const channel = await this.store.create({
      application: app.name,
      name: request.name,
      settings: this.settingsFor(app, request.settings),
      credentials,
      enabled: request.enabled,
      authStatus: initialAuthStatus(app, credentials),
    });
    try {
      await this.temporal(() => this.schedules.sync(channel));
      if (channel.enabled) await this.webhooks.subscribe(channel);
    } catch (err) {
      await this.temporal(() => this.schedules.remove(channel)).catch(() => undefined);
      await this.store.delete(channel.id);
      throw err;
    }
    return this.view(channel);
  }

  async list(): Promise<ChannelView[]> {
    return (await this.store.list()).map((channel) => this.view(channel));
  }

  async get(id: string): Promise<ChannelView> {
    return this.view(await this.find(id));
  }

  async update(id: string, request: UpdateChannelRequest): Promise<ChannelView> {
    // The checks hold only for the channel they read: the write is made against its version, and a
    // channel changed meanwhile is read and checked again, once.
    for (let attempt = 1; ; attempt++) {
      const result = await this.tryUpdate(id, request);
      if (result) return result;
      if (attempt === 2) throw new ConflictException('the channel changed while this request was being handled; read it again');
    }
  }

  /** Undefined when the channel changed after it was read: nothing was written then. */
  private async tryUpdate(id: string, request: UpdateChannelRequest): Promise<ChannelView | undefined> {
    const before = await this.find(id);
    const app = await this.application(request.application ?? before.application);
    if (request.application && !sameApplicationLine(request.application, before.application)) {
      throw badRequest([{ field: 'application', message: `a channel can move only between versions of its application (${before.application})` }]);
    }
    // Another version of the application brings its own schema and host pins: the settings kept
    // must pass them too, not only settings given now.
    const movesVersion = request.application !== undefined && request.application !== before.application;
    const settings = request.settings !== undefined ? this.settingsFor(app, request.settings) : movesVersion ? this.settingsFor(app, before.settings) : undefined;
    // Another origin for the credentials (base URL, OAuth endpoints, another version's server):
    // only with the secrets given again; and the tokens, granted for the old origin, are dropped.
    const beforeApp = (await this.registry.application(before.application)) ?? app;
    const move = credentialMove({ app: beforeApp, settings: before.settings }, { app, settings: settings ?? before.settings }, before.credentials, request.credentials);
    if (move?.moves.length && move.missing.length) throw credentialsMustBeGiven(move);
    const credentials = request.credentials !== undefined || movesVersion ? parseOrThrow(app.credentials, mergeCredentials(before.credentials, request.credentials ?? {}), 'credentials') : undefined;
    // New credentials may choose another of the application's auth methods (a private-app token
    // instead of OAuth), or another OAuth client: the channel then starts again that way, without
    // the tokens granted to the old one.
    const switched = credentials !== undefined && authorizationOf(app, credentials) !== authorizationOf(beforeApp, before.credentials);
    const patch = {
      application: request.application,
      name: request.name,
      enabled: request.enabled,
      settings,
      credentials,
      authStatus: switched ? initialAuthStatus(app, credentials) : move ? statusAfterMove(before.authStatus) : undefined,
    };
    // The tokens are forgotten in the transaction that stores the new settings, so no call sees the
    // new origin beside the old tokens; a renewal under way then cannot save its (old) tokens.
    const together = move || switched ? (tx: Kysely<Database>) => this.tokens.forgetAuthorizations(id, tx) : undefined;
    const after = await this.store.update(id, patch, { ifVersion: before.version, together });
    if (!after) {
      await this.find(id); // 404 when it is gone, else it changed: try again
      return undefined;
    }
    try {
      await this.temporal(() => this.schedules.sync(after));
      if (after.enabled && !before.enabled) await this.webhooks.subscribe(after);
      if (!after.enabled && before.enabled) await this.webhooks.unsubscribe(after);
      if (after.enabled && before.enabled && request.credentials !== undefined) await this.webhooks.resubscribeIfSecretChanged(before, after);
    } catch (err) {
      // Forgotten tokens cannot be restored: a moved OAuth channel stays in need of authorization.
      // Only over our own write: a change made since is someone else's and stays (with its schedules).
      const restored = await this.store.update(
        id,
        {
          application: before.application,
          name: before.name,
          enabled: before.enabled,
          settings: before.settings,
          credentials: before.credentials,
          authStatus: move || switched ? after.authStatus : before.authStatus,
        },
        { ifVersion: after.version },
      );
      if (restored) await this.temporal(() => this.schedules.sync(restored)).catch(() => undefined);
      throw err;
    }
    return this.view(after);
  }

  async remove(id: string): Promise<void> {
    const channel = await this.find(id);
    // The remote first: if it refuses, the channel stays as it was and the caller can try again.
    if (channel.enabled) await this.webhooks.unsubscribe(channel);
    await this.temporal(() => this.schedules.remove(channel));
    await this.store.delete(id);
  }

  /** Recent runs from Temporal's visibility: nothing of them is stored on our side. */
  async runs(id: string, limit: number): Promise<RunView[]> {
    const channel = await this.find(id);
    // The id comes from our store (checked above), so it is safe inside the visibility query.
    return this.runList.ofChannel(channel.id, limit);
  }

  private view(channel: StoredChannel): ChannelView {
    const webhooks = this.flows.all
      .filter((flow) => flow.application === channel.application && flow.trigger.type === 'webhook')
      .map((flow) => ({ flow: flow.name, url: `/webhooks/${flow.trigger.type === 'webhook' ? flow.trigger.path : ''}/${channel.id}` }));
    return channelView(channel, webhooks);
  }

  private async find(id: string): Promise<StoredChannel> {
    const channel = await this.store.get(id);
    if (!channel) throw new NotFoundException(`no channel "${id}"`);
    return channel;
  }

  private async application(name: string): Promise<Application> {
    const app = await this.registry.application(name);
    if (!app) throw badRequest([{ field: 'application', message: `unknown application "${name}" (see GET /applications)` }]);
    return app;
  }

  /** The application's settings, valid by its schema and inside its `allowedHosts` (with the operator's APPLICATION_HOSTS). */
  private settingsFor(app: Application, raw: unknown): unknown {
    const settings = parseOrThrow(app.settings, raw, 'settings');
    const outside = allowedHostIssues(app, settings, this.security.applicationHosts[app.name]);
    if (outside.length) throw badRequest(outside);
    return settings;
  }

  private temporal<T>(fn: () => Promise<T>): Promise<T> {
    return callTemporal(this.client.connection, TEMPORAL_TIMEOUT_MS, fn);
  }
}

/** What a channel's tokens were granted to: its auth method's kind and, for OAuth, the client. */
function authorizationOf(app: Application, credentials: unknown): string {
  const auth = authOf(app, credentials);
  const parsed = app.credentials.safeParse(credentials);
  return isOAuth(auth) ? `${auth.kind}:${auth.client(parsed.success ? parsed.data : credentials).clientId}` : auth.kind;
}

/** A channel whose tokens were dropped must be authorized again, if it ever was. */
function statusAfterMove(status: AuthStatus): AuthStatus {
  return status === 'authorized' ? 'reauthorization-required' : status;
}

/** `petstore@v1` and `petstore@v2` are one application line; hand-written applications have one version. */
function sameApplicationLine(a: string, b: string): boolean {
  return a.replace(/@v\d+$/, '') === b.replace(/@v\d+$/, '');
}

/** A masked value keeps the stored one; `null` removes the field (switching auth methods drops the old method's fields). */
function mergeCredentials(stored: unknown, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...(stored as Record<string, unknown>) };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete merged[field];
    else if (value !== MASK) merged[field] = value;
  }
  return merged;
}
