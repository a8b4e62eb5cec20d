/** The shapes the webhook fuzz (test/reliability/webhook-fuzz.test.ts) passes between its parts. */
import type { FlowDefinition, WebhookTrigger } from '../../../workflows/framework/flow';

export type Family = 'broken-json' | 'wrong-types' | 'huge-body' | 'encoding' | 'bad-signature' | 'unknown-path' | 'unknown-channel' | 'method';

export type Headers = Record<string, string | string[]>;

export interface Draft {
  /** What this request breaks, for the failure message. */
  what: string;
  method: string;
  /** Raw request target, sent as is (no URL normalisation on our side). */
  path: string;
  headers: Headers;
  body: Buffer;
  /** Sent with Transfer-Encoding: chunked instead of a Content-Length. */
  chunked?: boolean;
}

export interface FuzzRequest extends Draft {
  index: number;
  family: Family;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A flow path as the API serves it, with the channel it reaches. */
export interface Target {
  /** Path under /webhooks/, e.g. `demo-crm/orders` or `demo-crm/orders/demo-crm-default`. */
  path: string;
  flows: FlowDefinition<WebhookTrigger>[];
  signed: boolean;
}

export interface Context {
  targets: Target[];
  mailerTarget: Target;
  /** The bare flow paths (`demo-crm/orders`, `demo-mailer/contact-events`, …). */
  flowPaths: Target[];
  mailerChannelId: string;
  disabledChannelId: string;
  channels: Map<string, { application: string; enabled: boolean }>;
}
