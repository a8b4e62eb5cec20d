/**
 * What a polling flow needs besides connectors: where the last run got to (the cursor, kept per
 * channel in the store and advanced only after records were processed) and which slice of time
 * this run covers. Workflow-safe.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { PollingFlowInput } from './inputs';
import { TriggerAttribute } from './search-attributes';

// Local activities: a store read or write on the worker itself needs no task queue round trip.
const { loadSyncCursor, saveSyncCursor } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

// Set by Temporal on every run a schedule starts, backfills included: the run's nominal time.
const ScheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/**
 * How this run reads the remote: incrementally from the stored cursor, from the beginning (first
 * run or full resync), or over a fixed time window (a backfill) that leaves the cursor alone.
 */
export type SyncPlan = { kind: 'incremental'; cursor: string | null } | { kind: 'window'; from: string; to: string };

/**
 * A scheduled run whose nominal time lies more than one interval before its start is a backfill
 * (or a catch-up after downtime): it syncs its own interval (T - every, T]. Every other run
 * continues from the cursor. Call once, in the first run of a continue-as-new chain.
 */
export async function planSync(input: PollingFlowInput): Promise<SyncPlan> {
  const info = workflowInfo();
  const scheduledAt = info.typedSearchAttributes.get(ScheduledStartTime);
  if (scheduledAt && input.intervalMs && info.runStartTime.getTime() - scheduledAt.getTime() > input.intervalMs) {
    upsertSearchAttributes([{ key: TriggerAttribute, value: 'backfill' }]);
    return { kind: 'window', from: new Date(scheduledAt.getTime() - input.intervalMs).toISOString(), to: scheduledAt.toISOString() };
  }
  if (input.fullResync) return { kind: 'incremental', cursor: null };
  return { kind: 'incremental', cursor: await loadSyncCursor({ channelId: input.channelId, flow: info.workflowType }) };
}

/** Records everything up to `cursor` as processed. Only incremental runs move the cursor. */
export async function advanceCursor(input: PollingFlowInput, plan: SyncPlan, cursor: string): Promise<void> {
  if (plan.kind !== 'incremental') return;
  await saveSyncCursor({ channelId: input.channelId, flow: workflowInfo().workflowType, cursor });
}
