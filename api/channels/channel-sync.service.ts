/**
 * Running a channel's polling flows outside their schedule: now (incrementally, or as a full
 * resync), or over a past time range through Temporal's schedule backfill. Plus where each flow's
 * sync stands (its cursor), and where its schedule stands (paused, next and last run).
 */
import { randomUUID } from 'node:crypto';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { msToNumber } from '@temporalio/common/lib/time';
import { ChannelSchedules } from '../../channels/channel-schedules';
import { ChannelStore, type StoredChannel } from '../../store/channel-store';
import { SyncCursorStore, type SyncCursor } from '../../store/sync-cursor-store';
import { RunStarter } from '../../workflows/framework/run-starter';
import { callTemporal } from '../common/temporal-errors';
import { badRequest } from '../common/validation';
import { MAX_BACKFILL_RUNS, type BackfillRequest, type SyncRequest } from './channel-requests';
import type { BackfillStarted, SyncStarted } from './channel-sync-view';
import { channelScheduleView, type ChannelScheduleView, type ScheduleView } from './channel-schedule-view';

export type { BackfillStarted, SyncStarted } from './channel-sync-view';

const TEMPORAL_TIMEOUT_MS = 10_000;
/** Every channel's schedules are described one by one (a few at a time): more time for many. */
const ALL_SCHEDULES_TIMEOUT_MS = 30_000;

@Injectable()
export class ChannelSyncService {
  constructor(
    private readonly store: ChannelStore,
    private readonly schedules: ChannelSchedules,
    private readonly cursors: SyncCursorStore,
    private readonly client: Client,
    private readonly runs: RunStarter,
  ) {}

  /** Starts every polling flow of the channel now, outside its schedule. */
  async syncNow(id: string, { full }: SyncRequest): Promise<SyncStarted> {
    const channel = await this.syncable(id);
    const workflows = await callTemporal(this.client.connection, TEMPORAL_TIMEOUT_MS, () =>
      Promise.all(this.schedules.flowsFor(channel.application).map((flow) => this.runs.startSync(flow, id, full, randomUUID()))),
    );
    return { channelId: id, full, workflows };
  }

  async backfill(id: string, { from, to }: BackfillRequest): Promise<BackfillStarted> {
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

  /** The channel's polling schedules as Temporal describes them now; one Temporal has not got is left out. */
  async schedulesOf(id: string): Promise<ChannelScheduleView[]> {
    const channel = await this.find(id);
    const states = await callTemporal(this.client.connection, TEMPORAL_TIMEOUT_MS, () => this.schedules.describe(channel));
    return states.map(channelScheduleView);
  }

  /** Every channel's polling schedules, channel by channel from the store (not from visibility, which lags). */
  async allSchedules(): Promise<ScheduleView[]> {
    const channels = await this.store.list();
    return callTemporal(this.client.connection, ALL_SCHEDULES_TIMEOUT_MS, () => this.schedules.describeAll(channels));
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
