/**
 * The Slack application through the real API and Temporal, against a loopback Slack (slack-fake.ts)
 * that answers in Slack's documented shapes, and Events API deliveries signed as Slack signs them,
 * cross-checked with Slack's own verifier (`verifySlackRequest` from @slack/bolt).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { verifySlackRequest } from '@slack/bolt';
import { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { slack } from '../../../connectors/slack/application';
import slackIntegration from '../../../connectors/slack';
import { defineFlows, flow, webhook } from '../../../workflows/framework/flow';
import type { WebhookFlowInput } from '../../../workflows/framework/inputs';
import { connectChannel } from '../../support/browser';
import { getJson, postJson, startTestSystem, type TestSystem, actionRunner } from '../../support/system';
import { appMention, channelMessage, urlVerification } from './events';
import { startSlackFake, type SlackFake } from './slack-fake';

const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

const SlackEvent = z.looseObject({ type: z.string(), event_id: z.string().optional(), challenge: z.string().optional() });
// A test flow (no worker runs it): the webhook route's behaviour is what is tested here.
async function slackEventReceived(_input: WebhookFlowInput<z.output<typeof SlackEvent>>): Promise<void> {}
const flows = defineFlows([flow(slackEventReceived, { application: slack, description: 'test', trigger: webhook({ path: 'slack/events', body: SlackEvent, example: appMention }) })]);

let system: TestSystem;
let fake: SlackFake;
let channelId: string;
beforeAll(async () => {
  [system, fake] = await Promise.all([startTestSystem({ flows }), startSlackFake()]);
  const created = await postJson(`${system.apiUrl}/channels`, {
    application: 'slack',
    name: `Slack ${randomUUID().slice(0, 4)}`,
    settings: { baseUrl: fake.url, defaultChannel: 'C0GENERAL' },
    credentials: { botToken: fake.token, webhookSecret: SIGNING_SECRET },
  });
  expect(created.status).toBe(201);
  channelId = created.body.id;
});
afterAll(async () => {
  await Promise.all([system?.stop(), fake?.close()]);
});

const lastRequest = (path: string) => [...fake.requests].reverse().find((r) => r.path === path)!;
const run = actionRunner(
  () => system,
  'slack',
  () => channelId,
);

describe('Slack Web API', () => {
  it('is listed with its connectors and its ways in: a bot token or an OAuth v2 install', async () => {
    const apps = (await getJson(`${system.apiUrl}/applications`)).body;
    expect(apps.find((a: { name: string }) => a.name === 'slack')).toMatchObject({ auth: { kind: 'one-of', methods: [{ kind: 'bearer' }, { kind: 'oauth2-authorization-code' }] } });
    expect(Object.keys(slackIntegration.connectors).sort()).toEqual(['conversationHistory', 'listConversations', 'listUsers', 'lookupUserByEmail', 'postMessage', 'updateMessage']);
  });

  it('posts a message (chat.postMessage) with the bot token and a JSON body, then changes it (chat.update)', async () => {
    const posted = await run('postMessage', { channel: 'C0GENERAL', text: 'Issue #1 opened: *Printer on fire*' });
    expect(posted.status).toBe(200);
    expect(posted.body.output).toMatchObject({ ok: true, channel: 'C0GENERAL', ts: expect.stringMatching(/^\d+\.\d+$/), message: { text: 'Issue #1 opened: *Printer on fire*', bot_id: 'B0BOT' } });
    const request = lastRequest('/api/chat.postMessage');
    expect(request).toMatchObject({ method: 'POST', authorization: `Bearer ${fake.token}`, contentType: 'application/json; charset=utf-8', args: { channel: 'C0GENERAL' } });
    expect(posted.body.output.warning).toBeUndefined(); // Slack warns missing_charset otherwise

    const updated = await run('updateMessage', { channel: 'C0GENERAL', ts: posted.body.output.ts, text: 'Issue #1 closed' });
    expect(updated).toMatchObject({ status: 200, body: { output: { ok: true, ts: posted.body.output.ts, text: 'Issue #1 closed' } } });
    expect(fake.messages.get('C0GENERAL')!.at(-1)!.text).toBe('Issue #1 closed');
  });

  it('pages with cursor and response_metadata.next_cursor until it is empty', async () => {
    const first = await run('listConversations', { limit: 2 });
    expect(first.status).toBe(200);
    expect(first.body.output.channels.map((c: { id: string }) => c.id)).toEqual(['C0GENERAL', 'C0RANDOM']);
    const cursor = first.body.output.response_metadata.next_cursor;
    expect(cursor).toMatch(/^[A-Za-z0-9+/=]+$/);
    // The connector's paginator gives the next input from the page (what `.pages()` runs in a flow).
    const paginator = slackIntegration.connectors.listConversations.paginator!;
    expect(paginator.next({ input: { limit: 2 }, output: first.body.output, response: {} as never })).toEqual({ input: { limit: 2, cursor } });
    const last = await run('listConversations', { limit: 2, cursor, exclude_archived: true });
    expect(last.body.output.channels.map((c: { id: string }) => c.id)).toEqual(['C0RELEASES']);
    expect(last.body.output.response_metadata.next_cursor).toBe('');
    expect(paginator.next({ input: { limit: 2, cursor }, output: last.body.output, response: {} as never })).toBeUndefined();
    expect(lastRequest('/api/conversations.list')).toMatchObject({ method: 'GET', args: { limit: '2', cursor, exclude_archived: 'true' } });

    const history = await run('conversationHistory', { channel: 'C0GENERAL', limit: 3 });
    expect(history.body.output).toMatchObject({ ok: true, has_more: true, response_metadata: { next_cursor: expect.any(String) } });
    expect(history.body.output.messages).toHaveLength(3);
    const users = await run('listUsers', { limit: 3 });
    expect(users.body.output.members.map((u: { name: string }) => u.name)).toEqual(['alice', 'bob', 'carol']);
  });

  it('finds a user by e-mail; users_not_found is final', async () => {
    expect((await run('lookupUserByEmail', { email: 'bob@example.com' })).body.output.user).toMatchObject({ id: 'U0BOB', profile: { email: 'bob@example.com' } });
    const missing = await run('lookupUserByEmail', { email: 'nobody@example.com' });
    expect(missing.status).toBe(502);
    expect(missing.body).toMatchObject({ type: 'SlackUsersNotFound' });
  });

  it('counts a 200 with ok:false as the error Slack names: channel_not_found and invalid_auth are final, at once', async () => {
    const before = fake.requests.length;
    const notFound = await run('postMessage', { channel: 'C0NOPE', text: 'hi' });
    expect(notFound.status).toBe(502);
    expect(notFound.body).toMatchObject({ type: 'SlackChannelNotFound' });
    expect(JSON.stringify(notFound.body)).toMatch(/channel_not_found/);
    expect(fake.requests.length - before).toBe(1); // not retried

    const other = await postJson(`${system.apiUrl}/channels`, {
      application: 'slack',
      name: `Slack bad ${randomUUID().slice(0, 4)}`,
      settings: { baseUrl: fake.url },
      credentials: { botToken: 'xoxb-revoked' },
    });
    expect(other.status).toBe(201);
    const refused = await run('listUsers', {}, other.body.id);
    expect(refused).toMatchObject({ status: 502, body: { type: 'SlackInvalidAuth' } });
  });

  it('waits as a 429 Retry-After asks, and retries internal_error; both then succeed', async () => {
    fake.script('users.list', { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } });
    const started = Date.now();
    const limited = await run('listUsers', { limit: 1 });
    expect(limited.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);

    fake.script('conversations.history', { body: { ok: false, error: 'internal_error' } });
    const retried = await run('conversationHistory', { channel: 'C0GENERAL', limit: 1 });
    expect(retried.status).toBe(200);
  });

  it("holds users.list and conversations.list to Tier 2 (20 a minute) per workspace on queues of their own, set in Temporal's task queue config", async () => {
    expect(system.worker.taskQueues).toEqual(
      expect.arrayContaining([`${system.settings.taskQueue}.slack`, `${system.settings.taskQueue}.slack.listUsers`, `${system.settings.taskQueue}.slack.listConversations`]),
    );
    const limitOf = async (taskQueue: string) => {
      const described = await system.client.workflowService.describeTaskQueue({
        namespace: system.settings.namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        reportConfig: true,
      });
      return described.config?.fairnessKeysRateLimitDefault?.rateLimit?.requestsPerSecond;
    };
    expect(await limitOf(`${system.settings.taskQueue}.slack.listUsers`)).toBeCloseTo(20 / 60, 5);
    expect(await limitOf(`${system.settings.taskQueue}.slack`)).toBeCloseTo(50 / 60, 5);
    expect((await run('listUsers', { limit: 2 })).body.output.members).toHaveLength(2);
  });

  it('refuses settings that point the bot token at another host', async () => {
    const evil = await postJson(`${system.apiUrl}/channels`, { application: 'slack', name: 'evil', settings: { baseUrl: 'https://slack.com.evil.example/api' }, credentials: { botToken: 'xoxb-1' } });
    expect(evil.status).toBe(400);
    const defaulted = await postJson(`${system.apiUrl}/channels`, { application: 'slack', name: `Slack default ${randomUUID().slice(0, 4)}`, settings: {}, credentials: { botToken: 'xoxb-1' } });
    expect(defaulted.status).toBe(201);
    expect(defaulted.body.settings.baseUrl).toBe('https://slack.com/api');
  });
});

describe('Slack OAuth v2 install', () => {
  const install = (credentials: Record<string, string>) =>
    postJson(`${system.apiUrl}/channels`, { application: 'slack', name: `Slack install ${randomUUID().slice(0, 4)}`, settings: { baseUrl: fake.url }, credentials });

  it("installs through Slack's consent with comma-separated bot scopes; the bot token it grants (token_type bot) then posts", async () => {
    const created = await install({ clientId: fake.oauth.app.clientId, clientSecret: fake.oauth.app.clientSecret });
    expect(created).toMatchObject({ status: 201, body: { authStatus: 'authorization-required' } });
    expect(await connectChannel(system, created.body.id)).toMatchObject({ status: 200, body: { authStatus: 'authorized' } });
    expect(fake.oauth.lastScopes).toEqual(expect.arrayContaining(['chat:write', 'channels:history', 'users:read.email']));
    const posted = await run('postMessage', { channel: 'C0GENERAL', text: 'installed' }, created.body.id);
    expect(posted).toMatchObject({ status: 200, body: { output: { ok: true } } });
    expect(lastRequest('/api/chat.postMessage').authorization).toMatch(/^Bearer xoxb-3333-4444-/);
    expect(fake.violations).toEqual([]);
  });

  it("refuses the install when Slack answers ok: false (HTTP 200), naming Slack's error", async () => {
    const created = await install({ clientId: fake.oauth.app.clientId, clientSecret: 'wrong' });
    const connected = await connectChannel(system, created.body.id);
    expect(connected.status).toBe(400);
    expect(JSON.stringify(connected.body)).toContain('invalid_client_id');
    expect((await getJson(`${system.apiUrl}/channels/${created.body.id}`)).body.authStatus).toBe('authorization-required');
  });

  it('refuses a bot token beside the OAuth client, or half a client, naming the field', async () => {
    expect((await install({ botToken: 'xoxb-1', clientId: fake.oauth.app.clientId, clientSecret: 'x' })).body.issues).toEqual([expect.objectContaining({ field: 'credentials.botToken' })]);
    expect((await install({ clientId: fake.oauth.app.clientId })).body.issues).toEqual([expect.objectContaining({ field: 'credentials.clientSecret' })]);
  });
});

/** Signs as Slack does (https://api.slack.com/authentication/verifying-requests-from-slack), checked by Slack's own verifier. */
function signed(body: unknown, options: { secret?: string; timestamp?: number } = {}): { raw: string; headers: Record<string, string> } {
  const raw = JSON.stringify(body);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', options.secret ?? SIGNING_SECRET)
    .update(`v0:${timestamp}:${raw}`)
    .digest('hex')}`;
  // Slack's verifier, at the moment of signing (a stale timestamp is the test's point elsewhere).
  verifySlackRequest({
    signingSecret: options.secret ?? SIGNING_SECRET,
    body: raw,
    headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
    nowMilliseconds: timestamp * 1000,
  });
  return { raw, headers: { 'content-type': 'application/json', 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) } };
}

const deliver = (raw: string, headers: Record<string, string>) => postJson(`${system.apiUrl}/webhooks/slack/events/${channelId}`, raw, { ...headers, authorization: '' });

describe('Slack Events API', () => {
  it('answers a signed url_verification with its challenge, starting nothing; an unsigned one is refused', async () => {
    const { raw, headers } = signed(urlVerification);
    const answered = await deliver(raw, headers);
    expect(answered).toEqual({ status: 200, body: { challenge: urlVerification.challenge } });
    const forged = await deliver(raw, { ...headers, 'x-slack-signature': `v0=${'0'.repeat(64)}` });
    expect(forged.status).toBe(401);
    expect(() =>
      verifySlackRequest({
        signingSecret: SIGNING_SECRET,
        body: raw,
        headers: { 'x-slack-signature': `v0=${'0'.repeat(64)}`, 'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']) },
      }),
    ).toThrow();
  });

  it("starts a run per event, with Slack's event_id as the delivery id; Slack's retry of it is a duplicate", async () => {
    const { raw, headers } = signed(appMention);
    const first = await deliver(raw, headers);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ deliveryId: 'Ev0LAN670R', channelId });
    // Slack retries with a new timestamp and signature, and X-Slack-Retry-Num.
    const again = signed(appMention, { timestamp: Math.floor(Date.now() / 1000) + 1 });
    const retry = await deliver(again.raw, { ...again.headers, 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ deliveryId: 'Ev0LAN670R', duplicate: true, workflowId: first.body.workflowId });

    const message = signed(channelMessage);
    expect((await deliver(message.raw, message.headers)).body).toMatchObject({ deliveryId: 'Ev123ABC456' });
    await Promise.all(
      [first.body.workflowId, `slackEventReceived/${channelId}/Ev123ABC456`].map((id: string) =>
        system.client.workflow
          .getHandle(id)
          .terminate('test flow')
          .catch(() => undefined),
      ),
    );
  });

  it("refuses a stale timestamp, another secret and a changed body, as Slack's verifier does", async () => {
    const stale = signed(appMention, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect((await deliver(stale.raw, stale.headers)).status).toBe(401);
    expect(() =>
      verifySlackRequest({
        signingSecret: SIGNING_SECRET,
        body: stale.raw,
        headers: { 'x-slack-signature': stale.headers['x-slack-signature']!, 'x-slack-request-timestamp': Number(stale.headers['x-slack-request-timestamp']) },
      }),
    ).toThrow();
    const otherSecret = signed(appMention, { secret: 'another-signing-secret' });
    expect((await deliver(otherSecret.raw, otherSecret.headers)).status).toBe(401);
    const good = signed(appMention);
    expect((await deliver(good.raw.replace('pearl', 'oyster'), good.headers)).status).toBe(401);
  });
});
