/**
 * githubIssueToSlack on Temporal's TestWorkflowEnvironment with the engine's activities, as an
 * author tests a flow of their own (README, "Test your own flows"): the flow reads the GitHub
 * channel's settings and posts through the Slack channel they name, to the loopback Slack of
 * test/vendors/slack. The delivery through the API, its signature and the real worker are
 * test/vendors/github-to-slack.test.ts.
 */
import { github } from '../connectors/github/application';
import { slack } from '../connectors/slack/application';
import { startFlowTestEnvironment, type FlowTestEnvironment } from '../test/support/flow-test-environment';
import { startSlackFake, type SlackFake } from '../test/vendors/slack/slack-fake';
import { githubIssueToSlack } from './github-issue-to-slack';
import { GitHubIssuesEvent, githubIssuesOpenedExample } from './github-issue-to-slack.schema';

let flows: FlowTestEnvironment;
let slackFake: SlackFake;
let slackChannelId: string;
beforeAll(async () => {
  [flows, slackFake] = await Promise.all([startFlowTestEnvironment({ workflowsPath: require.resolve('./github-issue-to-slack') }), startSlackFake()]);
  slackChannelId = await flows.addChannel({ application: slack, settings: { baseUrl: slackFake.url, defaultChannel: 'C0GENERAL' }, credentials: { botToken: slackFake.token } });
});
afterAll(async () => {
  await Promise.all([flows?.stop(), slackFake?.close()]);
});

/** A GitHub channel whose settings name where its issues go; GitHub itself is not called by this flow. */
const githubChannel = (id: string, settings: Record<string, unknown>) =>
  flows.addChannel({ id, application: github, settings: { repository: 'octo-org/hello-world', ...settings }, credentials: { token: 'ghp_test', webhookSecret: 'test-secret' } });
const event = (action: string) => GitHubIssuesEvent.parse({ ...githubIssuesOpenedExample, action });
const posts = () => slackFake.requests.filter((request) => request.path === '/api/chat.postMessage');

it('posts an opened issue to the conversation the GitHub channel names, through its Slack channel', async () => {
  const channelId = await githubChannel('github-releases', { slackChannelId, slackConversation: '#releases' });
  const result = await flows.execute(githubIssueToSlack, { channelId, deliveryId: 'sha256-opened', body: event('opened') });
  expect(result).toEqual({ posted: { channel: 'C0RELEASES', ts: expect.stringMatching(/^\d+\.\d+$/) } });
  expect(posts().at(-1)).toMatchObject({
    authorization: `Bearer ${slackFake.token}`,
    args: {
      channel: '#releases',
      text: 'New issue in Codertocat/Hello-World: <https://github.com/Codertocat/Hello-World/issues/1|#1 Spelling error in the README file> by Codertocat',
      unfurl_links: false,
    },
  });
});

it("falls back to the Slack channel's default conversation", async () => {
  const channelId = await githubChannel('github-default-conversation', { slackChannelId });
  expect(await flows.execute(githubIssueToSlack, { channelId, deliveryId: 'sha256-default', body: event('opened') })).toMatchObject({ posted: { channel: 'C0GENERAL' } });
});

it('acknowledges other actions, and a GitHub channel naming no Slack channel, without posting', async () => {
  const before = posts().length;
  const named = await githubChannel('github-closed', { slackChannelId, slackConversation: '#releases' });
  expect(await flows.execute(githubIssueToSlack, { channelId: named, deliveryId: 'sha256-closed', body: event('closed') })).toEqual({ skipped: 'not-opened' });
  const unnamed = await githubChannel('github-no-slack', {});
  expect(await flows.execute(githubIssueToSlack, { channelId: unnamed, deliveryId: 'sha256-unnamed', body: event('opened') })).toEqual({ skipped: 'no-slack-channel' });
  expect(posts()).toHaveLength(before);
});

it("fails the run with Slack's error when Slack refuses the conversation", async () => {
  const channelId = await githubChannel('github-unknown-conversation', { slackChannelId, slackConversation: 'C0NOWHERE' });
  await expect(flows.execute(githubIssueToSlack, { channelId, deliveryId: 'sha256-refused', body: event('opened') })).rejects.toMatchObject({
    cause: { cause: { type: 'SlackChannelNotFound' } },
  });
});
