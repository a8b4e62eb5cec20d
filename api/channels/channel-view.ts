/** How a channel is shown by the API: everything but its credentials, which are masked. */
import type { StoredChannel, AuthStatus } from '../../store/channel-store';

export const MASK = '********';

export interface ChannelView {
  id: string;
  application: string;
  name: string;
  settings: unknown;
  /** Each credential field present, its value masked. */
  credentials: Record<string, string>;
  enabled: boolean;
  authStatus: AuthStatus;
  webhooks: Array<{ flow: string; url: string }>;
  createdAt: string;
  updatedAt: string;
}

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
