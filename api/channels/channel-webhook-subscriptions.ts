/**
 * Keeps a channel's webhook subscriptions at its remote service in step with the channel: enabled
 * means subscribed at `<PUBLIC_URL>/webhooks/<path>/<channel id>`, disabled or deleted means not.
 * The remote calls run as a `webhookSubscriptions` workflow on the worker (retries, Web UI); the
 * API waits for its outcome so the caller learns whether the remote accepted.
 */
import { BadGatewayException, ConflictException, Inject, Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, Client } from '@temporalio/client';
import { webhookTargets, type WebhookTarget } from '../../channels/webhook-targets';
import { ConnectorRegistry } from '../../connectors/registry';
import type { StoredChannel } from '../../store/channel-store';
import type { FlowRegistry } from '../../workflows/framework/flow';
import { RunStarter } from '../../workflows/framework/run-starter';
import { systemWorkflows } from '../../workflows/system-workflows';
import type { WebhookSubscriptionChange } from '../../workflows/webhook-subscriptions';
import { callTemporal } from '../common/temporal-errors';
import { FLOW_REGISTRY, PUBLIC_URL } from '../tokens';

/** As long as Temporal lets the run live: after that the change is given up and undone in the store. */
const WAIT_MS = systemWorkflows.webhookSubscriptions.executionTimeoutMs;

@Injectable()
export class ChannelWebhookSubscriptions {
  constructor(
    private readonly client: Client,
    private readonly runs: RunStarter,
    @Inject(FLOW_REGISTRY) private readonly flows: FlowRegistry,
    private readonly registry: ConnectorRegistry,
    @Inject(PUBLIC_URL) private readonly publicUrl: () => string,
  ) {}

  /**
   * A channel that still waits for its OAuth consent cannot call its service yet: it is
   * subscribed when the consent completes (the OAuth callback calls this again).
   */
  async subscribe(channel: StoredChannel): Promise<void> {
    if (channel.authStatus === 'authorization-required' || channel.authStatus === 'reauthorization-required') return;
    const targets = await this.targets(channel);
    if (targets.length > 0) await this.run(channel, { action: 'subscribe', channelId: channel.id, targets });
  }

  /** After a credentials change: a new webhook secret must reach the remote, which signs with the old one. */
  async resubscribeIfSecretChanged(before: StoredChannel, after: StoredChannel): Promise<void> {
    const application = await this.registry.application(after.application);
    const webhooks = application?.webhooks;
    if (!application || !webhooks?.subscription) return;
    const secretOf = (channel: StoredChannel) => webhooks.secret(application.credentials.parse(channel.credentials));
    if (secretOf(before) === secretOf(after)) return;
    const targets = webhookTargets(this.flows, application, this.publicUrl(), after.id);
    if (targets.length > 0) await this.run(after, { action: 'resubscribe', channelId: after.id, targets });
  }

  async unsubscribe(channel: StoredChannel): Promise<void> {
    if ((await this.targets(channel)).length > 0) await this.run(channel, { action: 'unsubscribe', channelId: channel.id });
  }

  private async targets(channel: StoredChannel): Promise<WebhookTarget[]> {
    const application = await this.registry.application(channel.application);
    return application ? webhookTargets(this.flows, application, this.publicUrl(), channel.id) : [];
  }

  private async run(channel: StoredChannel, change: WebhookSubscriptionChange): Promise<void> {
    try {
      await callTemporal(this.client.connection, WAIT_MS, async () => {
        // One id per channel, shared with the worker's start-up run: changes take turns (409 meanwhile).
        const handle = await this.runs.startSubscriptionChange(channel, change, 'the API, on a channel change');
        // This run's result, not whichever run holds the id by then.
        await this.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId, { followRuns: false }).result();
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new ConflictException(`a webhook subscription change for channel "${channel.id}" is still running; try again when it is done`);
      if (!(err instanceof WorkflowFailedError)) throw err;
      const failure = err.cause?.cause ?? err.cause;
      const cause = failure instanceof Error ? failure.message : err.message;
      throw new BadGatewayException(`${channel.application} did not accept the webhook ${change.action}: ${cause}`);
    }
  }
}
