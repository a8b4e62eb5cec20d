/** What each kind of trigger passes to a flow. Only references and data, never credentials. */
export interface PollingFlowInput {
  channelId: string;
  /** The schedule's interval: a backfilled run covers the interval before its nominal time. */
  intervalMs?: number;
  /** Ignore the stored cursor and read everything again (a user's "full resync"). */
  fullResync?: boolean;
}

export interface WebhookFlowInput<Body> {
  channelId: string;
  /** The provider's delivery id, or one we generated; part of the workflow id. */
  deliveryId: string;
  body: Body;
}

/** A long-lived flow per remote entity (an order, a ticket), fed by signals. */
export interface EntityFlowInput {
  channelId: string;
  entityId: string;
}
