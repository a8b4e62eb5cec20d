/**
 * A GitHub issue opened → a message in Slack. The GitHub channel's settings name the Slack
 * channel to post through (`slackChannelId`) and the conversation (`slackConversation`, else that
 * Slack channel's `defaultChannel`), as a mailer channel names its CRM channel. Every other action
 * of the `issues` event is acknowledged and does nothing.
 */
import type { github } from '../connectors/github/application';
import type { slack } from '../connectors/slack/application';
import { settingsOf } from './framework/channel-settings';
import { useConnectors } from './framework/connectors';
import type { WebhookFlowInput } from './framework/inputs';
import type { GitHubIssuesEvent } from './github-issue-to-slack.schema';

export type IssueToSlackOutcome = { posted: { channel: string; ts: string } } | { skipped: 'not-opened' | 'no-slack-channel' };

export async function githubIssueToSlack({ channelId, body: event }: WebhookFlowInput<GitHubIssuesEvent>): Promise<IssueToSlackOutcome> {
  if (event.action !== 'opened') return { skipped: 'not-opened' };
  const { slackChannelId, slackConversation } = await settingsOf<typeof github>(channelId);
  if (!slackChannelId) return { skipped: 'no-slack-channel' };
  const conversation = slackConversation ?? (await settingsOf<typeof slack>(slackChannelId)).defaultChannel;
  if (!conversation) return { skipped: 'no-slack-channel' };

  const { issue, repository } = event;
  const author = issue.user?.login ?? 'someone';
  const text = `New issue in ${repository.full_name}: <${issue.html_url}|#${issue.number} ${issue.title}> by ${author}`;
  const { slack: slackApi } = useConnectors();
  const message = await slackApi.postMessage(slackChannelId, { channel: conversation, text, unfurl_links: false });
  return { posted: { channel: message.channel, ts: message.ts } };
}
