/** What the sync, backfill and cursors routes answer: zod schemas that are the types and the Swagger schemas. */
import { z } from 'zod';
import type { BackfillResult } from '../../channels/channel-schedules';
import type { SyncCursor } from '../../store/sync-cursor-store';
import type { StartedRun } from '../../workflows/framework/run-starter';
import { responseDto, type Fits } from '../common/openapi';
import { FlowRunStarted } from '../runs/run-view';

export const SyncStarted = z.object({
  channelId: z.string(),
  full: z.boolean(),
  workflows: z.array(FlowRunStarted),
});
export type SyncStarted = z.infer<typeof SyncStarted>;
export class SyncStartedResponse extends responseDto(SyncStarted) {}

export const BackfillStarted = z.object({
  channelId: z.string(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  schedules: z.array(z.object({ flow: z.string(), scheduleId: z.string() })),
});
export type BackfillStarted = z.infer<typeof BackfillStarted>;
export class BackfillStartedResponse extends responseDto(BackfillStarted) {}

export const SyncCursorView = z.object({
  channelId: z.string(),
  flow: z.string(),
  cursor: z.string(),
  updatedAt: z.iso.datetime(),
});
export type SyncCursorView = z.infer<typeof SyncCursorView>;
export class SyncCursorResponse extends responseDto(SyncCursorView) {}

/** What the engine hands over fits the schemas: a change there fails the build, not the docs. */
export type Checks = [Fits<StartedRun, FlowRunStarted>, Fits<BackfillResult, BackfillStarted['schedules'][number]>, Fits<SyncCursor, SyncCursorView>];
