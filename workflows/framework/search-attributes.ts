/**
 * Search attributes set on every flow run, so runs can be filtered in the Web UI
 * (e.g. `FlowName = "orderPlaced" AND ChannelId = "demo-crm-default"`).
 * Workflow-safe: only type definitions from @temporalio/common.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const FlowNameAttribute = defineSearchAttributeKey('FlowName', SearchAttributeType.KEYWORD);
export const ChannelIdAttribute = defineSearchAttributeKey('ChannelId', SearchAttributeType.KEYWORD);
export const ApplicationAttribute = defineSearchAttributeKey('Application', SearchAttributeType.KEYWORD);
export const TriggerAttribute = defineSearchAttributeKey('Trigger', SearchAttributeType.KEYWORD);

export const flowSearchAttributes = [FlowNameAttribute, ChannelIdAttribute, ApplicationAttribute, TriggerAttribute] as const;
