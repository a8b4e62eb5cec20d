/**
 * Keeps a channel's webhook subscriptions at its remote service in step with the channel: enabled
 * means subscribed at `<PUBLIC_URL>/webhooks/<path>/<channel id>`, disabled or deleted means not.
 * The remote calls run as a `webhookSubscriptions` workflow on the worker (retries, Web UI); the
 * API waits for its outcome so the caller learns whether the remote accepted.
 */
import { randomUUID } from 'node:crypto';
import { BadGatewayException, Inject, Injectable } from '@nestjs/common';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { ConnectorRegistry } from '../../connectors/registry';
import type { TemporalSettings } from '../../runtime/temporal-config';
import type { StoredChannel } from '../../store/channel-store';
import type { FlowRegistry } from '../../workflows/framework/flow';
import { flowSearchAttributes, flowWorkflowId } from '../../workflows/framework/run-options';
import type { webhookSubscriptions, WebhookSubscriptionChange } from '../../workflows/webhook-subscriptions';
import { callTemporal } from '../common/temporal-errors';
import { CONNECTOR_REGISTRY, FLOW_REGISTRY, PUBLIC_URL, TEMPORAL_CLIENT, TEMPORAL_SETTINGS } from '../tokens';

const WAIT_MS = 20_000;

@Injectable()
export class ChannelWebhookSubscriptions {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(TEMPORAL_SETTINGS) private readonly settings: TemporalSettings,
    @Inject(FLOW_REGISTRY) private readonly flows: FlowRegistry,
    @Inject(CONNECTOR_REGISTRY) private readonly registry: ConnectorRegistry,
    @Inject(PUBLIC_URL) private readonly publicUrl: () => string,
  ) {}

  async subscribe(channel: StoredChannel): Promise<void> {
    const paths = await this.paths(channel);
    if (paths.length === 0) return;
    const base = this.publicUrl().replace(/\/+$/, '');
    await this.run(channel, { action: 'subscribe', channelId: channel.id, targets: paths.map((path) => ({ path, url: `${base}/webhooks/${path}/${channel.id}` })) });
  }

  async unsubscribe(channel: StoredChannel): Promise<void> {
    if ((await this.paths(channel)).length === 0) return;
    await this.run(channel, { action: 'unsubscribe', channelId: channel.id });
  }

  /** The webhook paths of the channel's application, when the application knows how to subscribe. */
  private async paths(channel: StoredChannel): Promise<string[]> {
    const application = await this.registry.application(channel.application);
    if (!application?.webhooks?.subscription) return [];
    const flows = this.flows.all.filter((flow) => flow.application.name === application.name);
    return [...new Set(flows.flatMap((flow) => (flow.trigger.type === 'webhook' ? [flow.trigger.path] : [])))];
  }

  private async run(channel: StoredChannel, change: WebhookSubscriptionChange): Promise<void> {
    const flow = { name: 'webhookSubscriptions', application: { name: channel.application } };
    try {
      await callTemporal(this.client.connection, WAIT_MS, () =>
        this.client.workflow.execute<typeof webhookSubscriptions>('webhookSubscriptions', {
          taskQueue: this.settings.taskQueue,
          workflowId: flowWorkflowId(flow.name, channel.id, `${change.action}-${randomUUID()}`),
          args: [change],
          typedSearchAttributes: flowSearchAttributes(flow, channel.id, 'manual'),
          staticSummary: `${change.action} webhooks of channel ${channel.id} at ${channel.application}`,
        }),
      );
    } catch (err) {
      if (!(err instanceof WorkflowFailedError)) throw err;
      const failure = err.cause?.cause ?? err.cause;
      const cause = failure instanceof Error ? failure.message : err.message;
      throw new BadGatewayException(`${channel.application} did not accept the webhook ${change.action}: ${cause}`);
    }
  }
}
