/** The activities a worker registers, built around the dependencies they need. */
import type { ChannelDirectory } from '../channels/channel';
import { createRunConnectorActivity } from './run-connector';

export function createActivities(deps: { channels: ChannelDirectory }) {
  return { runConnector: createRunConnectorActivity(deps.channels) };
}

export type Activities = ReturnType<typeof createActivities>;
