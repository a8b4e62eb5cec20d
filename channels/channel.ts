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

export interface ChannelDirectory {
  get(id: string): Promise<Channel | undefined>;
  /** Enabled channels of one application, e.g. to give each its polling schedule. */
  listEnabled(application: string): Promise<Channel[]>;
}
