/** The webhook subscriptions a channel holds at its remote service: what to remove when it is disabled or deleted. */
import type { Kysely } from 'kysely';
import type { Database } from './schema';

export interface WebhookSubscription {
  channelId: string;
  /** The flow webhook path the subscription delivers to. */
  path: string;
  /** The remote service's id for the subscription. */
  remoteId: string;
  url: string;
  createdAt: string;
}

export class WebhookSubscriptionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async list(channelId: string): Promise<WebhookSubscription[]> {
    const rows = await this.db.selectFrom('webhook_subscriptions').selectAll().where('channel_id', '=', channelId).orderBy('path').execute();
    return rows.map((row) => ({ channelId: row.channel_id, path: row.path, remoteId: row.remote_id, url: row.url, createdAt: row.created_at }));
  }

  async save(subscription: Omit<WebhookSubscription, 'createdAt'>): Promise<void> {
    const values = { channel_id: subscription.channelId, path: subscription.path, remote_id: subscription.remoteId, url: subscription.url, created_at: new Date().toISOString() };
    await this.db
      .insertInto('webhook_subscriptions')
      .values(values)
      .onConflict((oc) => oc.columns(['channel_id', 'path']).doUpdateSet({ remote_id: values.remote_id, url: values.url, created_at: values.created_at }))
      .execute();
  }

  async delete(channelId: string, path: string): Promise<void> {
    await this.db.deleteFrom('webhook_subscriptions').where('channel_id', '=', channelId).where('path', '=', path).execute();
  }
}
