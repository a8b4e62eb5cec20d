/**
 * A loopback GitHub REST API for the tests: the endpoints the github application uses, in GitHub's
 * documented shapes (Link pagination, x-ratelimit-* headers, `{message, documentation_url}` error
 * bodies, installation tokens minted from an App JWT), with every request validated against
 * GitHub's own OpenAPI description (`@octokit/openapi`, api.github.com) by openapi-backend, and
 * every answer of the fake against the same document. A request GitHub would refuse, or one to an
 * operation the document does not have, is answered as GitHub would (404, 422) and recorded in
 * `violations`, so the test fails on it.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import addFormats from 'ajv-formats';
import { OpenAPIBackend, type Document, type Operation } from 'openapi-backend';
import { gitHubOAuthWebFlow, type OAuthApp } from './fake-github-oauth';

/** The operations served, by GitHub's operationId. */
const PATHS = [
  '/repos/{owner}/{repo}/issues',
  '/repos/{owner}/{repo}/issues/{issue_number}',
  '/repos/{owner}/{repo}/issues/{issue_number}/comments',
  '/user/repos',
  '/repos/{owner}/{repo}/hooks',
  '/repos/{owner}/{repo}/hooks/{hook_id}',
  '/app/installations/{installation_id}/access_tokens',
];

const DOCS = 'https://docs.github.com/rest';
const examples = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples'), 'utf8')) as Array<{ name: string; examples: Array<Record<string, any>> }>;
/** GitHub's own example deliveries of one event (`issues`: opened, edited, labeled, …), from @octokit/webhooks-examples. */
export const webhookExamples = (event: string): Array<Record<string, any>> => examples.find((e) => e.name === event)!.examples;
/** GitHub's own example of an `issues.opened` delivery: the issue, repository and user shapes the fake answers with. */
export const issuesOpenedExample = webhookExamples('issues').find((e) => e.action === 'opened')!;

let document: Document | undefined;
/** GitHub's OpenAPI description, the served paths only, OpenAPI 3.0 `nullable` without `type` made explicit for Ajv. Loaded once per test file. */
function githubDocument(): Document {
  if (document) return document;
  const full = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as Document & { paths: Record<string, unknown> };
  const paths = Object.fromEntries(PATHS.map((path) => [path, full.paths[path]]));
  document = explicitNull({ ...full, paths }) as Document;
  return document;
}

function explicitNull(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(explicitNull);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = explicitNull(value);
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable;
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  labels: string[];
  comments: Array<{ id: number; body: string }>;
}

export interface FakeHook {
  id: number;
  owner: string;
  repo: string;
  events: string[];
  config: { url: string; content_type?: string; secret?: string; insecure_ssl?: string };
  active: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  operationId: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface FakeGitHub {
  url: string;
  /** Requests (and the fake's answers) the OpenAPI document refuses. */
  violations: string[];
  requests: RecordedRequest[];
  /** `owner/repo` → issues; starts with `octo-org/hello-world` holding 7 issues. */
  issues: Map<string, FakeIssue[]>;
  hooks: FakeHook[];
  /** Personal access tokens it accepts. */
  tokens: Set<string>;
  /** The App it knows: its id, its private key (PEM, for the channel) and the installation. */
  app: { appId: string; installationId: string; privateKeyPem: string };
  /** The OAuth app whose web flow it serves (`/login/oauth/*`); the tokens it grants join `tokens`. */
  oauthApp: OAuthApp;
  /** Installation tokens minted so far. */
  minted: string[];
  /** The next `count` requests hit the primary limit: 403 with x-ratelimit-remaining 0 until `resetInSeconds`. */
  exhaustRateLimit(count: number, resetInSeconds: number): void;
  /** The next `count` requests hit a secondary limit: 403 with Retry-After. */
  secondaryRateLimit(count: number, retryAfterSeconds: number): void;
  /** The next `count` requests answer this 5xx. */
  failNext(count: number, status: number): void;
  close(): Promise<void>;
}

const REPOSITORY_ID_BASE = 1296269;

export const PERSONAL_TOKEN = 'ghp_testPersonalAccessToken0000000000000';

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const api = new OpenAPIBackend({
    definition: githubDocument(),
    quick: true,
    strict: false,
    ajvOpts: { strict: false },
    customizeAjv: (ajv) => addFormats(ajv as never) as never,
  });
  await api.init();

  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const appPublicKey: KeyObject = createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }));
  const state = {
    violations: [] as string[],
    requests: [] as RecordedRequest[],
    issues: new Map<string, FakeIssue[]>(),
    hooks: [] as FakeHook[],
    tokens: new Set([PERSONAL_TOKEN]),
    minted: [] as string[],
    primary: { count: 0, resetInSeconds: 0 },
    secondary: { count: 0, retryAfterSeconds: 0 },
    failures: { count: 0, status: 502 },
    nextId: 1000,
    remaining: 5000,
  };
  const app = { appId: '123456', installationId: '42', privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  state.issues.set(
    'octo-org/hello-world',
    Array.from({ length: 7 }, (_, i) => ({
      number: i + 1,
      title: `Issue ${i + 1}`,
      body: `Body ${i + 1}`,
      state: i === 6 ? ('closed' as const) : ('open' as const),
      labels: i % 2 ? ['bug'] : [],
      comments: [],
    })),
  );

  let origin = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        state.violations.push(`fake crashed: ${(err as Error).stack}`);
        send(res, 500, { message: 'Server Error' });
      }
    });
  });

  function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}, operation?: Operation): void {
    if (operation && body !== undefined) {
      const checked = api.validateResponse(body, operation, status);
      if (checked.errors?.length) state.violations.push(`fake's ${status} answer to ${operation.operationId} breaks GitHub's schema: ${JSON.stringify(checked.errors.slice(0, 3))}`);
    }
    state.remaining = Math.max(0, state.remaining - 1);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(state.remaining),
      'x-ratelimit-used': String(5000 - state.remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
      ...headers,
    });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  const error = (res: ServerResponse, status: number, message: string, doc: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    send(res, status, { message, documentation_url: `${DOCS}${doc}`, status: String(status), ...extra }, headers);

  const oauthWebFlow = gitHubOAuthWebFlow((token) => state.tokens.add(token), state.violations);

  function handle(req: IncomingMessage, res: ServerResponse, text: string): void {
    const url = new URL(req.url ?? '/', origin);
    // github.com's web flow, served on the same origin as the API (the application derives it from the base URL).
    if (oauthWebFlow.handle(req, res, url, text)) return;
    // GitHub's next links for a repository's issues name the repository by id
    // (`/repositories/1296269/issues?page=2`), a path its OpenAPI document does not list: it is
    // the documented operation under another name, validated as that one.
    const byId = /^\/repositories\/(\d+)\/issues$/.exec(url.pathname);
    if (byId) {
      const fullName = [...state.issues.keys()].sort()[Number(byId[1]) - REPOSITORY_ID_BASE];
      if (fullName) url.pathname = `/repos/${fullName}/issues`;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        return error(res, 400, 'Problems parsing JSON', '');
      }
    }
    const request = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers as Record<string, string>, body };
    const operation = api.matchOperation(request);
    state.requests.push({ method, path: req.url ?? '', operationId: operation?.operationId, headers: req.headers, body });
    if (!operation) {
      state.violations.push(`${method} ${url.pathname}: no such operation in GitHub's OpenAPI document`);
      return error(res, 404, 'Not Found', '');
    }
    const checked = api.validateRequest(request, operation);
    if (!checked.valid) {
      state.violations.push(`${method} ${url.pathname} (${operation.operationId}) refused by GitHub's OpenAPI document: ${JSON.stringify(checked.errors)}`);
      return error(res, 422, 'Validation Failed', '', { errors: checked.errors });
    }
    if (req.headers['x-github-api-version'] !== '2022-11-28') {
      state.violations.push(`${method} ${url.pathname}: X-GitHub-Api-Version ${String(req.headers['x-github-api-version'])}`);
      return error(res, 400, `API version '${String(req.headers['x-github-api-version'])}' is not supported.`, '/overview/api-versions');
    }
    if (!String(req.headers.accept ?? '').includes('application/vnd.github+json')) state.violations.push(`${method} ${url.pathname}: Accept ${String(req.headers.accept)}`);

    if (operation.operationId === 'apps/create-installation-access-token') return mintInstallationToken(res, req, url, operation);

    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!token || !(state.tokens.has(token) || state.minted.includes(token))) return error(res, 401, 'Bad credentials', '');

    if (state.failures.count > 0) {
      state.failures.count -= 1;
      return error(res, state.failures.status, 'Server Error', '');
    }
    if (state.primary.count > 0) {
      state.primary.count -= 1;
      return error(
        res,
        403,
        'API rate limit exceeded for user ID 1.',
        '/overview/rate-limits-for-the-rest-api',
        {},
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + state.primary.resetInSeconds) },
      );
    }
    if (state.secondary.count > 0) {
      state.secondary.count -= 1;
      return error(
        res,
        403,
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        '/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        {},
        { 'retry-after': String(state.secondary.retryAfterSeconds) },
      );
    }

    const params = operation.operationId ? (api.router.parseRequest(request, operation).params as Record<string, string>) : {};
    const repoKey = `${params.owner}/${params.repo}`;
    const issues = state.issues.get(repoKey);
    switch (operation.operationId) {
      case 'issues/list-for-repo': {
        if (!issues) return error(res, 404, 'Not Found', '/issues/issues#list-repository-issues');
        const wanted = url.searchParams.get('state') ?? 'open';
        const labels = url.searchParams.get('labels')?.split(',');
        const all = issues.filter((i) => (wanted === 'all' || i.state === wanted) && (!labels || labels.every((l) => i.labels.includes(l)))).sort((a, b) => b.number - a.number);
        return page(
          res,
          url,
          all.map((i) => issueJson(repoKey, i)),
          operation,
        );
      }
      case 'issues/get': {
        const issue = issues?.find((i) => i.number === Number(params.issue_number));
        if (!issue) return error(res, 404, 'Not Found', '/issues/issues#get-an-issue');
        return send(res, 200, issueJson(repoKey, issue), {}, operation);
      }
      case 'issues/create': {
        if (!issues) return error(res, 404, 'Not Found', '/issues/issues#create-an-issue');
        const input = body as { title: string; body?: string; labels?: string[] };
        const issue: FakeIssue = { number: issues.length + 1, title: String(input.title), body: input.body ?? null, state: 'open', labels: input.labels ?? [], comments: [] };
        issues.push(issue);
        return send(res, 201, issueJson(repoKey, issue), { location: `${origin}/repos/${repoKey}/issues/${issue.number}` }, operation);
      }
      case 'issues/create-comment': {
        const issue = issues?.find((i) => i.number === Number(params.issue_number));
        if (!issue) return error(res, 404, 'Not Found', '/issues/comments#create-an-issue-comment');
        const comment = { id: (state.nextId += 1), body: (body as { body: string }).body };
        issue.comments.push(comment);
        return send(res, 201, commentJson(repoKey, issue, comment), {}, operation);
      }
      case 'repos/list-for-authenticated-user': {
        if (state.minted.includes(token)) return error(res, 403, 'Resource not accessible by integration', '/repos/repos#list-repositories-for-the-authenticated-user');
        const repos = [...state.issues.keys()].sort().map((fullName) => repositoryJson(fullName, repositoryId(fullName)));
        return page(res, url, repos, operation);
      }
      case 'repos/create-webhook': {
        if (!issues) return error(res, 404, 'Not Found', '/repos/webhooks#create-a-repository-webhook');
        const input = body as { events?: string[]; active?: boolean; config: FakeHook['config'] };
        if (state.hooks.some((h) => `${h.owner}/${h.repo}` === repoKey && h.config.url === input.config.url)) {
          return error(res, 422, 'Validation Failed', '/repos/webhooks#create-a-repository-webhook', {
            errors: [{ resource: 'Hook', code: 'custom', message: 'Hook already exists on this repository' }],
          });
        }
        const hook: FakeHook = { id: (state.nextId += 1), owner: params.owner!, repo: params.repo!, events: input.events ?? ['push'], config: input.config, active: input.active ?? true };
        state.hooks.push(hook);
        return send(res, 201, hookJson(hook), {}, operation);
      }
      case 'repos/delete-webhook': {
        const at = state.hooks.findIndex((h) => `${h.owner}/${h.repo}` === repoKey && h.id === Number(params.hook_id));
        if (at < 0) return error(res, 404, 'Not Found', '/repos/webhooks#delete-a-repository-webhook');
        state.hooks.splice(at, 1);
        return send(res, 204);
      }
      default:
        state.violations.push(`${method} ${url.pathname}: ${operation.operationId} is in the document but the fake does not serve it`);
        return error(res, 404, 'Not Found', '');
    }
  }

  /** GitHub's pagination: `per_page` (default 30, at most 100), `page`, and a Link header with next, last, first and prev. */
  function page(res: ServerResponse, url: URL, items: unknown[], operation: Operation): void {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
    const current = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string) => {
      const target = new URL(url.pathname + url.search, origin);
      const issuesOf = /^\/repos\/([^/]+\/[^/]+)\/issues$/.exec(url.pathname);
      if (issuesOf) target.pathname = `/repositories/${repositoryId(issuesOf[1]!)}/issues`;
      target.searchParams.set('page', String(n));
      return `<${target}>; rel="${rel}"`;
    };
    const links = [...(current > 1 ? [link(current - 1, 'prev'), link(1, 'first')] : []), ...(current < last ? [link(current + 1, 'next'), link(last, 'last')] : [])];
    send(res, 200, items.slice((current - 1) * perPage, current * perPage), links.length ? { link: links.join(', ') } : {}, operation);
  }

  function mintInstallationToken(res: ServerResponse, req: IncomingMessage, url: URL, operation: Operation): void {
    const jwt = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    const refusal = checkAppJwt(jwt, app.appId, appPublicKey);
    if (refusal) return error(res, 401, refusal, '/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app');
    if (!url.pathname.endsWith(`/app/installations/${app.installationId}/access_tokens`)) return error(res, 404, 'Not Found', '/apps/apps#create-an-installation-access-token-for-an-app');
    const token = `ghs_${randomBytes(18).toString('base64url')}`;
    state.minted.push(token);
    const expiresAt = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    send(res, 201, { token, expires_at: expiresAt, permissions: { issues: 'write', metadata: 'read' }, repository_selection: 'all' }, {}, operation);
  }

  const repositoryId = (fullName: string) => REPOSITORY_ID_BASE + [...state.issues.keys()].sort().indexOf(fullName);

  const user = issuesOpenedExample.issue.user as Record<string, unknown>;
  function issueJson(repoKey: string, issue: FakeIssue): Record<string, unknown> {
    const template = issuesOpenedExample.issue as Record<string, unknown>;
    const api = `${origin}/repos/${repoKey}/issues/${issue.number}`;
    return {
      ...template,
      url: api,
      repository_url: `${origin}/repos/${repoKey}`,
      labels_url: `${api}/labels{/name}`,
      comments_url: `${api}/comments`,
      events_url: `${api}/events`,
      html_url: `https://github.com/${repoKey}/issues/${issue.number}`,
      id: 1_000_000 + issue.number,
      node_id: `I_kwDO${issue.number}`,
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      labels: issue.labels.map((name, i) => ({ id: 200 + i, node_id: `LA_${i}`, url: `${origin}/repos/${repoKey}/labels/${name}`, name, color: 'd73a4a', default: true, description: null })),
      comments: issue.comments.length,
      closed_at: issue.state === 'closed' ? template.created_at : null,
    };
  }

  function commentJson(repoKey: string, issue: FakeIssue, comment: { id: number; body: string }): Record<string, unknown> {
    return {
      id: comment.id,
      node_id: `IC_${comment.id}`,
      url: `${origin}/repos/${repoKey}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${repoKey}/issues/${issue.number}#issuecomment-${comment.id}`,
      issue_url: `${origin}/repos/${repoKey}/issues/${issue.number}`,
      body: comment.body,
      user,
      created_at: '2026-11-30T10:00:00Z',
      updated_at: '2026-11-30T10:00:00Z',
      author_association: 'OWNER',
    };
  }

  function repositoryJson(fullName: string, id: number): Record<string, unknown> {
    const template = issuesOpenedExample.repository as Record<string, unknown>;
    const [owner, name] = fullName.split('/');
    return { ...template, id, node_id: `R_${id}`, name, full_name: fullName, owner: { ...user, login: owner }, html_url: `https://github.com/${fullName}`, url: `${origin}/repos/${fullName}` };
  }

  function hookJson(hook: FakeHook): Record<string, unknown> {
    const base = `${origin}/repos/${hook.owner}/${hook.repo}/hooks/${hook.id}`;
    return {
      type: 'Repository',
      id: hook.id,
      name: 'web',
      active: hook.active,
      events: hook.events,
      // GitHub never answers with the secret itself.
      config: { url: hook.config.url, content_type: hook.config.content_type ?? 'form', insecure_ssl: hook.config.insecure_ssl ?? '0', ...(hook.config.secret ? { secret: '********' } : {}) },
      updated_at: '2026-11-30T10:00:00Z',
      created_at: '2026-11-30T10:00:00Z',
      url: base,
      test_url: `${base}/test`,
      ping_url: `${base}/pings`,
      deliveries_url: `${base}/deliveries`,
      last_response: { code: null, status: 'unused', message: null },
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    violations: state.violations,
    requests: state.requests,
    issues: state.issues,
    hooks: state.hooks,
    tokens: state.tokens,
    app,
    oauthApp: oauthWebFlow.app,
    minted: state.minted,
    exhaustRateLimit: (count, resetInSeconds) => void (state.primary = { count, resetInSeconds }),
    secondaryRateLimit: (count, retryAfterSeconds) => void (state.secondary = { count, retryAfterSeconds }),
    failNext: (count, status) => void (state.failures = { count, status }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * GitHub's checks of an App JWT: RS256 signed by the App's key, issued by the App, not expired,
 * lasting at most 10 minutes. Returns GitHub's message for a refused one.
 */
export function checkAppJwt(jwt: string, appId: string, publicKey: KeyObject, now: number = Date.now()): string | undefined {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return 'A JSON web token could not be decoded';
  const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string };
  if (head.alg !== 'RS256') return "'alg' must be RS256";
  if (!verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))) return 'A JSON web token could not be decoded';
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iat?: number; exp?: number; iss?: unknown };
  const seconds = Math.floor(now / 1000);
  if (String(claims.iss) !== appId) return "'Issuer' claim ('iss') must be an Integer";
  if (typeof claims.iat !== 'number' || claims.iat > seconds + 60) return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
  if (typeof claims.exp !== 'number' || claims.exp <= seconds) return "'Expiration time' claim ('exp') must be a numeric value representing the future time";
  if (claims.exp - claims.iat > 600) return "'Expiration time' claim ('exp') is too far in the future";
  return undefined;
}
