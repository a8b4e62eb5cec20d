/** What a webhook delivery answers (202): a zod schema that is the type and the Swagger schema. */
import { z } from 'zod';
import { responseDto } from '../common/openapi';
import { FlowRunStarted } from '../runs/run-view';

/** `duplicate`: this delivery id was seen before, so no second run was started. */
export const WebhookRun = FlowRunStarted;
export type WebhookRun = z.infer<typeof WebhookRun>;

/** The first flow's run at the top (the contract since the first version), every flow's in `runs` (fan-out). */
export const WebhookAccepted = WebhookRun.omit({ flow: true }).extend({
  channelId: z.string(),
  deliveryId: z.string(),
  runs: z.array(WebhookRun),
});
export type WebhookAccepted = z.infer<typeof WebhookAccepted>;
export class WebhookAcceptedResponse extends responseDto(WebhookAccepted) {}
