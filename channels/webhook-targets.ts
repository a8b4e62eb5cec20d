/**
 * Where a channel's webhook deliveries must go: one URL per webhook path of its application's
 * flows, under the public URL. Shared by the API (channel enable/create) and the worker
 * (channels configured through the environment, on start-up).
 */
import type { Application } from '../applications/framework/application';
import type { FlowRegistry } from '../workflows/framework/flow';

export interface WebhookTarget {
  path: string;
  url: string;
}

export function webhookTargets(flows: FlowRegistry, application: Application, publicUrl: string, channelId: string): WebhookTarget[] {
  if (!application.webhooks?.subscription) return [];
  const base = publicUrl.replace(/\/+$/, '');
  const paths = new Set(flows.all.flatMap((flow) => (flow.application === application.name && flow.trigger.type === 'webhook' ? [flow.trigger.path] : [])));
  return [...paths].map((path) => ({ path, url: `${base}/webhooks/${path}/${channelId}` }));
}
