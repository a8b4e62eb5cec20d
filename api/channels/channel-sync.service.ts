/**
 * Running a channel's polling flows outside their schedule: now (incrementally, or as a full
 * resync), or over a past time range through Temporal's schedule backfill. Plus where each flow's
 * sync stands (its cursor).
 */
import { randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { msToNumber } from '@temporalio/common/lib/time';
import type { BackfillResult, ChannelSchedules } from '../../channels/channel-schedules';
import type { TemporalSettings } from '../../runtime/temporal-config';
import type { ChannelStore, StoredChannel } from '../../store/channel-store';
import type { SyncCursor, SyncCursorStore } from '../../store/sync-cursor-store';
import { runDetails } from '../../workflows/framework/run-details';
import { flowSearchAttributes, flowWorkflowId } from '../../workflows/framework/run-options';
import { callTemporal } from '../common/temporal-errors';
import { badRequest, parseOrThrow } from '../common/validation';
import { CHANNEL_SCHEDULES, CHANNEL_STORE, SYNC_CURSORS, TEMPORAL_CLIENT, TEMPORAL_SETTINGS } from '../tokens';
import { BackfillRequest, MAX_BACKFILL_RUNS, SyncRequest } from './channel-requests';

const TEMPORAL_TIMEOUT_MS = 10_000;

export interface SyncStarted {
  channelId: string;
  full: boolean;
  workflows: Array<{ flow: string; workflowId: string; runId: string }>;
}

export interface BackfillStarted {
  channelId: string;
  from: string;
  to: string;
  schedules: BackfillResult[];
}

@Injectable()
export class ChannelSyncService {
  constructor(
    @Inject(CHANNEL_STORE) private readonly store: ChannelStore,
    @Inject(CHANNEL_SCHEDULES) private readonly schedules: ChannelSchedules,
    @Inject(SYNC_CURSORS) private readonly cursors: SyncCursorStore,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(TEMPORAL_SETTINGS) private readonly settings: TemporalSettings,
  ) {}

  /** Starts every polling flow of the channel now, outside its schedule. */
  async syncNow(id: string, body: unknown): Promise<SyncStarted> {
    const { full } = parseOrThrow(SyncRequest, body ?? {});
    const channel = await this.syncable(id);
    const workflows = await callTemporal(this.client.connection, TEMPORAL_TIMEOUT_MS, () =>
      Promise.all(
        this.schedules.flowsFor(channel.application).map(async (flow) => {
          const workflowId = flowWorkflowId(flow.name, id, `${full ? 'resync' : 'manual'}-${randomUUID()}`);
          const handle = await this.client.workflow.start(flow.name, {
            taskQueue: this.settings.taskQueue,
            workflowId,
            args: [{ channelId: id, intervalMs: msToNumber(flow.trigger.every), ...(full ? { fullResync: true } : {}) }],
            typedSearchAttributes: flowSearchAttributes(flow, id, 'manual'),
            staticSummary: `${flow.name} for channel ${id} (${full ? 'full resync' : 'sync now'})`,
            staticDetails: runDetails(flow, id, 'manual', full ? 'POST /channels/:id/sync, full resync from the beginning' : 'POST /channels/:id/sync, from the stored cursor'),
          });
          return { flow: flow.name, workflowId, runId: handle.firstExecutionRunId };
        }),
      ),
    );
    return { channelId: id, full, workflows };
  }

  async backfill(id: string, body: unknown): Promise<BackfillStarted> {
    const { from, to } = parseOrThrow(BackfillRequest, body);
    const channel = await this.syncable(id);
    for (const flow of this.schedules.flowsFor(channel.application)) {
      if ((to.getTime() - from.getTime()) / msToNumber(flow.trigger.every) > MAX_BACKFILL_RUNS) {
        throw badRequest([{ field: 'from', message: `the range holds more than ${MAX_BACKFILL_RUNS} runs of ${flow.name} (every ${String(flow.trigger.every)}); split it` }]);
      }
    }
    const schedules = await callTemporal(this.client.connection, TEMPORAL_TIMEOUT_MS, () => this.schedules.backfill(channel, from, to));
    return { channelId: id, from: from.toISOString(), to: to.toISOString(), schedules };
  }

  async cursorsOf(id: string): Promise<SyncCursor[]> {
    await this.find(id);
    return this.cursors.list(id);
  }

  private async syncable(id: string): Promise<StoredChannel> {
    const channel = await this.find(id);
    if (!channel.enabled) throw new ConflictException(`channel ${id} is disabled; enable it first`);
    if (this.schedules.flowsFor(channel.application).length === 0) throw new ConflictException(`application ${channel.application} has no polling flows`);
    return channel;
  }

  private async find(id: string): Promise<StoredChannel> {
    const channel = await this.store.get(id);
    if (!channel) throw new NotFoundException(`no channel "${id}"`);
    return channel;
  }
}
