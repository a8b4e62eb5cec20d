/** How a flow is shown by GET /flows: its trigger as data a tool can act on. The zod schema is the type and the Swagger schema. */
import { z } from 'zod';
import type { Application } from '../../applications/framework/application';
import { defaultChannelId } from '../../channels/env-channels';
import { scheduleIdFor, type FlowDefinition } from '../../workflows/framework/flow';
import { signatureOf, signatureView, type SignatureView as FrameworkSignatureView } from '../../workflows/framework/webhook-verification';
import { responseDto, type Fits } from '../common/openapi';
import { deliveryIdRule, type DeliveryIdRule as FrameworkDeliveryIdRule } from '../webhooks/delivery-id';

/** Members described, so that the JSON Schema stays an `anyOf` (a `type` array is not OpenAPI 3.0). */
const Duration = z.union([z.string().describe('e.g. "5 minutes"'), z.number().describe('milliseconds')]);

/** How deliveries are verified: the application's scheme and its signature header, or "unsigned". */
const SignatureView = z.union([z.object({ scheme: z.string().meta({ example: 'stripe' }), header: z.string().meta({ example: 'stripe-signature' }) }), z.literal('unsigned')]);

/** Where the delivery id that dedupes comes from. */
const DeliveryIdRule = z
  .discriminatedUnion('source', [
    z.object({ source: z.literal('signed-header'), header: z.string() }),
    z.object({ source: z.literal('signed-body-field'), field: z.string() }),
    z.object({ source: z.literal('signed-event-ids'), field: z.string() }),
    z.object({ source: z.literal('body-hash') }),
    z.object({ source: z.literal('header-and-body-hash'), header: z.string(), field: z.string().optional() }),
  ])
  .describe(
    "`signed-header` (the signed `header` is the id), `signed-body-field` (the signed body's `field`), `signed-event-ids` (the signed body is an array of events: one event's `field`, or the hash of a batch's sorted `field`s), `body-hash` (the signed body's hash; header ids are not signed, so they do not count), `header-and-body-hash` (unsigned: the `header` id, else the body's `field`, combined with the body's hash)",
  );

const PollingTriggerView = z
  .object({
    type: z.literal('polling'),
    every: Duration,
    scheduleId: z.string(),
    overlap: z.enum(['skip', 'bufferOne', 'allow']),
    catchupWindow: Duration,
    jitter: Duration.nullable(),
  })
  .meta({ title: 'polling' });

const WebhookTriggerView = z
  .object({
    type: z.literal('webhook'),
    path: z.string().meta({ example: 'demo-crm/orders' }),
    url: z.string().meta({ example: '/webhooks/demo-crm/orders' }),
    mode: z.enum(['start', 'signal']),
    bodySchema: z.record(z.string(), z.unknown()).describe('JSON Schema of the body'),
    example: z.unknown(),
    signature: SignatureView,
    deliveryId: DeliveryIdRule,
  })
  .meta({ title: 'webhook' });

export const TriggerView = z.discriminatedUnion('type', [PollingTriggerView, WebhookTriggerView]);
export type TriggerView = z.infer<typeof TriggerView>;

export const FlowView = z.object({
  name: z.string(),
  description: z.string(),
  application: z.string(),
  trigger: TriggerView,
});
export type FlowView = z.infer<typeof FlowView>;
export class FlowResponse extends responseDto(FlowView) {}

/** The framework's views fit the schemas. */
export type Checks = [Fits<FrameworkSignatureView, z.infer<typeof SignatureView>>, Fits<FrameworkDeliveryIdRule, z.infer<typeof DeliveryIdRule>>];

/** `application`: the one the flow names, from the one lookup of applications. */
export function flowView(flow: FlowDefinition, application: Application): FlowView {
  const trigger = flow.trigger;
  let view: TriggerView;
  if (trigger.type === 'polling') {
    view = {
      type: 'polling',
      every: trigger.every,
      scheduleId: scheduleIdFor(flow.name, defaultChannelId(flow.application)),
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
      bodySchema: z.toJSONSchema(trigger.body, { io: 'input' }) as Record<string, unknown>,
      example: trigger.example,
      signature: signatureView(webhookFlow, application),
      deliveryId: deliveryIdRule(trigger, signatureOf(webhookFlow, application)),
    };
  }
  return { name: flow.name, description: flow.description, application: flow.application, trigger: view };
}
