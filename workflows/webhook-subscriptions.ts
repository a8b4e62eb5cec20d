/**
 * Registers or removes a channel's webhook subscriptions at its remote service: started by the API
 * when a channel is enabled, disabled or deleted, so the remote call gets Temporal's retries and
 * shows up in the Web UI like any run. Carries the channel id and public URLs, never the secret.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SubscribeInput } from '../activities/webhook-subscriptions';

const { subscribeWebhooks, unsubscribeWebhooks } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // Someone is waiting on the API for the answer: a few quick attempts, then report.
  retry: { initialInterval: '500 ms', maximumAttempts: 3 },
});

/** `resubscribe`: the channel's webhook secret changed, and the remote signs with what it was given. */
export type WebhookSubscriptionChange = ({ action: 'subscribe' | 'resubscribe' } & SubscribeInput) | { action: 'unsubscribe'; channelId: string };

export async function webhookSubscriptions(change: WebhookSubscriptionChange): Promise<{ changed: number }> {
  switch (change.action) {
    case 'subscribe':
      return { changed: await subscribeWebhooks(change) };
    case 'unsubscribe':
      return { changed: await unsubscribeWebhooks({ channelId: change.channelId }) };
    case 'resubscribe':
      await unsubscribeWebhooks({ channelId: change.channelId });
      return { changed: await subscribeWebhooks(change) };
  }
}
