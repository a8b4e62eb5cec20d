/**
 * Workflow ids and search attributes every run gets, whichever trigger starts it, so runs are
 * findable in the Web UI by flow, channel, application and trigger. Only run-starter.ts builds
 * start options from these; everything that starts, signals or schedules a run goes through it.
 */
import { TypedSearchAttributes } from '@temporalio/common';
import { ApplicationAttribute, ChannelIdAttribute, FlowNameAttribute, TriggerAttribute } from './search-attributes';

export type TriggerKind = 'polling' | 'webhook' | 'manual' | 'backfill';

/** What a run needs of the workflow it runs: a flow, or a system workflow (both are named and described). */
export interface RunnableWorkflow {
  /** The workflow type. */
  name: string;
  description: string;
}

/** One of the engine's own workflows (subscriptions, action runs): typed by the workflow function it names. */
export interface SystemWorkflow<F extends (...args: never[]) => Promise<unknown>> extends RunnableWorkflow {
  /** Phantom: carries the workflow's signature to the typed start. */
  readonly workflow?: F;
  /** Temporal ends a run that has not finished by then (workflowExecutionTimeout). */
  executionTimeoutMs?: number;
  /** How long a caller waits for the result before reporting the run as still running. */
  waitMs?: number;
}

/** Registers a system workflow as `flow()` registers a flow: its name is the function's; the options keep their types. */
export function systemWorkflow<F extends (...args: never[]) => Promise<unknown>, O extends Omit<SystemWorkflow<F>, 'name' | 'workflow'>>(workflow: F, options: O): SystemWorkflow<F> & O {
  if (!workflow.name) throw new Error('a system workflow must be a named workflow function');
  return { name: workflow.name, ...options };
}

/** `<flow>/<channel>/<entity or delivery id>`: readable in the Web UI, unique per delivery. */
export function flowWorkflowId(flowName: string, channelId: string, key: string): string {
  return `${flowName}/${channelId}/${key}`;
}

export function flowSearchAttributes(flow: { name: string }, application: string, channelId: string, trigger: TriggerKind): TypedSearchAttributes {
  return new TypedSearchAttributes([
    { key: FlowNameAttribute, value: flow.name },
    { key: ChannelIdAttribute, value: channelId },
    { key: ApplicationAttribute, value: application },
    { key: TriggerAttribute, value: trigger },
  ]);
}
