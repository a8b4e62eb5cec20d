/** How a flow is shown by GET /flows: its trigger as data a tool can act on. */
import { z } from 'zod';
import { defaultChannelId } from '../../channels/env-channels';
import { scheduleIdFor, type FlowDefinition } from '../../workflows/framework/flow';
import { signatureOf, signatureView, type SignatureView } from '../../workflows/framework/webhook-verification';
import { deliveryIdRule, type DeliveryIdRule } from '../webhooks/delivery-id';

export type TriggerView =
  | { type: 'polling'; every: string | number; scheduleId: string; overlap: string; catchupWindow: string | number; jitter: string | number | null }
  | {
      type: 'webhook';
      path: string;
      url: string;
      mode: 'start' | 'signal';
      bodySchema: unknown;
      example: unknown;
      /** How deliveries are verified: the application's scheme and its signature header, or "unsigned". */
      signature: SignatureView;
      /** Where the delivery id that dedupes comes from. */
      deliveryId: DeliveryIdRule;
    };

export interface FlowView {
  name: string;
  description: string;
  application: string;
  trigger: TriggerView;
}

export function flowView(flow: FlowDefinition): FlowView {
  const trigger = flow.trigger;
  let view: TriggerView;
  if (trigger.type === 'polling') {
    view = {
      type: 'polling',
      every: trigger.every,
      scheduleId: scheduleIdFor(flow.name, defaultChannelId(flow.application.name)),
      overlap: trigger.overlap,
      catchupWindow: trigger.catchupWindow,
      jitter: trigger.jitter ?? null,
    };
  } else {
    const webhookFlow = { ...flow, trigger };
    view = {
      type: 'webhook',
      path: trigger.path,
      url: `/webhooks/${trigger.path}`,
      mode: trigger.mode,
      bodySchema: z.toJSONSchema(trigger.body, { io: 'input' }),
      example: trigger.example,
      signature: signatureView(webhookFlow),
      deliveryId: deliveryIdRule(trigger, signatureOf(webhookFlow)),
    };
  }
  return { name: flow.name, description: flow.description, application: flow.application.name, trigger: view };
}
