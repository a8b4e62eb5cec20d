/**
 * A channel is one configured instance of an application: its own settings and credentials.
 * Workflows only ever carry a channel's id; activities resolve the rest through a directory.
 */
export interface Channel {
  id: string;
  application: string;
  name: string;
  enabled: boolean;
  settings: unknown;
  /** Secret: never logged, never returned by the API, never passed to a workflow. */
  credentials: unknown;
}

/** What activities need of the channel store: read a channel, and flag one whose OAuth grant was revoked. */
export interface ChannelDirectory {
  get(id: string): Promise<Channel | undefined>;
  markReauthorizationRequired(id: string): Promise<void>;
}
