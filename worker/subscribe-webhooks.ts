/**
 * On start-up, makes sure every enabled channel whose application subscribes to webhooks holds its
 * subscriptions (channels configured through the environment never pass through the API, which
 * subscribes the others). Starts a `webhookSubscriptions` run per such channel; subscribing is
 * idempotent, so a restart registers nothing twice.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { webhookTargets } from '../channels/webhook-targets';
import type { ConnectorRegistry } from '../connectors/registry';
import type { ChannelStore } from '../store/channel-store';
import type { FlowRegistry } from '../workflows/framework/flow';
import { flowSearchAttributes, flowWorkflowId } from '../workflows/framework/run-options';
import type { webhookSubscriptions } from '../workflows/webhook-subscriptions';

export async function subscribeChannelWebhooks(deps: { client: Client; taskQueue: string; flows: FlowRegistry; channels: ChannelStore; registry: ConnectorRegistry; publicUrl: string }): Promise<string[]> {
  const started: string[] = [];
  for (const channel of await deps.channels.list()) {
    const application = channel.enabled ? await deps.registry.application(channel.application) : undefined;
    const targets = application ? webhookTargets(deps.flows, application, deps.publicUrl, channel.id) : [];
    if (targets.length === 0) continue;
    const workflowId = flowWorkflowId('webhookSubscriptions', channel.id, `startup-${randomUUID()}`);
    await deps.client.workflow.start<typeof webhookSubscriptions>('webhookSubscriptions', {
      taskQueue: deps.taskQueue,
      workflowId,
      args: [{ action: 'subscribe', channelId: channel.id, targets }],
      typedSearchAttributes: flowSearchAttributes({ name: 'webhookSubscriptions', application: { name: channel.application } }, channel.id, 'manual'),
      staticSummary: `subscribe webhooks of channel ${channel.id} at ${channel.application} (start-up)`,
    });
    started.push(workflowId);
  }
  return started;
}
