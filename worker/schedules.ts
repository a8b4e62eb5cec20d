/**
 * Gives each polling flow one Temporal Schedule per enabled channel, idempotently: a restart
 * neither duplicates nor loses a schedule, and a changed interval or task queue updates it.
 * Temporal then owns the timing (overlap policy, pause, trigger-now, backfill).
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { msToNumber } from '@temporalio/common/lib/time';
import type { ChannelDirectory } from '../channels/channel';
import { scheduleIdFor, type FlowDefinition, type FlowRegistry, type PollingTrigger } from '../workflows/framework/flow';
import { flowSearchAttributes, flowWorkflowId } from '../workflows/framework/run-options';

export type ScheduleChange = 'created' | 'updated' | 'unchanged';

export interface ScheduleResult {
  scheduleId: string;
  flow: string;
  channelId: string;
  change: ScheduleChange;
}

function desiredSchedule(flow: FlowDefinition<PollingTrigger>, channelId: string, taskQueue: string): { spec: ScheduleSpec; action: ScheduleOptionsAction } {
  return {
    spec: { intervals: [{ every: flow.trigger.every }] },
    action: {
      type: 'startWorkflow',
      workflowType: flow.name,
      // Temporal appends the scheduled time, giving `<flow>/<channel>/scheduled-<time>`.
      workflowId: flowWorkflowId(flow.name, channelId, 'scheduled'),
      taskQueue,
      args: [{ channelId }],
      typedSearchAttributes: flowSearchAttributes(flow, channelId, 'polling'),
      staticSummary: `${flow.name} for channel ${channelId}`,
    },
  };
}

export async function ensurePollingSchedules(client: Client, flows: FlowRegistry, channels: ChannelDirectory, taskQueue: string): Promise<ScheduleResult[]> {
  const results: ScheduleResult[] = [];
  for (const flow of flows.polling()) {
    for (const channel of await channels.listEnabled(flow.application.name)) {
      const scheduleId = scheduleIdFor(flow.name, channel.id);
      const change = await ensureSchedule(client, scheduleId, desiredSchedule(flow, channel.id, taskQueue));
      results.push({ scheduleId, flow: flow.name, channelId: channel.id, change });
    }
  }
  return results;
}

async function ensureSchedule(client: Client, scheduleId: string, desired: { spec: ScheduleSpec; action: ScheduleOptionsAction }): Promise<ScheduleChange> {
  try {
    await client.schedule.create({
      scheduleId,
      ...desired,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
      // The first sync runs right away instead of one interval after start-up.
      state: { triggerImmediately: true },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(scheduleId);
  const current = await handle.describe();
  const currentEvery = current.spec.intervals?.[0]?.every;
  const desiredEvery = msToNumber(desired.spec.intervals?.[0]?.every ?? 0);
  const sameQueue = current.action.type === 'startWorkflow' && current.action.taskQueue === desired.action.taskQueue;
  if (currentEvery === desiredEvery && current.spec.intervals?.length === 1 && sameQueue) return 'unchanged';
  await handle.update((previous) => ({ ...previous, spec: desired.spec, action: desired.action }));
  return 'updated';
}
