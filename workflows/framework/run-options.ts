/**
 * Workflow ids and search attributes every flow run gets, whichever trigger starts it, so runs
 * are findable in the Web UI by flow, channel, application and trigger.
 */
import { TypedSearchAttributes } from '@temporalio/common';
import { ApplicationAttribute, ChannelIdAttribute, FlowNameAttribute, TriggerAttribute } from './search-attributes';
import type { FlowDefinition } from './flow';

export type TriggerKind = 'polling' | 'webhook' | 'manual' | 'backfill';

/** `<flow>/<channel>/<entity or delivery id>`: readable in the Web UI, unique per delivery. */
export function flowWorkflowId(flowName: string, channelId: string, key: string): string {
  return `${flowName}/${channelId}/${key}`;
}

export function flowSearchAttributes(flow: Pick<FlowDefinition, 'name'> & { application: { name: string } }, channelId: string, trigger: TriggerKind): TypedSearchAttributes {
  return new TypedSearchAttributes([
    { key: FlowNameAttribute, value: flow.name },
    { key: ChannelIdAttribute, value: channelId },
    { key: ApplicationAttribute, value: flow.application.name },
    { key: TriggerAttribute, value: trigger },
  ]);
}
