/**
 * The githubIssueToSlack example flow end to end, in the engine's default flow registry: a GitHub
 * channel and a Slack channel created through the API against the loopback GitHub and Slack,
 * GitHub's own example `issues` deliveries (@octokit/webhooks-examples) signed with
 * @octokit/webhooks-methods and posted to the webhook route; the engine's worker runs the flow.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { getJson, postJson, startTestSystem, type TestSystem } from '../support/system';
import { issuesOpenedExample, PERSONAL_TOKEN, startFakeGitHub, webhookExamples, type FakeGitHub } from './github/fake-github';
import { startSlackFake, type SlackFake } from './slack/slack-fake';

const WEBHOOK_SECRET = 'gh-webhook-secret-not-a-real-one';

/** GitHub's signature of each payload, by GitHub's own library (ESM only: signed in a Node process of its own). */
function octokitSign(secret: string, payloads: string[]): string[] {
  const script = `import { sign } from '@octokit/webhooks-methods';
    import { readFileSync } from 'node:fs';
    const { secret, payloads } = JSON.parse(readFileSync(0, 'utf8'));
    const out = [];
    for (const p of payloads) out.push(await sign(secret, p));
    console.log(JSON.stringify(out));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8', input: JSON.stringify({ secret, payloads }) })) as string[];
}

let system: TestSystem;
let github: FakeGitHub;
let slack: SlackFake;
let githubChannelId: string;

beforeAll(async () => {
  [system, github, slack] = await Promise.all([startTestSystem(), startFakeGitHub(), startSlackFake()]);
  const slackChannel = await postJson(`${system.apiUrl}/channels`, {
    application: 'slack',
    name: `Slack ${randomUUID().slice(0, 4)}`,
    settings: { baseUrl: slack.url, defaultChannel: 'C0GENERAL' },
    credentials: { botToken: slack.token },
  });
  expect(slackChannel.status).toBe(201);
  const githubChannel = await postJson(`${system.apiUrl}/channels`, {
    application: 'github',
    name: `GitHub ${randomUUID().slice(0, 4)}`,
    settings: { baseUrl: github.url, repository: 'octo-org/hello-world', slackChannelId: slackChannel.body.id, slackConversation: '#releases' },
    credentials: { token: PERSONAL_TOKEN, webhookSecret: WEBHOOK_SECRET },
  });
  expect(githubChannel.status).toBe(201);
  githubChannelId = githubChannel.body.id;
});
afterAll(async () => {
  await Promise.all([system?.stop(), github?.close(), slack?.close()]);
});
afterEach(() => {
  expect(github.violations).toEqual([]);
});

const posts = () => slack.requests.filter((r) => r.path.endsWith('/chat.postMessage'));
const deliver = (raw: string, signature: string) =>
  fetch(`${system.apiUrl}/webhooks/github/issues/${githubChannelId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': signature },
    body: raw,
  });
const outcome = (workflowId: string) => system.client.workflow.getHandle(workflowId).result();

describe('githubIssueToSlack', () => {
  it('is a flow of the default registry, signed by GitHub, on the GitHub channel', async () => {
    const flows = (await getJson(`${system.apiUrl}/flows`)).body as Array<{ name: string; trigger: Record<string, unknown> }>;
    expect(flows.find((f) => f.name === 'githubIssueToSlack')!.trigger).toMatchObject({ signature: { scheme: 'hmac-sha256', header: 'x-hub-signature-256' }, deliveryId: { source: 'body-hash' } });
    expect(github.hooks.filter((h) => h.config.url === `${system.apiUrl}/webhooks/github/issues/${githubChannelId}`)).toHaveLength(1);
  });

  it('posts an opened issue to the named conversation once; a redelivery posts nothing new', async () => {
    const raw = JSON.stringify(issuesOpenedExample);
    const [signature] = octokitSign(WEBHOOK_SECRET, [raw]);
    const first = await deliver(raw, signature!);
    expect(first.status).toBe(202);
    const { workflowId } = (await first.json()) as { workflowId: string };
    expect(await outcome(workflowId)).toEqual({ posted: { channel: 'C0RELEASES', ts: expect.any(String) } });

    expect(posts()).toHaveLength(1);
    const { issue } = issuesOpenedExample;
    expect(posts()[0]!.args).toMatchObject({ channel: '#releases' });
    const text = String(posts()[0]!.args.text);
    for (const part of [issue.title, `#${issue.number}`, issue.user.login, issue.html_url]) expect(text).toContain(String(part));
    expect(slack.messages.get('C0RELEASES')!.map((m) => m.text)).toEqual([text]);

    const again = await deliver(raw, signature!);
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ workflowId, duplicate: true });
    await outcome(workflowId);
    expect(posts()).toHaveLength(1);
  });

  it('acknowledges issues.closed (and labeled) and posts nothing', async () => {
    // @octokit/webhooks-examples has no `closed` delivery: GitHub's closed payload is the opened one's shape, closed.
    const closed = { ...issuesOpenedExample, action: 'closed', issue: { ...issuesOpenedExample.issue, state: 'closed', closed_at: '2019-05-15T15:30:00Z' } };
    const labeled = webhookExamples('issues').find((e) => e.action === 'labeled')!;
    const raws = [closed, labeled].map((e) => JSON.stringify(e));
    const signatures = octokitSign(WEBHOOK_SECRET, raws);
    for (const [i, raw] of raws.entries()) {
      const res = await deliver(raw, signatures[i]!);
      expect(res.status).toBe(202);
      const { workflowId } = (await res.json()) as { workflowId: string };
      expect(await outcome(workflowId)).toEqual({ skipped: 'not-opened' });
    }
    expect(posts()).toHaveLength(1);
  });
});
