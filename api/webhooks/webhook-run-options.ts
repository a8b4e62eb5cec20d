/**
 * How a webhook delivery's run is started: its id from the delivery id, its metadata for the Web
 * UI and /runs. The API uses it, and the ingest benchmark to start bare runs that carry the same.
 */
import type { WorkflowStartOptions } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { FlowDefinition } from '../../workflows/framework/flow';
import { runDetails } from '../../workflows/framework/run-details';
import { flowSearchAttributes, flowWorkflowId } from '../../workflows/framework/run-options';

export function webhookRunOptions(flow: FlowDefinition, channelId: string, deliveryId: string, body: unknown, taskQueue: string): WorkflowStartOptions {
  return {
    taskQueue,
    workflowId: flowWorkflowId(flow.name, channelId, deliveryId),
    args: [{ channelId, deliveryId, body }],
    // A redelivered webhook (same delivery id) must not run twice, even after the first run closed.
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: flowSearchAttributes(flow, channelId, 'webhook'),
    staticSummary: `${flow.name}: webhook delivery ${deliveryId}`,
    staticDetails: runDetails(flow, channelId, 'webhook', `POST /webhooks/${flow.trigger.type === 'webhook' ? flow.trigger.path : ''}, delivery ${deliveryId}`),
  };
}
