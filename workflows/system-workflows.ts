/**
 * The engine's own workflows, registered like flows (a name from the workflow function and a
 * description), so their runs get ids, search attributes, summaries and details the same way as
 * a flow's (see framework/run-starter.ts). They serve whichever application the channel is of, so
 * the application comes with each run, not with the definition. Not part of the workflow bundle.
 */
import { runAction } from './run-action';
import { webhookSubscriptions } from './webhook-subscriptions';
import { systemWorkflow } from './framework/run-options';

export const systemWorkflows = {
  webhookSubscriptions: systemWorkflow(webhookSubscriptions, {
    description: "Registers or removes the channel's webhook subscriptions at its remote service",
    // The API waits this long and then undoes the change in the store: a run left waiting for a
    // worker must not apply it at the remote later, nor hold the channel's change id for good.
    executionTimeoutMs: 20_000,
  }),
  runAction: systemWorkflow(runAction, {
    description: 'Runs one connector for one channel and returns its output (POST /applications/:app/actions/:action/run)',
    // How long the API waits for the output before answering 202 with the run to follow.
    waitMs: 60_000,
  }),
} as const;
