/**
 * The github application through the real system: channels created through the API (a personal
 * access token, a GitHub App installation), actions run through Temporal against the loopback
 * GitHub (every request checked against GitHub's OpenAPI description), the repository-hook
 * subscription registered and removed with the channel, GitHub's own example deliveries signed
 * with @octokit/webhooks-methods and posted to the webhook route, and a small flow that reads,
 * pages and comments.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { github } from '../../../connectors/github/application';
import { defineFlows, flow, webhook } from '../../../workflows/framework/flow';
import { connectChannel } from '../../support/browser';
import { authHeaders, getJson, postJson, startTestSystem, type TestSystem, actionRunner } from '../../support/system';
import { startTestWorker, type TestWorker } from '../../support/test-worker';
import { issuesOpenedExample, PERSONAL_TOKEN, startFakeGitHub, webhookExamples, type FakeGitHub } from './fake-github';
import { triageOpenedIssue } from './workflows';

const WEBHOOK_SECRET = 'gh-webhook-secret-not-a-real-one';
const IssuesOpened = z.looseObject({ action: z.string(), issue: z.looseObject({ number: z.number(), title: z.string() }), repository: z.looseObject({ full_name: z.string() }) });
const flows = defineFlows([
  flow(triageOpenedIssue, {
    application: github,
    description: 'test: an opened issue gets a triage comment',
    trigger: webhook({ path: 'github/issues', body: IssuesOpened, example: issuesOpenedExample as z.input<typeof IssuesOpened>, deliveryIdHeader: 'x-github-delivery' }),
  }),
]);

/** GitHub's signature of each payload, by GitHub's own library (ESM only: signed in a Node process of its own). */
function octokitSign(secret: string, payloads: string[]): string[] {
  const script = `import { sign, verify } from '@octokit/webhooks-methods';
    import { readFileSync } from 'node:fs';
    const { secret, payloads } = JSON.parse(readFileSync(0, 'utf8'));
    const out = [];
    for (const p of payloads) { const s = await sign(secret, p); if (!(await verify(secret, p, s))) throw new Error('verify'); out.push(s); }
    console.log(JSON.stringify(out));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8', input: JSON.stringify({ secret, payloads }) })) as string[];
}

let system: TestSystem;
let fake: FakeGitHub;
let worker: TestWorker | undefined;
let channelId: string;
const taskQueue = `github-flows-${randomUUID()}`;

beforeAll(async () => {
  // The operator adds a GitHub Enterprise Server host to the application's pin (APPLICATION_HOSTS).
  [system, fake] = await Promise.all([startTestSystem({ flows, security: { applicationHosts: { github: ['ghe.example.com'] } } }), startFakeGitHub()]);
  worker = await startTestWorker(system, { taskQueue, workflowsPath: require.resolve('./workflows') });
  const created = await postJson(`${system.apiUrl}/channels`, {
    application: 'github',
    name: `GitHub ${randomUUID().slice(0, 4)}`,
    settings: { baseUrl: fake.url, repository: 'octo-org/hello-world', webhookEvents: ['issues', 'issue_comment'] },
    credentials: { token: PERSONAL_TOKEN, webhookSecret: WEBHOOK_SECRET },
  });
  expect(created.status).toBe(201);
  channelId = created.body.id;
});
afterAll(async () => {
  await worker?.stop();
  await Promise.all([system?.stop(), fake?.close()]);
});
afterEach(() => {
  expect(fake.violations).toEqual([]);
  fake.violations.length = 0;
});

const run = actionRunner(
  () => system,
  'github',
  () => channelId,
);

describe('the github application through the API', () => {
  it('is listed with its settings, masked credentials and its ways in: a token or an OAuth app', async () => {
    const apps = (await getJson(`${system.apiUrl}/applications`)).body as Array<{ name: string }>;
    expect(apps.find((a) => a.name === 'github')).toMatchObject({ auth: { kind: 'one-of', methods: [{ kind: 'bearer' }, { kind: 'oauth2-authorization-code' }] } });
    const channel = (await getJson(`${system.apiUrl}/channels/${channelId}`)).body;
    expect(channel.credentials).toEqual({ token: '********', webhookSecret: '********' });
    expect(channel.webhooks).toEqual([{ flow: 'triageOpenedIssue', url: `/webhooks/github/issues/${channelId}` }]);
  });

  it('refuses a base URL off the pinned hosts', async () => {
    const res = await postJson(`${system.apiUrl}/channels`, {
      application: 'github',
      name: 'elsewhere',
      settings: { baseUrl: 'https://github.example.com/api/v3' },
      credentials: { token: PERSONAL_TOKEN },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('baseUrl');
  });

  it('accepts a GitHub Enterprise Server host the operator added (APPLICATION_HOSTS), its OAuth endpoints on that host too', async () => {
    const res = await postJson(`${system.apiUrl}/channels`, {
      application: 'github',
      name: `GHE ${randomUUID().slice(0, 4)}`,
      settings: { baseUrl: 'https://ghe.example.com/api/v3' },
      credentials: { clientId: 'Iv1.enterprise', clientSecret: 'enterprise-secret' },
      enabled: false,
    });
    expect(res).toMatchObject({ status: 201, body: { settings: { baseUrl: 'https://ghe.example.com/api/v3' }, authStatus: 'authorization-required' } });
    const plaintext = await postJson(`${system.apiUrl}/channels`, {
      application: 'github',
      name: 'GHE http',
      settings: { baseUrl: 'http://ghe.example.com/api/v3' },
      credentials: { token: PERSONAL_TOKEN },
      enabled: false,
    });
    expect(plaintext.status).toBe(400);
  });

  it('runs actions through Temporal: list (first page), get, create, comment', async () => {
    const listed = await run('listRepositoryIssues', { owner: 'octo-org', repo: 'hello-world', perPage: 4 });
    expect(listed.status).toBe(200);
    expect(listed.body.output.map((i: { number: number }) => i.number)).toEqual([6, 5, 4, 3]);
    const created = await run('createIssue', { owner: 'octo-org', repo: 'hello-world', title: 'From the engine' });
    expect(created.status).toBe(200);
    const number = created.body.output.number as number;
    expect((await run('getIssue', { owner: 'octo-org', repo: 'hello-world', issueNumber: number })).body.output).toMatchObject({ title: 'From the engine', state: 'open' });
    expect((await run('createIssueComment', { owner: 'octo-org', repo: 'hello-world', issueNumber: number, body: 'Noted.' })).body.output).toMatchObject({ body: 'Noted.' });
    expect((await run('listRepositories', {})).body.output).toEqual([expect.objectContaining({ full_name: 'octo-org/hello-world' })]);
  });

  it("fails a run on GitHub's 404 at once, with GitHub's message", async () => {
    const res = await run('getIssue', { owner: 'octo-org', repo: 'hello-world', issueNumber: 4242 });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(res.body)).toContain('Not Found');
    expect(fake.requests.filter((r) => r.path === '/repos/octo-org/hello-world/issues/4242')).toHaveLength(1);
  });

  it('as a GitHub App installation: mints the installation token once (registering its hook) and reuses it across runs', async () => {
    const before = fake.minted.length;
    const app = await postJson(`${system.apiUrl}/channels`, {
      application: 'github',
      name: `GitHub App ${randomUUID().slice(0, 4)}`,
      settings: { baseUrl: fake.url, repository: 'octo-org/hello-world' },
      credentials: { appId: fake.app.appId, installationId: fake.app.installationId, privateKey: fake.app.privateKeyPem, webhookSecret: WEBHOOK_SECRET },
    });
    expect(app.status).toBe(201);
    expect(app.body.credentials).toEqual({ appId: '********', installationId: '********', privateKey: '********', webhookSecret: '********' });
    expect(fake.hooks.filter((h) => h.config.url.endsWith(`/${app.body.id}`))).toHaveLength(1);
    for (const issueNumber of [1, 2]) expect((await run('getIssue', { owner: 'octo-org', repo: 'hello-world', issueNumber }, app.body.id)).body.output).toMatchObject({ number: issueNumber });
    expect(fake.minted.length).toBe(before + 1);
    expect(fake.requests.filter((r) => r.operationId === 'issues/get').at(-1)!.headers.authorization).toBe(`Bearer ${fake.minted.at(-1)}`);
  });
});

describe('the github application as an OAuth app', () => {
  const oauthChannel = async (credentials: Record<string, string>) =>
    postJson(`${system.apiUrl}/channels`, {
      application: 'github',
      name: `GitHub OAuth ${randomUUID().slice(0, 4)}`,
      settings: { baseUrl: fake.url, repository: 'octo-org/hello-world' },
      credentials,
    });

  it("waits for consent (its hook too), connects through GitHub's web flow with PKCE, then calls with the gho_ token and registers its hook", async () => {
    const created = await oauthChannel({ clientId: fake.oauthApp.clientId, clientSecret: fake.oauthApp.clientSecret, webhookSecret: WEBHOOK_SECRET });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ authStatus: 'authorization-required', credentials: { clientId: '********', clientSecret: '********' } });
    const hooksOf = () => fake.hooks.filter((h) => h.config.url.endsWith(`/${created.body.id}`));
    expect(hooksOf()).toHaveLength(0);
    const before = await run('getIssue', { owner: 'octo-org', repo: 'hello-world', issueNumber: 1 }, created.body.id);
    expect(before.body).toMatchObject({ type: 'AuthorizationRequired' });

    expect(await connectChannel(system, created.body.id)).toMatchObject({ status: 200, body: { authStatus: 'authorized' } });
    expect(hooksOf()).toHaveLength(1);
    const issue = await run('getIssue', { owner: 'octo-org', repo: 'hello-world', issueNumber: 1 }, created.body.id);
    expect(issue.body.output).toMatchObject({ number: 1 });
    expect(String(fake.requests.filter((r) => r.operationId === 'issues/get').at(-1)!.headers.authorization)).toMatch(/^Bearer gho_/);
  });

  it('refuses the consent when GitHub refuses the exchange (GitHub answers 200 with { error })', async () => {
    const created = await oauthChannel({ clientId: fake.oauthApp.clientId, clientSecret: 'not-the-secret' });
    const connected = await connectChannel(system, created.body.id);
    expect(connected.status).toBe(400);
    expect(JSON.stringify(connected.body)).toContain('incorrect_client_credentials');
    expect((await getJson(`${system.apiUrl}/channels/${created.body.id}`)).body.authStatus).toBe('authorization-required');
  });

  it('refuses credentials of two ways in, or half of one, naming the field', async () => {
    const mixed = await oauthChannel({ token: PERSONAL_TOKEN, clientId: fake.oauthApp.clientId, clientSecret: 'x' });
    expect(mixed.status).toBe(400);
    expect(mixed.body.issues).toEqual([expect.objectContaining({ field: 'credentials.clientId' })]);
    const half = await oauthChannel({ clientId: fake.oauthApp.clientId });
    expect(half.status).toBe(400);
    expect(half.body.issues).toEqual([expect.objectContaining({ field: 'credentials.clientSecret', message: expect.stringContaining('an OAuth app needs clientId, clientSecret') })]);
  });

  it('a token channel has no connect link; switched to OAuth credentials it asks for consent', async () => {
    const created = await oauthChannel({ token: PERSONAL_TOKEN, webhookSecret: WEBHOOK_SECRET });
    expect(created).toMatchObject({ status: 201, body: { authStatus: 'configured' } });
    const link = await postJson(`${system.apiUrl}/channels/${created.body.id}/oauth/connect`, {});
    expect(link.status).toBe(409);
    const switched = await fetch(`${system.apiUrl}/channels/${created.body.id}`, {
      method: 'PATCH',
      headers: { ...authHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({ credentials: { token: null, clientId: fake.oauthApp.clientId, clientSecret: fake.oauthApp.clientSecret } }),
    });
    expect(switched.status).toBe(200);
    expect(((await switched.json()) as { authStatus: string }).authStatus).toBe('authorization-required');
  });
});

describe('GitHub webhooks', () => {
  const url = () => `${system.apiUrl}/webhooks/github/issues/${channelId}`;
  const deliver = (raw: string, signature: string, delivery: string = randomUUID()) =>
    fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': delivery, 'x-hub-signature-256': signature }, body: raw });
  const terminate = (workflowId: string) =>
    system.client.workflow
      .getHandle(workflowId)
      .terminate('test: the flow runs on the test worker')
      .catch(() => undefined);

  it('registered a repository hook for the channel when it was created, with the secret and the events', () => {
    expect(fake.hooks.filter((h) => h.config.url.endsWith(`/${channelId}`))).toEqual([
      expect.objectContaining({
        owner: 'octo-org',
        repo: 'hello-world',
        events: ['issues', 'issue_comment'],
        config: expect.objectContaining({ url: `${system.apiUrl}/webhooks/github/issues/${channelId}`, secret: WEBHOOK_SECRET, content_type: 'json' }),
      }),
    ]);
  });

  it("accepts GitHub's example issues.opened signed by @octokit/webhooks-methods; its id is the body's hash, whatever X-GitHub-Delivery says", async () => {
    const raw = JSON.stringify(issuesOpenedExample);
    const [signature] = octokitSign(WEBHOOK_SECRET, [raw]);
    const first = await deliver(raw, signature!);
    expect(first.status).toBe(202);
    const accepted = (await first.json()) as { workflowId: string; deliveryId: string };
    expect(accepted.deliveryId).toMatch(/^sha256-[0-9a-f]{32}$/);
    // The header is not signed: a replay under a fresh delivery id is the same delivery.
    const replay = await deliver(raw, signature!, randomUUID());
    expect(replay.status).toBe(202);
    expect(await replay.json()).toMatchObject({ workflowId: accepted.workflowId, deliveryId: accepted.deliveryId, duplicate: true });
    await terminate(accepted.workflowId);

    const flowsView = (await getJson(`${system.apiUrl}/flows`)).body as Array<{ name: string; trigger: Record<string, unknown> }>;
    expect(flowsView.find((f) => f.name === 'triageOpenedIssue')!.trigger).toMatchObject({ signature: { scheme: 'hmac-sha256', header: 'x-hub-signature-256' }, deliveryId: { source: 'body-hash' } });
  });

  it('accepts every issues example GitHub publishes, and refuses a wrong secret or a changed body', async () => {
    const all = webhookExamples('issues').map((e) => JSON.stringify(e));
    expect(all.length).toBeGreaterThan(20);
    const signatures = octokitSign(WEBHOOK_SECRET, all);
    const ids: string[] = [];
    for (const [i, raw] of all.entries()) {
      const res = await deliver(raw, signatures[i]!);
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { workflowId: string }).workflowId);
    }
    await Promise.all(ids.map(terminate));
    const [wrong] = octokitSign('another-secret-entirely', [all[0]!]);
    expect((await deliver(all[0]!, wrong!)).status).toBe(401);
    expect((await deliver(all[0]!.replace('"action":', '"action": '), signatures[0]!)).status).toBe(401);
    expect((await deliver(all[0]!, '')).status).toBe(401);
  });

  it('runs the flow for a delivery: reads the issue, counts open issues page by page, comments', async () => {
    const body = {
      ...issuesOpenedExample,
      action: 'opened',
      issue: { ...issuesOpenedExample.issue, number: 3, title: 'Issue 3' },
      repository: { ...issuesOpenedExample.repository, full_name: 'octo-org/hello-world' },
    };
    const open = fake.issues.get('octo-org/hello-world')!.filter((i) => i.state === 'open').length;
    const result = await system.client.workflow.execute(triageOpenedIssue, { taskQueue, workflowId: `triageOpenedIssue/${channelId}/${randomUUID()}`, args: [{ channelId, deliveryId: 'd-1', body }] });
    expect(result).toEqual({ commentId: expect.any(Number), openIssues: open, pages: Math.ceil(open / 3) });
    expect(fake.issues.get('octo-org/hello-world')!.find((i) => i.number === 3)!.comments).toEqual([
      expect.objectContaining({ body: `Triaged "Issue 3": ${open} open issues in octo-org/hello-world.` }),
    ]);
  });

  it('removes the repository hook when the channel is disabled, and registers it again when enabled', async () => {
    const patch = (body: unknown) =>
      fetch(`${system.apiUrl}/channels/${channelId}`, { method: 'PATCH', headers: { ...authHeaders(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await patch({ enabled: false })).status).toBe(200);
    const own = () => fake.hooks.filter((h) => h.config.url.endsWith(`/${channelId}`));
    expect(own()).toEqual([]);
    expect(fake.requests.filter((r) => r.operationId === 'repos/delete-webhook')).toHaveLength(1);
    expect((await patch({ enabled: true })).status).toBe(200);
    expect(own()).toHaveLength(1);
  });
});
