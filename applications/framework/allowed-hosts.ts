/**
 * The hosts an application pins (`allowedHosts`): where a channel's credentials may go. One rule
 * for applications written in code and imported ones: the API checks a channel's settings with it
 * (api/channels/credential-binding.ts), an import checks its document's servers and its
 * application file's URLs with it (connectors/openapi/application-file.ts).
 */

/** `*.example.com` stands for exactly one label, as in TLS certificates: `a.example.com`, not `example.com` nor `a.b.example.com`. */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => hostMatches(host, splitPattern(pattern).host));
}

function hostMatches(host: string, hostPattern: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  const pattern = hostPattern.toLowerCase();
  if (!pattern.startsWith('*.')) return name === pattern;
  const suffix = pattern.slice(1);
  const label = name.slice(0, -suffix.length);
  return name.endsWith(suffix) && label.length > 0 && !label.includes('.');
}

/** `api.example.com:8443` names a port; `[::1]` is a host alone. */
function splitPattern(pattern: string): { host: string; port: string | undefined } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(pattern);
  return match ? { host: match[1]!, port: match[2] } : { host: pattern, port: undefined };
}

/** Loopback never leaves the machine: the demo and the tests run services there, over http, on any port. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why `url` is outside the hosts `patterns` allow (`owner`'s), or undefined when it is inside: a
 * matching host, over https (so the credentials never travel in plaintext) and on the default port
 * unless a pattern names another (so another service on that host does not receive them either).
 */
export function urlRefusal(url: URL, patterns: readonly string[], owner = 'the application'): string | undefined {
  const hosts = `${owner}'s hosts (${patterns.join(', ')})`;
  const matching = patterns.map(splitPattern).filter((pattern) => hostMatches(url.hostname, pattern.host));
  if (!matching.length) return `host ${url.hostname} is not one of ${hosts}`;
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (LOOPBACK.has(host)) return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : `${url.protocol} is not http: or https:`;
  if (url.protocol !== 'https:') return `${url.protocol} is not https: credentials go to ${url.hostname} only over https`;
  const port = url.port || '443';
  if (matching.some((pattern) => (pattern.port ?? '443') === port)) return undefined;
  return `port ${port} of ${url.hostname} is not one of ${hosts}`;
}

/** The pattern that allows exactly `url`'s host and port (`api.example.com`, `api.example.com:8443`). */
export function hostPatternOf(url: URL): string {
  const defaultPort = url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '';
  return url.port && url.port !== defaultPort ? `${url.hostname}:${url.port}` : url.hostname;
}

/** A valid `allowedHosts` entry: a host name (`*.` for one label), an IPv4 or `[IPv6]` address, optionally `:port`. */
export const HOST_PATTERN = /^((\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/i;
