/** What the schedule routes answer: a polling flow's schedule of a channel as Temporal describes it now. The zod schemas are the types and the Swagger schemas. */
import { z } from 'zod';
import type { ScheduleState } from '../../channels/channel-schedules';
import { responseDto, type Fits } from '../common/openapi';

export const ChannelScheduleView = z.object({
  flow: z.string().meta({ example: 'syncContactsToMailingList' }),
  scheduleId: z.string().meta({ example: 'syncContactsToMailingList/ch_k3Jx9qLm2Pz' }),
  paused: z.boolean(),
  note: z.string().nullable().describe('Temporal\'s note on the schedule: why it was paused ("channel disabled") or resumed'),
  nextRunAt: z.iso.datetime().nullable().describe('When it next starts a run; null while paused'),
  lastRunAt: z.iso.datetime().nullable().describe('When it last started a run; null before its first'),
});
export type ChannelScheduleView = z.infer<typeof ChannelScheduleView>;
export class ChannelScheduleResponse extends responseDto(ChannelScheduleView) {}

/** `GET /schedules`: the same, for every channel, naming it. */
export const ScheduleView = ChannelScheduleView.extend({ channelId: z.string().meta({ example: 'ch_k3Jx9qLm2Pz' }) });
export type ScheduleView = z.infer<typeof ScheduleView>;
export class ScheduleResponse extends responseDto(ScheduleView) {}

export function channelScheduleView({ channelId: _channel, ...state }: ScheduleState): ChannelScheduleView {
  return state;
}

/** What the engine hands over fits the schema: a change there fails the build, not the docs. */
export type Checks = [Fits<ScheduleState, ScheduleView>];
