/**
 * A channel's settings (never its credentials) for a workflow that needs them to decide what to
 * do, e.g. which CRM channel a mailer channel mirrors. Settings are configuration, not secrets:
 * the API shows them, so they may enter workflow history.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { ChannelDirectory } from '../channels/channel';

export function createChannelSettingsActivities(channels: ChannelDirectory) {
  return {
    async channelSettings(channelId: string): Promise<unknown> {
      const channel = await channels.get(channelId);
      if (!channel) throw ApplicationFailure.nonRetryable(`unknown channel "${channelId}"`, 'UnknownChannel');
      return channel.settings;
    },
  };
}
