/**
 * A browser for the OAuth consent tests: one cookie jar, redirects not followed (each hop is
 * checked), cookies kept per host and sent where their path matches, expiry honoured. Two instances
 * are two people's browsers.
 */
import { parseSetCookie, stringifyCookie, type SetCookie } from 'cookie';
import { authHeaders, type TestSystem } from './system';

export interface Hop {
  status: number;
  location: string | undefined;
  contentType: string;
  text: string;
  setCookies: SetCookie[];
}

export class TestBrowser {
  /** Per host (ports apart, as cookies are not), each cookie with its path. */
  private readonly jar = new Map<string, Map<string, { value: string; path: string }>>();

  /** The cookies this browser holds for `url`'s host. */
  cookiesFor(url: string): Map<string, string> {
    return new Map([...(this.jar.get(new URL(url).host)?.entries() ?? [])].map(([name, cookie]) => [name, cookie.value]));
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<Hop> {
    const target = new URL(url);
    const held = this.jar.get(target.host) ?? new Map<string, { value: string; path: string }>();
    const sent = Object.fromEntries([...held].filter(([, cookie]) => target.pathname.startsWith(cookie.path)).map(([name, cookie]) => [name, cookie.value]));
    const sending: Record<string, string> = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', ...headers };
    if (Object.keys(sent).length) sending.cookie = stringifyCookie(sent);
    const res = await fetch(url, { redirect: 'manual', headers: sending });
    const setCookies = res.headers.getSetCookie().map((header) => parseSetCookie(header));
    for (const set of setCookies) {
      const expired = set.maxAge === 0 || (set.expires !== undefined && set.expires.getTime() <= Date.now());
      if (expired) held.delete(set.name);
      else held.set(set.name, { value: set.value ?? '', path: set.path ?? '/' });
    }
    this.jar.set(target.host, held);
    return { status: res.status, location: res.headers.get('location') ?? undefined, contentType: res.headers.get('content-type') ?? '', text: await res.text(), setCookies };
  }
}

/** What `POST /channels/:id/oauth/connect` is sent; without it, no body at all (the route as it always was). */
export interface ConnectOptions {
  returnTo?: string;
}

/** `POST /channels/:id/oauth/connect` with the test admin key. */
export async function connectLink(system: TestSystem, channelId: string, options?: ConnectOptions): Promise<{ status: number; url: string; expiresAt: string }> {
  const res = await fetch(`${system.apiUrl}/channels/${channelId}/oauth/connect`, {
    method: 'POST',
    headers: options ? { ...authHeaders(), 'content-type': 'application/json' } : authHeaders(),
    body: options ? JSON.stringify(options) : undefined,
  });
  const body = (await res.json()) as { url: string; expiresAt: string };
  return { status: res.status, ...body };
}

/**
 * Opens a connect link in `browser` and lets the authorization server answer: returns the
 * callback URL the provider sent the browser to, not yet visited.
 */
export async function consentUpToCallback(system: TestSystem, browser: TestBrowser, channelId: string, options?: ConnectOptions): Promise<string> {
  const link = await connectLink(system, channelId, options);
  if (link.status !== 201) throw new Error(`connect link: ${link.status}`);
  const opened = await browser.get(link.url);
  if (opened.status !== 302 || !opened.location) throw new Error(`connect link answered ${opened.status}: ${opened.text}`);
  const provider = await browser.get(opened.location);
  if (provider.status !== 302 || !provider.location?.startsWith(`${system.apiUrl}/oauth/callback?`)) throw new Error(`provider answered ${provider.status} to ${provider.location}`);
  return provider.location;
}

/** The whole consent in one browser, completed as a JSON client. */
export async function connectChannel(system: TestSystem, channelId: string, browser = new TestBrowser()): Promise<{ status: number; body: { channelId?: string; authStatus?: string } }> {
  const callback = await consentUpToCallback(system, browser, channelId);
  const done = await browser.get(callback, { accept: 'application/json' });
  return { status: done.status, body: JSON.parse(done.text) as { channelId?: string; authStatus?: string } };
}
