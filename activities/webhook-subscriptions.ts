/**
 * Registers and removes a channel's webhook subscriptions at its remote service, through the same
 * connector machinery as every other call (auth, timeouts, typed errors). The channel's signing
 * secret is read here, in the activity, and goes only to the remote: never into workflow history.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import type { Application, WebhookSubscriptionRequests } from '../applications/framework/application';
import type { ChannelDirectory } from '../channels/channel';
import type { WebhookTarget } from '../channels/webhook-targets';
import { defineConnector } from '../connectors/framework/connector';
import { ConnectorError } from '../connectors/framework/errors';
import { executeConnector } from '../connectors/framework/execute';
import type { ConnectorRegistry } from '../connectors/registry';
import type { TokenStore } from '../store/token-store';
import type { WebhookSubscriptionStore } from '../store/webhook-subscription-store';
import { idempotencyKeyOf, toApplicationFailure, withAccessTokens } from './run-connector';

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
      input: z.object({ url: z.string(), secret: z.string() }),
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

  /** `secret`: a remote that echoes the request in its error must not put it into history. */
  const run = async <T>(call: () => Promise<T>, secret?: string): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ConnectorError)) throw err;
      if (secret) err.message = redact(err.message, secret);
      throw toApplicationFailure(err);
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
          () => executeConnector(connectors.register, withAccessTokens(connectors.register, channel, deps), { url: target.url, secret }, { signal: Context.current().cancellationSignal, idempotencyKey }),
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
        await run(() => executeConnector(connectors.remove, withAccessTokens(connectors.remove, channel, deps), { id: subscription.remoteId }, { signal: Context.current().cancellationSignal }));
        await deps.subscriptions.delete(channel.id, subscription.path);
      }
      return held.length;
    },
  };
}

/**
 * The secret out of a message quoting the remote's answer: whole, and as the cut-off start of it
 * where the quote was truncated.
 */
export function redact(message: string, secret: string): string {
  const redacted = message.split(secret).join('[redacted]');
  for (let length = secret.length - 1; length >= 4; length--) {
    if (redacted.endsWith(secret.slice(0, length))) return redacted.slice(0, -length) + '[redacted]';
  }
  return redacted;
}
