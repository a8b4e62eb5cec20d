/** The bodies the channel routes accept. Settings and credentials are then checked against the application's own schemas. */
import { z } from 'zod';

const Fields = z.record(z.string(), z.unknown());

export const CreateChannelRequest = z.strictObject({
  application: z.string().min(1),
  name: z.string().trim().min(1).max(200),
  settings: Fields.default({}),
  credentials: Fields.default({}),
  enabled: z.boolean().default(true),
});
export type CreateChannelRequest = z.output<typeof CreateChannelRequest>;

export const UpdateChannelRequest = z.strictObject({
  /** Moves the channel to another version of its imported application, e.g. `petstore@v2`. */
  application: z.string().min(1).optional(),
  name: z.string().trim().min(1).max(200).optional(),
  /** Replaces the settings as a whole. */
  settings: Fields.optional(),
  /** Merged over the stored credentials; a masked value ("********") keeps the stored one. */
  credentials: Fields.optional(),
  enabled: z.boolean().optional(),
});
export type UpdateChannelRequest = z.output<typeof UpdateChannelRequest>;

export const RunsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) });
