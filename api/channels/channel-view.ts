/** How a channel is shown by the API: everything but its credentials, which are masked. The zod schema is the type and the Swagger schema. */
import { z } from 'zod';
import type { StoredChannel } from '../../store/channel-store';
import { responseDto } from '../common/openapi';

export const MASK = '********';

export const ChannelView = z.object({
  id: z.string().meta({ example: 'ch_k3Jx9qLm2Pz' }),
  application: z.string().meta({ example: 'demo-crm' }),
  name: z.string(),
  settings: z.record(z.string(), z.unknown()),
  credentials: z.record(z.string(), z.string()).describe('Each credential field present, value masked as "********"'),
  enabled: z.boolean(),
  authStatus: z.enum(['not-required', 'configured', 'authorization-required', 'authorized', 'reauthorization-required']),
  webhooks: z.array(z.object({ flow: z.string(), url: z.string() })),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
/** `settings` is whatever the application's schema made of them. */
export type ChannelView = Omit<z.infer<typeof ChannelView>, 'settings'> & { settings: unknown };
export class ChannelResponse extends responseDto(ChannelView) {}

export function maskCredentials(credentials: unknown): Record<string, string> {
  if (!credentials || typeof credentials !== 'object') return {};
  return Object.fromEntries(Object.keys(credentials).map((key) => [key, MASK]));
}

export function channelView(channel: StoredChannel, webhooks: ChannelView['webhooks']): ChannelView {
  return {
    id: channel.id,
    application: channel.application,
    name: channel.name,
    settings: channel.settings,
    credentials: maskCredentials(channel.credentials),
    enabled: channel.enabled,
    authStatus: channel.authStatus,
    webhooks,
    createdAt: channel.createdAt,
    updatedAt: channel.updatedAt,
  };
}
