/**
 * What the API's security depends on, read from the environment in one place: the bootstrap key,
 * the Host names the deployment owns, whether the docs are public, the codec token, edge rate
 * limits. Tests build it directly.
 */
import { networkInterfaces } from 'node:os';
import { parseRateLimit, type RateLimit } from './rate-limit-config';
import type { Env } from '../../runtime/config/environment';

export interface SecurityConfig {
  /** ENGINE_API_KEY: an admin key that lives outside the store (bootstrap, CI). */
  bootstrapKey?: string;
  /** ADMIN_PORT is set: management routes are served only on that listener, PORT serves the public ones. */
  separateAdminListener: boolean;
  /** Host names management routes answer to (besides PUBLIC_URL's, which is always included). */
  allowedHosts: readonly string[];
  /** False (DOCS_PUBLIC=false): /docs and /docs-json need a key. */
  docsPublic: boolean;
  /** CODEC_AUTH_TOKEN: a token good for the codec routes only (what the Web UI or CLI is given). */
  codecToken?: string;
  rateLimits: { perSource: RateLimit; perKey: RateLimit; webhookPerChannel: RateLimit };
  /**
   * TRUST_PROXY, Express's `trust proxy` (a hop count, or the proxies' addresses/subnets): behind
   * a reverse proxy, the client's address (per-source rate limits) comes from X-Forwarded-For.
   */
  trustProxy?: number | string;
  /**
   * APPLICATION_HOSTS: hosts the operator adds to an application's `allowedHosts` (GitHub
   * Enterprise, a vendor's regional host), by application name. Only the deployment can widen a
   * pin: an API key cannot, so a channel's secrets still go only where the operator agreed.
   */
  applicationHosts: Readonly<Record<string, readonly string[]>>;
}

export const DEFAULT_RATE_LIMITS: SecurityConfig['rateLimits'] = {
  perSource: { limit: 1_000, windowMs: 10_000 },
  perKey: { limit: 600, windowMs: 60_000 },
  webhookPerChannel: { limit: 1_000, windowMs: 10_000 },
};

export function securityFromEnv(listeners: { host: string; adminHost?: string; adminPort?: number }, env: Env): SecurityConfig {
  // An admin key someone can guess is no key: as long as a generated one (eng_ + 43 characters) or near it.
  for (const variable of ['ENGINE_API_KEY', 'CODEC_AUTH_TOKEN'] as const) {
    const value = env[variable];
    if (value && value.length < 32) throw new Error(`${variable} must be at least 32 characters (generate one with \`npm run api-key -- generate\`)`);
  }
  return {
    bootstrapKey: env.ENGINE_API_KEY || undefined,
    separateAdminListener: listeners.adminPort !== undefined,
    allowedHosts: [...bindHosts(listeners.host), ...(listeners.adminHost ? bindHosts(listeners.adminHost) : []), ...list(env.ALLOWED_HOSTS)],
    docsPublic: env.DOCS_PUBLIC !== 'false',
    codecToken: env.CODEC_AUTH_TOKEN || undefined,
    trustProxy: trustProxyOf(env.TRUST_PROXY),
    applicationHosts: applicationHostsOf(env.APPLICATION_HOSTS),
    rateLimits: {
      perKey: parseRateLimit('API_RATE_LIMIT_PER_KEY', env.API_RATE_LIMIT_PER_KEY) ?? DEFAULT_RATE_LIMITS.perKey,
      perSource: parseRateLimit('API_RATE_LIMIT_PER_SOURCE', env.API_RATE_LIMIT_PER_SOURCE) ?? DEFAULT_RATE_LIMITS.perSource,
      webhookPerChannel: parseRateLimit('WEBHOOK_RATE_LIMIT_PER_CHANNEL', env.WEBHOOK_RATE_LIMIT_PER_CHANNEL) ?? DEFAULT_RATE_LIMITS.webhookPerChannel,
    },
  };
}

/**
 * The names a listener is reached by. Loopback also answers to `localhost` (no attacker can make
 * that name resolve elsewhere for the victim); a wildcard bind to this machine's own addresses.
 */
export function bindHosts(host: string): string[] {
  if (host === '0.0.0.0' || host === '::') {
    const addresses = Object.values(networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
    return [...addresses, 'localhost'];
  }
  if (host === '127.0.0.1' || host === '::1' || host === 'localhost') return [host, 'localhost', '127.0.0.1', '::1'];
  return [host];
}

function trustProxyOf(value: string | undefined): SecurityConfig['trustProxy'] {
  if (value === undefined || value === '' || value === 'false') return undefined;
  // `true` takes the leftmost X-Forwarded-For entry, which the client writes: per-source limits
  // would then count whatever address an attacker claims.
  if (value === 'true') throw new Error('TRUST_PROXY=true would trust any X-Forwarded-For a client sends; give the number of proxies in front (e.g. 1) or their addresses/subnets');
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** `github=ghe.example.com,github=api.acme.ghe.com` → `{ github: ['ghe.example.com', 'api.acme.ghe.com'] }`. */
export function applicationHostsOf(value: string | undefined): Record<string, string[]> {
  const hosts: Record<string, string[]> = {};
  for (const item of list(value)) {
    // A host of two labels at least, a wildcard only in front of two more: never `*.com`.
    const match = /^([a-z][a-z0-9-]*(?:@v\d+)?)=((?:\*\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?)$/.exec(item);
    if (!match) throw new Error(`APPLICATION_HOSTS: "${item}" is not <application>=<host pattern> (e.g. github=ghe.example.com)`);
    (hosts[match[1]!] ??= []).push(match[2]!.toLowerCase());
  }
  return hosts;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
