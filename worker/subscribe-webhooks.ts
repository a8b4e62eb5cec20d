/**
 * On start-up, makes sure every enabled channel whose application subscribes to webhooks holds its
 * subscriptions (channels configured through the environment never pass through the API, which
 * subscribes the others). Starts a `webhookSubscriptions` run per such channel under the same
 * workflow id the API's changes use, so a start-up run and a change made through the API take
 * turns instead of interleaving at the remote; a channel whose change is already running is left
 * to it. Subscribing is idempotent, so a restart registers nothing twice.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { webhookTargets } from '../channels/webhook-targets';
import type { ConnectorRegistry } from '../connectors/registry';
import type { ChannelStore } from '../store/channel-store';
import type { FlowRegistry } from '../workflows/framework/flow';
import type { RunStarter } from '../workflows/framework/run-starter';

export interface SubscriptionStart {
  workflowId: string;
  /** False when a change for the channel was already running: it was left to finish. */
  started: boolean;
}

export async function subscribeChannelWebhooks(deps: { runs: RunStarter; flows: FlowRegistry; channels: ChannelStore; registry: ConnectorRegistry; publicUrl: string }): Promise<SubscriptionStart[]> {
  const results: SubscriptionStart[] = [];
  for (const channel of await deps.channels.list()) {
    const application = channel.enabled ? await deps.registry.application(channel.application) : undefined;
    const targets = application ? webhookTargets(deps.flows, application, deps.publicUrl, channel.id) : [];
    if (targets.length === 0) continue;
    try {
      const handle = await deps.runs.startSubscriptionChange(channel, { action: 'subscribe', channelId: channel.id, targets }, 'worker start-up');
      results.push({ workflowId: handle.workflowId, started: true });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      results.push({ workflowId: err.workflowId, started: false });
    }
  }
  return results;
}
