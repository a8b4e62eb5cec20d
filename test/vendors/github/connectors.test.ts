/**
 * The github application's connectors against the loopback GitHub (fake-github.ts), whose every
 * request is checked against GitHub's OpenAPI description: auth (personal token, App installation
 * token minted from a JWT), Link pagination, rate limits and GitHub's error bodies.
 */
import { createPublicKey } from 'node:crypto';
import github from '../../../connectors/github';
import { appJwt } from '../../../connectors/github/app-token';
import { github as githubApp, GITHUB_API_VERSION, hookIdOf } from '../../../connectors/github/application';
import { NonRetryableConnectorError, RateLimitedConnectorError, RetryableConnectorError } from '../../../connectors/framework/errors';
import { executeConnector, executeConnectorPage } from '../../../connectors/framework/execute';
import { errorForStatus } from '../../../connectors/framework/evaluate';
import { evaluateGitHub } from '../../../connectors/github/errors';
import { checkAppJwt, PERSONAL_TOKEN, startFakeGitHub, type FakeGitHub } from './fake-github';

let fake: FakeGitHub;
beforeAll(async () => {
  fake = await startFakeGitHub();
});
afterAll(async () => {
  await fake?.close();
});
afterEach(() => {
  // A request GitHub's OpenAPI document refuses fails the test that made it.
  expect(fake.violations).toEqual([]);
  fake.violations.length = 0;
});

const { connectors } = github;
const errorForStatusOf = (response: Parameters<typeof errorForStatus>[1]) => {
  throw errorForStatus('github.test', response);
};
const tokenChannel = () => ({ id: 'gh-token', settings: { baseUrl: fake.url }, credentials: { token: PERSONAL_TOKEN } });
const appChannel = (id = 'gh-app') => ({ id, settings: { baseUrl: fake.url }, credentials: { appId: fake.app.appId, installationId: fake.app.installationId, privateKey: fake.app.privateKeyPem } });

describe('github connectors with a personal access token', () => {
  it('lists issues page by page through the Link header, with GitHub headers', async () => {
    const numbers: number[] = [];
    let page = await executeConnectorPage(connectors.listRepositoryIssues, tokenChannel(), { owner: 'octo-org', repo: 'hello-world', perPage: 2 }, undefined);
    numbers.push(...(page.output as Array<{ number: number }>).map((i) => i.number));
    let pages = 1;
    while (page.next) {
      page = await executeConnectorPage(connectors.listRepositoryIssues, tokenChannel(), undefined, page.next);
      numbers.push(...(page.output as Array<{ number: number }>).map((i) => i.number));
      pages += 1;
    }
    expect(numbers).toEqual([6, 5, 4, 3, 2, 1]);
    expect(pages).toBe(3);
    const sent = fake.requests.filter((r) => r.operationId === 'issues/list-for-repo');
    expect(sent.map((r) => r.path)).toEqual([
      '/repos/octo-org/hello-world/issues?state=open&sort=created&direction=desc&per_page=2',
      // GitHub's next links name the repository by id, as api.github.com's do.
      '/repositories/1296269/issues?state=open&sort=created&direction=desc&per_page=2&page=2',
      '/repositories/1296269/issues?state=open&sort=created&direction=desc&per_page=2&page=3',
    ]);
    expect(sent[0]!.headers).toMatchObject({ authorization: `Bearer ${PERSONAL_TOKEN}`, accept: 'application/vnd.github+json', 'x-github-api-version': GITHUB_API_VERSION });
  });

  it('gets, creates and comments on issues; lists repositories', async () => {
    const issue = (await executeConnector(connectors.getIssue, tokenChannel(), { owner: 'octo-org', repo: 'hello-world', issueNumber: 2 })) as Record<string, unknown>;
    expect(issue).toMatchObject({ number: 2, title: 'Issue 2', state: 'open', labels: ['bug'], user: { login: expect.any(String) } });

    const created = (await executeConnector(connectors.createIssue, tokenChannel(), { owner: 'octo-org', repo: 'hello-world', title: 'Found a bug', body: 'Steps…', labels: ['bug'] })) as {
      number: number;
    };
    expect(created).toMatchObject({ title: 'Found a bug', labels: ['bug'], state: 'open' });
    const comment = await executeConnector(connectors.createIssueComment, tokenChannel(), { owner: 'octo-org', repo: 'hello-world', issueNumber: created.number, body: 'Thanks!' });
    expect(comment).toMatchObject({ body: 'Thanks!', html_url: expect.stringContaining(`/issues/${created.number}#issuecomment-`) });
    expect(fake.issues.get('octo-org/hello-world')!.find((i) => i.number === created.number)!.comments).toEqual([expect.objectContaining({ body: 'Thanks!' })]);

    const repos = await executeConnector(connectors.listRepositories, tokenChannel(), { perPage: 100 });
    expect(repos).toEqual([expect.objectContaining({ full_name: 'octo-org/hello-world', private: false })]);
  });

  it('creates and deletes a repository hook', async () => {
    const hook = (await executeConnector(connectors.createRepositoryWebhook, tokenChannel(), {
      owner: 'octo-org',
      repo: 'hello-world',
      url: 'https://engine.example.com/webhooks/x',
      events: ['issues'],
      secret: 'shh-secret',
    })) as {
      id: number;
      url: string;
    };
    expect(fake.hooks).toEqual([
      expect.objectContaining({ id: hook.id, events: ['issues'], config: expect.objectContaining({ url: 'https://engine.example.com/webhooks/x', secret: 'shh-secret', content_type: 'json' }) }),
    ]);
    expect(hookIdOf(hook)).toBe(`octo-org/hello-world/hooks/${hook.id}`);
    await expect(executeConnector(connectors.deleteRepositoryWebhook, tokenChannel(), { owner: 'octo-org', repo: 'hello-world', hookId: hook.id })).resolves.toEqual({ deleted: true });
    expect(fake.hooks).toEqual([]);
  });

  it("answers 404 and 401 as final errors carrying GitHub's message, 5xx as retryable", async () => {
    const missing = await executeConnector(connectors.getIssue, tokenChannel(), { owner: 'octo-org', repo: 'hello-world', issueNumber: 999 }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NonRetryableConnectorError);
    expect((missing as Error).message).toMatch(/github\.getIssue: HTTP 404: .*"message":"Not Found","documentation_url":"https:\/\/docs\.github\.com\/rest\/issues\/issues#get-an-issue"/);
    const refused = await executeConnector(connectors.getIssue, { ...tokenChannel(), credentials: { token: 'ghp_wrong' } }, { owner: 'octo-org', repo: 'hello-world', issueNumber: 1 }).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ status: 401, errorClass: 'non-retryable' });
    fake.failNext(1, 502);
    await expect(executeConnector(connectors.getIssue, tokenChannel(), { owner: 'octo-org', repo: 'hello-world', issueNumber: 1 })).rejects.toBeInstanceOf(RetryableConnectorError);
  });

  it('reads a 403 with x-ratelimit-remaining: 0 as a rate limit until x-ratelimit-reset, and a secondary limit by Retry-After', async () => {
    fake.exhaustRateLimit(1, 120);
    const primary = await executeConnector(connectors.getIssue, tokenChannel(), { owner: 'octo-org', repo: 'hello-world', issueNumber: 1 }).catch((e: unknown) => e);
    expect(primary).toBeInstanceOf(RateLimitedConnectorError);
    expect((primary as RateLimitedConnectorError).status).toBe(403);
    expect((primary as RateLimitedConnectorError).retryAfterMs).toBeGreaterThan(115_000);
    expect((primary as RateLimitedConnectorError).retryAfterMs).toBeLessThanOrEqual(121_000);
    expect((primary as Error).message).toContain('API rate limit exceeded');

    fake.secondaryRateLimit(1, 30);
    const secondary = await executeConnector(connectors.createIssue, tokenChannel(), { owner: 'octo-org', repo: 'hello-world', title: 'x' }).catch((e: unknown) => e);
    expect(secondary).toBeInstanceOf(RateLimitedConnectorError);
    expect((secondary as RateLimitedConnectorError).retryAfterMs).toBe(30_000);
    expect((secondary as Error).message).toContain('secondary rate limit');
  });

  it('reads GitHub answers without the fake: 429 without Retry-After waits a minute, a 5xx with Retry-After waits that, a plain 403 is final', () => {
    const evaluate = evaluateGitHub('github.test');
    const answer = (status: number, headers: Record<string, string>, message = 'x') => ({
      status,
      headers: new Headers({ 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3000), ...headers }),
      body: { message },
      text: JSON.stringify({ message }),
    });
    const outcome = (response: ReturnType<typeof answer>) => {
      try {
        return evaluate(response, () => errorForStatusOf(response));
      } catch (err) {
        return err;
      }
    };
    expect(outcome(answer(429, {}))).toMatchObject({ errorClass: 'rate-limited', retryAfterMs: 60_000 });
    expect(outcome(answer(503, { 'retry-after': '5' }))).toMatchObject({ errorClass: 'rate-limited', retryAfterMs: 5_000 });
    expect(outcome(answer(500, {}))).toMatchObject({ errorClass: 'retryable', status: 500 });
    expect(outcome(answer(403, {}, 'Resource not accessible by integration'))).toMatchObject({ errorClass: 'non-retryable', status: 403 });
    expect(outcome(answer(422, {}, 'Validation Failed'))).toMatchObject({ errorClass: 'non-retryable', status: 422 });
  });

  it('refuses a request GitHub would refuse before the fake serves it (the OpenAPI check itself)', async () => {
    const res = await fetch(`${fake.url}/repos/octo-org/hello-world/issues`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PERSONAL_TOKEN}`, accept: 'application/vnd.github+json', 'x-github-api-version': GITHUB_API_VERSION, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'no title' }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ message: 'Validation Failed' });
    expect(fake.violations).toEqual([expect.stringContaining("must have required property 'title'")]);
    fake.violations.length = 0;
  });
});

describe('github connectors as a GitHub App installation', () => {
  it('signs an RS256 JWT the fake verifies with the public key', () => {
    const jwt = appJwt(fake.app.appId, fake.app.privateKeyPem);
    const publicKey = createPublicKey(fake.app.privateKeyPem);
    expect(checkAppJwt(jwt, fake.app.appId, publicKey)).toBeUndefined();
    expect(checkAppJwt(jwt, '999', publicKey)).toMatch(/Issuer/);
    expect(checkAppJwt(`${jwt.slice(0, -4)}AAAA`, fake.app.appId, publicKey)).toMatch(/could not be decoded/);
    // Ten minutes old: expired.
    expect(checkAppJwt(appJwt(fake.app.appId, fake.app.privateKeyPem, Date.now() - 11 * 60_000), fake.app.appId, publicKey)).toMatch(/Expiration/);
  });

  it('mints an installation token at POST /app/installations/{id}/access_tokens once, and reuses it', async () => {
    const before = fake.minted.length;
    await executeConnector(connectors.getIssue, appChannel(), { owner: 'octo-org', repo: 'hello-world', issueNumber: 1 });
    await Promise.all([1, 2, 3].map((n) => executeConnector(connectors.getIssue, appChannel(), { owner: 'octo-org', repo: 'hello-world', issueNumber: n })));
    expect(fake.minted.length).toBe(before + 1);
    const mint = fake.requests.filter((r) => r.operationId === 'apps/create-installation-access-token').at(-1)!;
    expect(mint.path).toBe(`/app/installations/${fake.app.installationId}/access_tokens`);
    expect(mint.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const calls = fake.requests.filter((r) => r.operationId === 'issues/get').slice(-4);
    for (const call of calls) expect(call.headers.authorization).toBe(`Bearer ${fake.minted.at(-1)}`);
  });

  it('fails without retries when GitHub refuses the JWT (wrong App id)', async () => {
    const channel = appChannel('gh-app-wrong');
    const err = await executeConnector(connectors.getIssue, { ...channel, credentials: { ...channel.credentials, appId: '999' } }, { owner: 'octo-org', repo: 'hello-world', issueNumber: 1 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NonRetryableConnectorError);
    expect((err as Error).message).toMatch(/installation token: HTTP 401/);
  });

  it('refuses credentials that mix a token and App fields, or give half of the App', () => {
    expect(githubApp.credentials.safeParse({ token: 'x', appId: '1' }).success).toBe(false);
    expect(githubApp.credentials.safeParse({ appId: '1', installationId: '2' }).success).toBe(false);
    expect(githubApp.credentials.safeParse({ appId: '1', installationId: '2', privateKey: 'pem' }).success).toBe(true);
    expect(githubApp.credentials.safeParse({ appId: 'Iv23liAbCdEf0123', installationId: '2', privateKey: 'pem' }).success).toBe(true);
    expect(githubApp.credentials.safeParse({ appId: 'not an id', installationId: '2', privateKey: 'pem' }).success).toBe(false);
    expect(githubApp.settings.parse({})).toEqual({ baseUrl: 'https://api.github.com', apiVersion: GITHUB_API_VERSION, webhookEvents: ['issues'] });
  });
});
