/**
 * A loopback stand-in for Slack's Web API, answering in Slack's documented shapes
 * (https://api.slack.com/web): HTTP 200 with `{ ok: true, …, response_metadata: { next_cursor } }`
 * on success, HTTP 200 with `{ ok: false, error }` on failure, 429 with `Retry-After` when a tier is
 * exhausted. It checks what Slack checks: `Authorization: Bearer xoxb-…` (`not_authed` without
 * one, `invalid_auth` for another), JSON bodies (`application/json`, `missing_charset` warning as
 * Slack gives it) or form bodies for writes, query arguments for reads, required arguments
 * (`channel_not_found`, `no_text`, `message_not_found`, `users_not_found`), opaque cursors
 * (`invalid_cursor`) and page limits.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { slackOAuth, type SlackOAuth } from './slack-oauth-fake';

export interface SlackFakeRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  args: Record<string, unknown>;
}

export interface ScriptedAnswer {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface SlackFake {
  url: string;
  token: string;
  /** The Slack app whose OAuth v2 install flow it serves; the bot tokens it grants are accepted too. */
  oauth: SlackOAuth;
  requests: SlackFakeRequest[];
  /** What Slack would refuse in the install flow. */
  violations: string[];
  /** Messages by conversation id, newest last. */
  messages: Map<string, Array<{ ts: string; text: string; user?: string; bot_id?: string; type: 'message' }>>;
  /** The next calls of `method` get these answers, in order, before the real one. */
  script(method: string, ...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

const CHANNELS = [
  { id: 'C0GENERAL', name: 'general', is_channel: true, is_private: false, is_archived: false, is_member: true, num_members: 4 },
  { id: 'C0RANDOM', name: 'random', is_channel: true, is_private: false, is_archived: false, is_member: true, num_members: 4 },
  { id: 'C0RELEASES', name: 'releases', is_channel: true, is_private: false, is_archived: false, is_member: true, num_members: 2 },
  { id: 'C0OLD', name: 'old-project', is_channel: true, is_private: false, is_archived: true, is_member: false, num_members: 0 },
  { id: 'G0SECRET', name: 'leads', is_channel: false, is_group: true, is_private: true, is_archived: false, is_member: true, num_members: 2 },
];

const USERS = [
  { id: 'U0ALICE', team_id: 'T0TEAM', name: 'alice', real_name: 'Alice Doe', deleted: false, is_bot: false, profile: { email: 'alice@example.com', display_name: 'alice', real_name: 'Alice Doe' } },
  { id: 'U0BOB', team_id: 'T0TEAM', name: 'bob', real_name: 'Bob Roe', deleted: false, is_bot: false, profile: { email: 'bob@example.com', display_name: 'bob', real_name: 'Bob Roe' } },
  { id: 'U0CAROL', team_id: 'T0TEAM', name: 'carol', real_name: 'Carol Poe', deleted: true, is_bot: false, profile: { email: 'carol@example.com', display_name: 'carol', real_name: 'Carol Poe' } },
  { id: 'U0BOT', team_id: 'T0TEAM', name: 'engine', real_name: 'Engine', deleted: false, is_bot: true, profile: { display_name: 'engine', real_name: 'Engine' } },
];

// Slack's cursors are opaque base64 (`dXNlcjpVMDYxTkZUVDI=`); this one encodes an offset.
const encodeCursor = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64');
function decodeCursor(cursor: unknown): number | undefined {
  if (cursor === undefined || cursor === '') return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(String(cursor), 'base64').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSlackFake(options: { token?: string } = {}): Promise<SlackFake> {
  const token = options.token ?? 'xoxb-1111-2222-testtoken';
  const requests: SlackFakeRequest[] = [];
  const violations: string[] = [];
  const scripted = new Map<string, ScriptedAnswer[]>();
  const messages: SlackFake['messages'] = new Map(CHANNELS.map((c) => [c.id, []]));
  let clock = 1_700_000_000;
  const nextTs = () => `${++clock}.000100`;
  for (let i = 0; i < 5; i++) messages.get('C0GENERAL')!.push({ type: 'message', ts: nextTs(), text: `earlier message ${i + 1}`, user: 'U0ALICE' });

  const page = <T>(items: T[], args: Record<string, unknown>, max = 1000): { items: T[]; next_cursor: string } | { error: string } => {
    const offset = decodeCursor(args.cursor);
    if (offset === undefined) return { error: 'invalid_cursor' };
    const limit = args.limit === undefined ? 100 : Number(args.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > max) return { error: 'invalid_limit' };
    const slice = items.slice(offset, offset + limit);
    return { items: slice, next_cursor: offset + limit < items.length ? encodeCursor(offset + limit) : '' };
  };
  const findChannel = (id: unknown) => CHANNELS.find((c) => c.id === id || `#${c.name}` === id || c.name === id);

  const methods: Record<string, { http: 'GET' | 'POST'; handle: (args: Record<string, unknown>) => Record<string, unknown> }> = {
    'chat.postMessage': {
      http: 'POST',
      handle: (args) => {
        const channel = findChannel(args.channel);
        if (!channel || channel.is_archived) return { ok: false, error: channel ? 'is_archived' : 'channel_not_found' };
        if (typeof args.text !== 'string' && !Array.isArray(args.blocks)) return { ok: false, error: 'no_text' };
        const message = { type: 'message' as const, ts: nextTs(), text: String(args.text ?? ''), user: 'U0BOT', bot_id: 'B0BOT' };
        messages.get(channel.id)!.push(message);
        return { ok: true, channel: channel.id, ts: message.ts, message: { ...message, ...(args.blocks ? { blocks: args.blocks } : {}) } };
      },
    },
    'chat.update': {
      http: 'POST',
      handle: (args) => {
        const channel = findChannel(args.channel);
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const message = messages.get(channel.id)!.find((m) => m.ts === args.ts);
        if (!message) return { ok: false, error: 'message_not_found' };
        if (message.bot_id !== 'B0BOT') return { ok: false, error: 'cant_update_message' };
        message.text = String(args.text ?? '');
        return { ok: true, channel: channel.id, ts: message.ts, text: message.text, message: { text: message.text, user: 'U0BOT', bot_id: 'B0BOT' } };
      },
    },
    'conversations.list': {
      http: 'GET',
      handle: (args) => {
        const types = String(args.types ?? 'public_channel').split(',');
        const all = CHANNELS.filter((c) => (c.is_private ? types.includes('private_channel') : types.includes('public_channel'))).filter((c) => !(args.exclude_archived === 'true' && c.is_archived));
        const result = page(all, args);
        return 'error' in result ? { ok: false, error: result.error } : { ok: true, channels: result.items, response_metadata: { next_cursor: result.next_cursor } };
      },
    },
    'conversations.history': {
      http: 'GET',
      handle: (args) => {
        const channel = CHANNELS.find((c) => c.id === args.channel);
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const newestFirst = [...messages.get(channel.id)!].reverse();
        const result = page(newestFirst, args, 999);
        if ('error' in result) return { ok: false, error: result.error };
        return { ok: true, messages: result.items, has_more: result.next_cursor !== '', pin_count: 0, response_metadata: { next_cursor: result.next_cursor } };
      },
    },
    'users.list': {
      http: 'GET',
      handle: (args) => {
        const result = page(USERS, args);
        return 'error' in result ? { ok: false, error: result.error } : { ok: true, members: result.items, cache_ts: clock, response_metadata: { next_cursor: result.next_cursor } };
      },
    },
    'users.lookupByEmail': {
      http: 'GET',
      handle: (args) => {
        const user = USERS.find((u) => u.profile.email && u.profile.email === args.email);
        return user ? { ok: true, user } : { ok: false, error: 'users_not_found' };
      },
    },
  };

  const tokens = new Set([token]);
  const oauth = slackOAuth((granted) => tokens.add(granted), violations);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = await readBody(req);
      if (oauth.handle(req, res, url, text)) return;
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(body));
      };
      const name = url.pathname.replace(/^\/api\//, '').replace(/^\//, '');
      const method = methods[name];
      if (!method) return send(404, { ok: false, error: 'unknown_method' });
      const contentType = req.headers['content-type'];
      // Slack takes arguments as query parameters, a form body, or (for writes) a JSON body.
      const args: Record<string, unknown> = Object.fromEntries(url.searchParams);
      const warnings: string[] = [];
      if (text) {
        if (/^application\/json/i.test(contentType ?? '')) {
          if (!/charset=utf-8/i.test(contentType ?? '')) warnings.push('missing_charset');
          try {
            Object.assign(args, JSON.parse(text));
          } catch {
            return send(200, { ok: false, error: 'invalid_json' });
          }
        } else if (/^application\/x-www-form-urlencoded/i.test(contentType ?? '')) Object.assign(args, Object.fromEntries(new URLSearchParams(text)));
        else return send(200, { ok: false, error: 'invalid_form_data' });
      }
      requests.push({ method: req.method ?? '', path: url.pathname, authorization: req.headers.authorization, contentType, args });
      if (req.method !== method.http && !(method.http === 'GET' && req.method === 'POST')) return send(405, { ok: false, error: 'method_not_supported_for_channel_type' });
      const queue = scripted.get(name);
      const next = queue?.shift();
      if (next) return send(next.status ?? 200, next.body, next.headers);
      const auth = req.headers.authorization;
      if (!auth && args.token === undefined) return send(200, { ok: false, error: 'not_authed' });
      if (![...tokens].some((accepted) => auth === `Bearer ${accepted}`)) return send(200, { ok: false, error: 'invalid_auth' });
      const answer = method.handle(args);
      send(200, warnings.length ? { ...answer, warning: warnings.join(','), response_metadata: { ...((answer.response_metadata as object) ?? {}), warnings } } : answer);
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    token,
    oauth,
    violations,
    requests,
    messages,
    script: (method, ...answers) => scripted.set(method, [...(scripted.get(method) ?? []), ...answers]),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
