/** The activities a worker registers, built around the dependencies they need. */
import type { SyncCursorStore } from '../store/sync-cursor-store';
import type { WebhookSubscriptionStore } from '../store/webhook-subscription-store';
import { createWebhookSubscriptionActivities } from './webhook-subscriptions';
import { createChannelSettingsActivities } from './channel-settings';
import { createRunConnectorActivity, createRunConnectorPageActivity, type RunConnectorDeps } from './run-connector';
import { createRunConnectorBatchActivity } from './run-connector-batch';
import { createSyncCursorActivities } from './sync-cursor';

export interface ActivityDeps extends RunConnectorDeps {
  cursors: SyncCursorStore;
  subscriptions: WebhookSubscriptionStore;
}

export function createActivities(deps: ActivityDeps) {
  return {
    runConnector: createRunConnectorActivity(deps),
    runConnectorPage: createRunConnectorPageActivity(deps),
    runConnectorBatch: createRunConnectorBatchActivity(deps),
    ...createSyncCursorActivities(deps.cursors),
    ...createChannelSettingsActivities(deps.channels),
    ...createWebhookSubscriptionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
