/**
 * Registers and removes a channel's webhook subscriptions at its remote service, through the same
 * connector machinery as every other call (auth, timeouts, typed errors). The channel's signing
 * secret is read here, in the activity, and goes only to the remote: never into workflow history.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import type { Application, WebhookSubscriptionRequests } from '../applications/framework/application';
import type { Channel, ChannelDirectory } from '../channels/channel';
import type { WebhookTarget } from '../channels/webhook-targets';
import { defineConnector, type Connector } from '../connectors/framework/connector';
import { ConnectorError } from '../connectors/framework/errors';
import { executeConnector } from '../connectors/framework/execute';
import type { ConnectorRegistry } from '../connectors/registry';
import type { TokenStore } from '../store/token-store';
import type { WebhookSubscriptionStore } from '../store/webhook-subscription-store';
import { idempotencyKeyOf, redactedFailure, toApplicationFailure, withAccessTokens } from './run-connector';
import { SecretRedactor } from './secret-redaction';

export interface WebhookSubscriptionDeps {
  channels: ChannelDirectory;
  tokens: TokenStore;
  registry: ConnectorRegistry;
  subscriptions: WebhookSubscriptionStore;
}

export interface SubscribeInput {
  channelId: string;
  /** Where deliveries go, one per webhook path: `<PUBLIC_URL>/webhooks/<path>/<channel id>`. */
  targets: WebhookTarget[];
}

function subscriptionConnectors(application: Application, requests: WebhookSubscriptionRequests) {
  return {
    register: defineConnector({
      application,
      name: 'registerWebhook',
      description: 'Register a webhook subscription',
      input: z.object({ url: z.string(), path: z.string(), secret: z.string(), settings: z.unknown() }),
      output: z.unknown(),
      request: (target) => requests.register(target),
    }),
    remove: defineConnector({
      application,
      name: 'removeWebhook',
      description: 'Remove a webhook subscription',
      input: z.object({ id: z.string() }),
      output: z.unknown(),
      request: ({ id }) => requests.remove(id),
      // Already gone at the remote is what we wanted.
      evaluate: (response, defaults) => (response.status === 404 ? null : defaults()),
    }),
  };
}

export function createWebhookSubscriptionActivities(deps: WebhookSubscriptionDeps) {
  async function resolve(channelId: string) {
    const channel = await deps.channels.get(channelId);
    if (!channel) throw ApplicationFailure.nonRetryable(`unknown channel "${channelId}"`, 'UnknownChannel');
    const application = await deps.registry.application(channel.application);
    const verification = application?.webhooks;
    if (!application || !verification?.subscription) throw ApplicationFailure.nonRetryable(`application ${channel.application} declares no webhook subscription`, 'NoWebhookSubscription');
    return { channel, application, verification, connectors: subscriptionConnectors(application, verification.subscription) };
  }

  /**
   * One call of the channel's subscription connectors. A remote that echoes the request (the
   * signing secret in the body, the API key) in its error must not put it into history: the
   * failure leaves redacted of the channel's credentials and what the request carried.
   */
  const run = async <T>(channel: Channel, connector: Connector, call: (onCredential: (value: string) => void) => Promise<T>, secret?: string): Promise<T> => {
    const secrets = new SecretRedactor();
    secrets.addValues([channel.credentials, secret]);
    try {
      return await call((value) => secrets.addSent(value));
    } catch (err) {
      throw await redactedFailure(err instanceof ConnectorError ? toApplicationFailure(err) : err, secrets, connector, channel.id, deps.tokens);
    }
  };

  return {
    /** Registers every target the channel does not hold yet (idempotent: a retry registers nothing twice). */
    async subscribeWebhooks(input: SubscribeInput): Promise<number> {
      const { channel, application, verification, connectors } = await resolve(input.channelId);
      const secret = verification.secret(application.credentials.parse(channel.credentials));
      if (!secret) throw ApplicationFailure.nonRetryable(`channel "${channel.id}" has no webhook secret`, 'NoWebhookSecret');
      const held = new Set((await deps.subscriptions.list(channel.id)).map((subscription) => subscription.path));
      let registered = 0;
      for (const target of input.targets.filter((t) => !held.has(t.path))) {
        // The same key on every attempt of this activity, a new one for the next change: a retry after
        // a crash between the remote's answer and our save registers nothing twice (where the remote
        // honours Idempotency-Key), and a later re-subscribe is not answered from the remote's cache.
        const activityKey = idempotencyKeyOf(Context.current().info);
        const idempotencyKey = activityKey && createHash('sha256').update(`${activityKey}/${target.path}`).digest('hex').slice(0, 40);
        const answer = await run(
          channel,
          connectors.register,
          (onCredential) =>
            executeConnector(
              connectors.register,
              withAccessTokens(connectors.register, channel, deps),
              { url: target.url, path: target.path, secret, settings: application.settings.parse(channel.settings) },
              { signal: Context.current().cancellationSignal, idempotencyKey, onCredential },
            ),
          secret,
        );
        await deps.subscriptions.save({ channelId: channel.id, path: target.path, url: target.url, remoteId: verification.subscription!.subscriptionId(answer) });
        registered += 1;
      }
      return registered;
    },

    /** Removes every subscription the channel holds. */
    async unsubscribeWebhooks(input: { channelId: string }): Promise<number> {
      const { channel, connectors } = await resolve(input.channelId);
      const held = await deps.subscriptions.list(channel.id);
      for (const subscription of held) {
        await run(channel, connectors.remove, (onCredential) =>
          executeConnector(connectors.remove, withAccessTokens(connectors.remove, channel, deps), { id: subscription.remoteId }, { signal: Context.current().cancellationSignal, onCredential }),
        );
        await deps.subscriptions.delete(channel.id, subscription.path);
      }
      return held.length;
    },
  };
}
