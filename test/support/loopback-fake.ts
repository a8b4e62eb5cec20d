/**
 * A loopback HTTP server standing in for a remote service, for tests of connectors and flows
 * (what `npm run new` scaffolds uses it). A test names the endpoints it expects, with their
 * answers in the vendor's shapes; every request is recorded as it arrived, and a request to an
 * endpoint nobody named gets a 404 and is kept in `unmatched`, so a connector that calls the wrong
 * path fails its test instead of passing on a default answer.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  /** Without the query. */
  path: string;
  query: Record<string, string | string[]>;
  headers: IncomingHttpHeaders;
  /** JSON bodies parsed, form bodies as an object, anything else as text; undefined without a body. */
  body: unknown;
  text: string;
}

export interface FakeAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON (a string as it is). */
  body?: unknown;
}

/** `params` holds the path's `:name` segments, decoded. */
export type FakeHandler = (request: FakeRequest & { params: Record<string, string> }) => FakeAnswer | Promise<FakeAnswer>;

export interface LoopbackFakeOptions {
  /** Checked before any route: an answer refuses the request (e.g. 401 for a missing token), undefined lets it through. */
  authorize?: (request: FakeRequest) => FakeAnswer | undefined;
}

export interface LoopbackFake {
  url: string;
  requests: FakeRequest[];
  /** Requests no route matched (each was answered 404). */
  unmatched: FakeRequest[];
  /** `'GET /items/:id'`: the answer, or a handler computing it. A later route for the same endpoint replaces the earlier one. */
  route(endpoint: string, answer: FakeAnswer | FakeHandler): void;
  /** Answers what no route matches, instead of the 404 (e.g. from the vendor's OpenAPI document); `params` is empty. */
  otherwise(handler: FakeHandler): void;
  close(): Promise<void>;
}

interface Route {
  method: string;
  pattern: RegExp;
  params: string[];
  handler: FakeHandler;
}

function compile(endpoint: string, answer: FakeAnswer | FakeHandler): Route & { key: string } {
  const match = /^([A-Z]+) (\/\S*)$/.exec(endpoint);
  if (!match) throw new Error(`route "${endpoint}" must be "METHOD /path", e.g. "GET /items/:id"`);
  const [, method, path] = match as unknown as [string, string, string];
  const params: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { key: `${method} ${path}`, method, pattern: new RegExp(`^${source}$`), params, handler: typeof answer === 'function' ? answer : () => answer };
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('json')) return JSON.parse(text);
  if (contentType?.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  return text;
}

async function read(req: IncomingMessage): Promise<FakeRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    query[name] = values.length === 1 ? values[0]! : values;
  }
  return { method: req.method ?? 'GET', path: url.pathname, query, headers: req.headers, body: parseBody(text, req.headers['content-type']), text };
}

export async function startLoopbackFake(options: LoopbackFakeOptions = {}): Promise<LoopbackFake> {
  const routes = new Map<string, Route>();
  const requests: FakeRequest[] = [];
  const unmatched: FakeRequest[] = [];
  let fallback: FakeHandler | undefined;
  const server: Server = createServer((req, res) => {
    void (async () => {
      let answer: FakeAnswer;
      try {
        const request = await read(req);
        requests.push(request);
        answer = options.authorize?.(request) ?? (await dispatch(request));
      } catch (err) {
        answer = { status: 500, body: { error: `the fake failed: ${(err as Error).message}` } };
      }
      const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status ?? 200, { ...(answer.body !== undefined && typeof answer.body !== 'string' ? { 'content-type': 'application/json' } : {}), ...answer.headers });
      res.end(body);
    })();
  });

  async function dispatch(request: FakeRequest): Promise<FakeAnswer> {
    for (const route of routes.values()) {
      const found = route.method === request.method ? route.pattern.exec(request.path) : null;
      if (!found) continue;
      const params = Object.fromEntries(route.params.map((name, i) => [name, decodeURIComponent(found[i + 1]!)]));
      return route.handler({ ...request, params });
    }
    if (fallback) return fallback({ ...request, params: {} });
    unmatched.push(request);
    return { status: 404, body: { error: `no route for ${request.method} ${request.path} in the fake` } };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unmatched,
    route(endpoint, answer) {
      const { key, ...route } = compile(endpoint, answer);
      routes.set(key, route);
    },
    otherwise(handler) {
      fallback = handler;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
