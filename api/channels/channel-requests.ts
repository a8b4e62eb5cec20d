/**
 * The bodies and queries the channel routes accept, as zod schemas and the DTOs the global pipe
 * parses them with. Settings and credentials are then checked against the application's own schemas.
 */
import { z } from 'zod';
import { requestDto } from '../common/openapi';

const Fields = z.record(z.string(), z.unknown());

export const CreateChannelRequest = z.strictObject({
  application: z.string().min(1),
  name: z.string().trim().min(1).max(200),
  settings: Fields.default({}),
  credentials: Fields.default({}),
  enabled: z.boolean().default(true),
});
export type CreateChannelRequest = z.output<typeof CreateChannelRequest>;
export class CreateChannelDto extends requestDto(CreateChannelRequest) {}

export const UpdateChannelRequest = z.strictObject({
  /** Moves the channel to another version of its imported application, e.g. `petstore@v2`. */
  application: z.string().min(1).optional(),
  name: z.string().trim().min(1).max(200).optional(),
  /** Replaces the settings as a whole. */
  settings: Fields.optional(),
  /** Merged over the stored credentials; a masked value ("********") keeps the stored one, `null` removes it (to switch to another auth method). */
  credentials: Fields.optional().describe('Merged over the stored credentials: "********" keeps a stored value, null removes a field (to switch to another of the application\'s auth methods)'),
  enabled: z.boolean().optional(),
});
export type UpdateChannelRequest = z.output<typeof UpdateChannelRequest>;
export class UpdateChannelDto extends requestDto(UpdateChannelRequest) {}

/** `GET /channels/:id/runs`: other parameters are ignored, as before. */
export const ChannelRunsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) });
export class ChannelRunsQueryDto extends requestDto(ChannelRunsQuery) {}

/** `POST /channels/:id/sync`: the body is optional (no body is `{}`). */
export const SyncRequest = z
  .strictObject({
    /** Ignore the stored cursor and read everything again. */
    full: z.boolean().default(false).describe('Ignore the stored cursor and read everything again (a full resync)'),
  })
  .prefault({});
export type SyncRequest = z.output<typeof SyncRequest>;
export class SyncRequestDto extends requestDto(SyncRequest) {}

/** At most this many intervals per backfill call, so one request cannot queue an unbounded number of runs. */
export const MAX_BACKFILL_RUNS = 10_000;

export const BackfillRequest = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
    to: z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
  })
  .refine((range) => range.from < range.to, { path: ['to'], message: 'must be after from' })
  .refine((range) => range.to.getTime() <= Date.now() + 60_000, { path: ['to'], message: 'must not be in the future' })
  .meta({ example: { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' } });
export type BackfillRequest = z.output<typeof BackfillRequest>;
export class BackfillRequestDto extends requestDto(BackfillRequest) {}
