/**
 * `npm run dryrun -- flow <name> --channel <id> [--input '{…}']`: one run of a flow, now, through
 * the running system's Temporal and worker, started as its trigger starts it (the RunStarter every
 * start goes through): a polling flow as "sync now" (`{"fullResync": true}` reads from the
 * beginning), a webhook flow with `--input` as the delivery's body (default: the trigger's
 * example), checked by the trigger's schema first. It waits for the result and prints it with the
 * run's page in the Temporal Web UI.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { webUiRunUrl } from '../../api/runs/run-view';
import type { ChannelDirectory } from '../../channels/channel';
import { describeIssues } from '../../connectors/framework/evaluate';
import type { FlowDefinition, FlowRegistry, PollingTrigger, WebhookTrigger } from '../../workflows/framework/flow';
import { RunStarter, type StartedRun } from '../../workflows/framework/run-starter';
import { camelCase } from '../scaffold/names';
import { UsageError } from '../usage-error';

export interface FlowDryrunDeps {
  client: Client;
  namespace: string;
  taskQueue: string;
  webUiUrl: string | undefined;
  flows: FlowRegistry;
  /** To check the channel before starting; without it, the worker finds out. */
  channels: ChannelDirectory | undefined;
  /** How long to wait for the result. */
  timeoutMs: number;
}

export type FlowDryrun = {
  flow: string;
  trigger: string;
  channelId: string;
  workflowId: string;
  runId: string;
  webUiUrl: string | null;
} & ({ status: 'completed'; result: unknown; durationMs: number } | { status: 'failed'; failure: string } | { status: 'running' });

const PollingInput = z.strictObject({ fullResync: z.boolean().optional() });

function flowNamed(flows: FlowRegistry, name: string | undefined): FlowDefinition {
  const flow = name ? (flows.byName(name) ?? flows.byName(camelCase(name))) : undefined;
  if (!flow) throw new UsageError(`${name ? `no flow "${name}"` : 'which flow?'}; the flows are ${flows.all.map((f) => f.name).join(', ')}`);
  return flow;
}

/** Workers polling the flows' queue; a worker that has just started may take a few seconds to be listed. */
async function pollers(deps: FlowDryrunDeps, waitMs = 5_000): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const answer = await deps.client.connection.workflowService.describeTaskQueue({
      namespace: deps.namespace,
      taskQueue: { name: deps.taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const count = answer.pollers?.length ?? 0;
    if (count > 0 || Date.now() >= deadline) return count;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function start(runs: RunStarter, flow: FlowDefinition, channelId: string, input: unknown): Promise<StartedRun> {
  const trigger = flow.trigger;
  if (trigger.type === 'polling') {
    const parsed = PollingInput.safeParse(input ?? {});
    if (!parsed.success) throw new UsageError(`--input for a polling flow: {} or {"fullResync": true} (${describeIssues(parsed.error)})`);
    return runs.startSync(flow as FlowDefinition<PollingTrigger>, channelId, parsed.data.fullResync === true, `dryrun-${randomUUID()}`);
  }
  const parsed = trigger.body.safeParse(input === undefined ? trigger.example : input);
  if (!parsed.success) throw new UsageError(`--input is not a body POST /webhooks/${trigger.path} takes: ${describeIssues(parsed.error)}`);
  const deliveryId = `dryrun-${randomUUID()}`;
  if (trigger.mode === 'signal') return runs.signalEntity(flow as FlowDefinition<Extract<WebhookTrigger, { mode: 'signal' }>>, channelId, trigger.entityId(parsed.data), deliveryId, parsed.data);
  return runs.startWebhook(flow as FlowDefinition<WebhookTrigger>, channelId, deliveryId, parsed.data);
}

/** The messages of a failure and its causes: the activity's error is what says why. */
function failureOf(err: unknown): string {
  const messages: string[] = [];
  for (let cause: unknown = err; cause instanceof Error && messages.length < 6; cause = cause.cause) if (cause.message) messages.push(cause.message);
  return messages.join(': ');
}

export async function dryrunFlow(deps: FlowDryrunDeps, name: string | undefined, channelId: string | undefined, input: unknown): Promise<FlowDryrun> {
  const flow = flowNamed(deps.flows, name);
  const id = channelId ?? `${flow.application}-default`;
  if (deps.channels) {
    const channel = await deps.channels.get(id);
    if (!channel) throw new UsageError(`no channel "${id}" in the store the worker reads: create it with POST /channels, or give the default channel through CHANNEL_<APP>_SETTINGS and restart`);
    if (channel.application !== flow.application) throw new UsageError(`channel "${id}" belongs to ${channel.application}; ${flow.name} serves ${flow.application}`);
  }
  if ((await pollers(deps)) === 0) throw new UsageError(`no worker polls the task queue "${deps.taskQueue}": is the system running (npm start, or npm run dev)?`);

  const runs = new RunStarter(deps.client, deps.taskQueue);
  const started = await start(runs, flow, id, input);
  const trigger = flow.trigger.type === 'polling' ? 'polling (sync now)' : `webhook ${flow.trigger.path}`;
  const base = {
    flow: flow.name,
    trigger,
    channelId: id,
    workflowId: started.workflowId,
    runId: started.runId,
    webUiUrl: webUiRunUrl({ webUiUrl: deps.webUiUrl, namespace: deps.namespace }, started.workflowId, started.runId),
  };
  const began = Date.now();
  const handle = deps.client.workflow.getHandle(started.workflowId, started.runId);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), deps.timeoutMs)));
  try {
    const outcome = await Promise.race([handle.result().then((result: unknown) => ({ result })), timeout]);
    if (outcome === 'timeout') return { ...base, status: 'running' };
    return { ...base, status: 'completed', result: outcome.result, durationMs: Date.now() - began };
  } catch (err) {
    if (err instanceof WorkflowFailedError) return { ...base, status: 'failed', failure: failureOf(err.cause ?? err) };
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export function describeFlowDryrun(run: FlowDryrun, timeoutMs: number): string[] {
  const lines = [
    `${run.flow} (${run.trigger}) for channel ${run.channelId}`,
    `run ${run.workflowId} (run id ${run.runId})`,
    `Web UI: ${run.webUiUrl ?? '(no Web UI known: set TEMPORAL_WEB_UI_URL)'}`,
    '',
  ];
  if (run.status === 'completed') lines.push(`✓ completed in ${(run.durationMs / 1000).toFixed(1)} s, result:`, JSON.stringify(run.result ?? null, null, 2));
  else if (run.status === 'failed') lines.push(`✗ failed: ${run.failure}`);
  else lines.push(`… still running after ${timeoutMs / 1000} s: follow it in the Web UI. A flow added since the system started runs once the worker has it (npm run dev restarts it on a change).`);
  return lines;
}
