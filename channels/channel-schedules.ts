/**
 * Each polling flow runs once per channel of its application, on a Temporal Schedule of its own
 * (`<flow>/<channel>`). This keeps those schedules in step with the channels, idempotently: a
 * restart neither duplicates nor loses one, a changed interval or task queue updates it, a
 * disabled channel's schedules are paused and a deleted channel's are deleted. Temporal then owns
 * the timing (overlap policy, pause, trigger-now, backfill), and says where each one stands.
 */
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleDescription, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { scheduleIdFor, type FlowDefinition, type FlowRegistry, type OverlapPolicy, type PollingTrigger } from '../workflows/framework/flow';
import { RunStarter } from '../workflows/framework/run-starter';
import type { Channel } from './channel';

export interface BackfillResult {
  flow: string;
  scheduleId: string;
}

export type ScheduleChange = 'created' | 'updated' | 'unchanged' | 'paused' | 'resumed';

/** Where one of a channel's schedules stands in Temporal now. */
export interface ScheduleState {
  flow: string;
  scheduleId: string;
  channelId: string;
  paused: boolean;
  /** Temporal's note: why it was paused (`channel disabled`), or resumed; null when it has none. */
  note: string | null;
  /** The next time it starts a run (ISO); null while paused. */
  nextRunAt: string | null;
  /** When it last started a run (ISO, as Temporal took the action); null before its first. */
  lastRunAt: string | null;
}

/** How many schedules are described at once when many channels are read. */
const DESCRIBE_CONCURRENCY = 8;

export interface ScheduleResult {
  scheduleId: string;
  flow: string;
  channelId: string;
  change: ScheduleChange;
}

interface DesiredSchedule {
  spec: ScheduleSpec;
  action: ScheduleOptionsAction;
  policies: { overlap: ScheduleOverlapPolicy; catchupWindow: Duration };
}

const OVERLAP: Record<OverlapPolicy, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  bufferOne: ScheduleOverlapPolicy.BUFFER_ONE,
  allow: ScheduleOverlapPolicy.ALLOW_ALL,
};

const PAUSE_NOTE = 'channel disabled';

export class ChannelSchedules {
  private readonly runs: RunStarter;

  constructor(
    private readonly client: Client,
    private readonly flows: FlowRegistry,
    taskQueue: string,
  ) {
    // What each tick starts comes from the one run starter, like every other start.
    this.runs = new RunStarter(client, taskQueue);
  }

  /** Polling flows that run for channels of this application. */
  flowsFor(application: string): FlowDefinition<PollingTrigger>[] {
    return this.flows.polling().filter((flow) => flow.application === application);
  }

  /** Brings every schedule of this channel in line with it; the one call after create or update. */
  async sync(channel: Channel): Promise<ScheduleResult[]> {
    const results: ScheduleResult[] = [];
    for (const flow of this.flowsFor(channel.application)) {
      const scheduleId = scheduleIdFor(flow.name, channel.id);
      const change = await this.ensure(scheduleId, this.desired(flow, channel.id), channel.enabled);
      results.push({ scheduleId, flow: flow.name, channelId: channel.id, change });
    }
    return results;
  }

  async syncAll(channels: readonly Channel[]): Promise<ScheduleResult[]> {
    const results: ScheduleResult[] = [];
    for (const channel of channels) results.push(...(await this.sync(channel)));
    return results;
  }

  async remove(channel: Pick<Channel, 'id' | 'application'>): Promise<void> {
    for (const flow of this.flowsFor(channel.application)) {
      try {
        await this.client.schedule.getHandle(scheduleIdFor(flow.name, channel.id)).delete();
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
    }
  }

  /**
   * Temporal's own backfill: each polling schedule of the channel runs the ticks that fall in
   * the range, one after another (BUFFER_ALL), each syncing its own interval.
   */
  async backfill(channel: Pick<Channel, 'id' | 'application'>, from: Date, to: Date): Promise<BackfillResult[]> {
    const results: BackfillResult[] = [];
    for (const flow of this.flowsFor(channel.application)) {
      const scheduleId = scheduleIdFor(flow.name, channel.id);
      await this.client.schedule.getHandle(scheduleId).backfill({ start: from, end: to, overlap: ScheduleOverlapPolicy.BUFFER_ALL });
      results.push({ flow: flow.name, scheduleId });
    }
    return results;
  }

  /**
   * Each of the channel's schedules as Temporal describes it now (not from visibility, which
   * lags). A schedule Temporal does not have (the worker has not created it yet) is left out.
   */
  async describe(channel: Pick<Channel, 'id' | 'application'>): Promise<ScheduleState[]> {
    return this.describeAll([channel]);
  }

  /** `describe` for many channels, in their order, at most DESCRIBE_CONCURRENCY schedules at a time. */
  async describeAll(channels: readonly Pick<Channel, 'id' | 'application'>[]): Promise<ScheduleState[]> {
    const wanted = channels.flatMap((channel) => this.flowsFor(channel.application).map((flow) => ({ flow: flow.name, channelId: channel.id, scheduleId: scheduleIdFor(flow.name, channel.id) })));
    const states = await mapBounded(wanted, DESCRIBE_CONCURRENCY, async ({ flow, channelId, scheduleId }): Promise<ScheduleState | undefined> => {
      let described: ScheduleDescription;
      try {
        described = await this.client.schedule.getHandle(scheduleId).describe();
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) return undefined;
        throw err;
      }
      const { paused, note } = described.state;
      const next = described.info.nextActionTimes[0];
      const last = described.info.recentActions.at(-1);
      return {
        flow,
        scheduleId,
        channelId,
        paused,
        note: note ? note : null,
        nextRunAt: !paused && next ? next.toISOString() : null,
        lastRunAt: last ? last.takenAt.toISOString() : null,
      };
    });
    return states.filter((state): state is ScheduleState => state !== undefined);
  }

  private desired(flow: FlowDefinition<PollingTrigger>, channelId: string): DesiredSchedule {
    const { every, jitter, overlap, catchupWindow } = flow.trigger;
    return {
      spec: { intervals: [{ every }], ...(jitter !== undefined ? { jitter } : {}) },
      policies: { overlap: OVERLAP[overlap], catchupWindow },
      action: this.runs.scheduleAction(flow, channelId),
    };
  }

  private async ensure(scheduleId: string, desired: DesiredSchedule, enabled: boolean): Promise<ScheduleChange> {
    try {
      await this.client.schedule.create({
        scheduleId,
        ...desired,
        // An enabled channel syncs right away instead of one interval later.
        state: enabled ? { triggerImmediately: true } : { paused: true, note: PAUSE_NOTE },
      });
      return enabled ? 'created' : 'paused';
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
    const handle = this.client.schedule.getHandle(scheduleId);
    const current = await handle.describe();
    const sameSpec =
      current.spec.intervals?.length === 1 &&
      current.spec.intervals[0]!.every === msToNumber(desired.spec.intervals![0]!.every) &&
      (current.spec.jitter ?? 0) === (desired.spec.jitter === undefined ? 0 : msToNumber(desired.spec.jitter));
    const samePolicies = current.policies.overlap === desired.policies.overlap && current.policies.catchupWindow === msToNumber(desired.policies.catchupWindow);
    const sameAction = current.action.type === 'startWorkflow' && current.action.taskQueue === desired.action.taskQueue && JSON.stringify(current.action.args) === JSON.stringify(desired.action.args);
    let change: ScheduleChange = 'unchanged';
    if (!sameSpec || !samePolicies || !sameAction) {
      await handle.update((previous) => ({ ...previous, spec: desired.spec, action: desired.action, policies: { ...previous.policies, ...desired.policies } }));
      change = 'updated';
    }
    if (enabled && current.state.paused) {
      await handle.unpause('channel enabled');
      change = 'resumed';
    } else if (!enabled && !current.state.paused) {
      await handle.pause(PAUSE_NOTE);
      change = 'paused';
    }
    return change;
  }
}

/** `fn` over `items`, at most `limit` at a time; the results in the items' order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
