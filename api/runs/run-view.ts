/**
 * How a run is shown, by /runs and /channels/:id/runs alike: what Temporal's visibility knows of
 * it, its search attributes, and why it failed. The zod schema is the type and the Swagger schema.
 */
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { z } from 'zod';
import type { TemporalSettings } from '../../runtime/temporal-config';
import { responseDto } from '../common/openapi';

const RunFailure = z.object({ message: z.string(), type: z.string().nullable() });

export const RunView = z.object({
  workflowId: z.string(),
  runId: z.string(),
  flow: z.string(),
  channelId: z.string().nullable(),
  application: z.string().nullable(),
  trigger: z.enum(['polling', 'webhook', 'manual', 'backfill']).nullable(),
  status: z.string().meta({ example: 'FAILED' }),
  startTime: z.iso.datetime(),
  closeTime: z.iso.datetime().nullable(),
  /** Why a failed (or timed-out) run ended, from its close event. */
  failure: RunFailure.nullable(),
  webUiUrl: z.string().nullable(),
});
export type RunView = z.infer<typeof RunView>;
export class RunResponse extends responseDto(RunView) {}
export type RunFailure = z.infer<typeof RunFailure>;

export const RunStarted = z.object({ workflowId: z.string(), runId: z.string() });
export type RunStarted = z.infer<typeof RunStarted>;
export class RunStartedResponse extends responseDto(RunStarted) {}

/**
 * A polling run's `syncProgress` query answer (workflows/framework/polling-sync.ts): pages done,
 * the feed's cursor, and the flow's own counts (`copied`, `removed`, …), added up across the chain.
 */
export const SyncProgressView = z
  .object({
    pages: z.number().int().min(0),
    cursor: z.string().nullable().describe("The source's position after the last handled page; null: nothing read yet from the beginning"),
  })
  .catchall(z.number())
  .meta({ example: { pages: 3, copied: 1500, removed: 2, cursor: '1502' } });
export type SyncProgressView = z.infer<typeof SyncProgressView>;

export const RunProgress = z.object({
  workflowId: z.string(),
  runId: z.string(),
  status: z.string().meta({ example: 'RUNNING' }),
  /** Null for a run that answers no `syncProgress` query (a webhook flow's, an action's). */
  progress: SyncProgressView.nullable().describe("The run's syncProgress query; null for a run without one (webhook flows, actions)"),
});
export type RunProgress = z.infer<typeof RunProgress>;
export class RunProgressResponse extends responseDto(RunProgress) {}

/** A run a request started for one flow (a sync, a webhook delivery). */
export const FlowRunStarted = z.object({
  flow: z.string(),
  workflowId: z.string(),
  runId: z.string(),
  /** True when the id was taken by an earlier delivery: no second run was started. */
  duplicate: z.boolean().optional().describe('True when the id was taken by an earlier delivery: no second run was started'),
});
export type FlowRunStarted = z.infer<typeof FlowRunStarted>;

/** The run's page in the Temporal Web UI (its history), or null without a Web UI to link to. */
export function webUiRunUrl(settings: Pick<TemporalSettings, 'webUiUrl' | 'namespace'>, workflowId: string, runId: string): string | null {
  const base = settings.webUiUrl?.replace(/\/+$/, '');
  return base ? `${base}/namespaces/${encodeURIComponent(settings.namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history` : null;
}

export function runView(execution: WorkflowExecutionInfo, failure: RunFailure | null, settings: Pick<TemporalSettings, 'webUiUrl' | 'namespace'>): RunView {
  const attribute = (name: string): string | null => {
    const value = execution.searchAttributes?.[name];
    return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : null;
  };
  const trigger = RunView.shape.trigger.safeParse(attribute('Trigger'));
  return {
    workflowId: execution.workflowId,
    runId: execution.runId,
    flow: attribute('FlowName') ?? execution.type,
    channelId: attribute('ChannelId'),
    application: attribute('Application'),
    trigger: trigger.success ? trigger.data : null,
    status: execution.status.name,
    startTime: execution.startTime.toISOString(),
    closeTime: execution.closeTime?.toISOString() ?? null,
    failure,
    webUiUrl: webUiRunUrl(settings, execution.workflowId, execution.runId),
  };
}
