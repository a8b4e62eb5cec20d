/**
 * A channel's credentials and OAuth tokens belong to the origins they were given for: its base
 * URL's and its OAuth endpoints'. Whoever changes the settings so that they would go elsewhere
 * must give the secrets again in the same request (proving they hold them already), else an API
 * key alone could carry a customer's secrets off to its own host. An application can also pin the
 * hosts it lives on (`allowedHosts`, over https and on the default port unless a pattern names
 * one; loopback excepted); settings pointing elsewhere are invalid.
 */
import { ConflictException, HttpStatus } from '@nestjs/common';
import { z } from 'zod';
import type { Application } from '../../applications/framework/application';
import { oauthMethodOf, type OAuthEndpoints } from '../../applications/framework/auth';
import { urlRefusal } from '../../applications/framework/allowed-hosts';
import type { FieldIssue } from '../common/validation';
import { MASK } from './channel-view';

/** Where a channel's credentials and tokens are sent, for the given settings. */
interface Destinations {
  baseUrl: string | undefined;
  oauth: OAuthEndpoints | undefined;
}

function destinations(app: Application, settings: unknown): Destinations {
  const auth = oauthMethodOf(app.auth);
  return {
    baseUrl: attempt(() => app.baseUrl(settings)),
    oauth: auth ? attempt(() => auth.endpoints(settings)) : undefined,
  };
}

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

const parseUrl = (value: string | undefined): URL | undefined => (value === undefined || !URL.canParse(value) ? undefined : new URL(value));
const originOf = (value: string | undefined): string | undefined => parseUrl(value)?.origin;

// The rule itself is the framework's: imported applications' hosts are checked with it too.
export { hostAllowed, urlRefusal } from '../../applications/framework/allowed-hosts';

/**
 * The settings field a URL came from: application code derives the base URL and endpoints from
 * settings, so the field is found by value (the first top-level setting whose URL `matches`).
 */
function settingField(settings: unknown, matches: (url: URL) => boolean, keys?: readonly string[]): string | undefined {
  if (!settings || typeof settings !== 'object') return undefined;
  const record = settings as Record<string, unknown>;
  const key = (keys ?? Object.keys(record)).find((k) => {
    const value = record[k];
    const url = typeof value === 'string' ? parseUrl(value) : undefined;
    return url !== undefined && matches(url);
  });
  return key === undefined ? undefined : `settings.${key}`;
}

/** 400 issues for settings that point outside the application's `allowedHosts` (and the hosts the operator added to them). */
export function allowedHostIssues(app: Application, settings: unknown, operatorHosts: readonly string[] = []): FieldIssue[] {
  if (!app.allowedHosts) return [];
  const allowed = [...app.allowedHosts, ...operatorHosts];
  const { baseUrl, oauth } = destinations(app, settings);
  const urls = [baseUrl, oauth?.authorizationUrl, oauth?.tokenUrl].filter((url): url is string => url !== undefined);
  const issues = new Map<string, FieldIssue>();
  for (const value of urls) {
    const url = parseUrl(value);
    const refusal = url ? urlRefusal(url, allowed, app.name) : `${value} is not an absolute URL`;
    if (refusal === undefined) continue;
    const field = (url && settingField(settings, (candidate) => candidate.hostname === url.hostname)) ?? 'settings';
    if (!issues.has(field)) issues.set(field, { field, message: refusal });
  }
  return [...issues.values()];
}

/** Credential fields marked `secret()` (JSON Schema writeOnly / format password). */
function secretFields(app: Application, stored: Record<string, unknown>): string[] {
  const schema = attempt(() => z.toJSONSchema(app.credentials, { io: 'input' })) as { properties?: Record<string, { writeOnly?: boolean; format?: string }> } | undefined;
  // A schema JSON Schema cannot express: every stored field counts as secret, the safe side.
  if (!schema) return Object.keys(stored);
  return Object.entries(schema.properties ?? {})
    .filter(([, property]) => property.writeOnly === true || property.format === 'password')
    .map(([key]) => key);
}

export interface ChannelPlacement {
  app: Application;
  settings: unknown;
}

export interface CredentialMove {
  /** What moves the channel, and to which origin. */
  moves: Array<{ field: string; to: string }>;
  /** Secret credential fields the request would carry to the new origin without giving them. */
  missing: string[];
  /** The OAuth endpoints now belong to another authorization server: its tokens are not ours. */
  newAuthorizationServer: boolean;
}

/** How a change of settings or application moves the channel's credentials, or undefined when it does not. */
export function credentialMove(before: ChannelPlacement, after: ChannelPlacement, storedCredentials: unknown, requestCredentials: Record<string, unknown> | undefined): CredentialMove | undefined {
  const was = destinations(before.app, before.settings);
  const now = destinations(after.app, after.settings);
  const pairs: Array<[string | undefined, string | undefined]> = [
    [was.baseUrl, now.baseUrl],
    [was.oauth?.authorizationUrl, now.oauth?.authorizationUrl],
    [was.oauth?.tokenUrl, now.oauth?.tokenUrl],
  ];
  const targets = new Set<string>();
  for (const [from, to] of pairs) {
    const origin = originOf(to);
    if (origin !== undefined && origin !== originOf(from)) targets.add(origin);
  }
  const newAuthorizationServer =
    was.oauth?.issuer !== now.oauth?.issuer || originOf(was.oauth?.tokenUrl) !== originOf(now.oauth?.tokenUrl) || originOf(was.oauth?.authorizationUrl) !== originOf(now.oauth?.authorizationUrl);
  if (!targets.size && !newAuthorizationServer) return undefined;

  const changed = changedKeys(before.settings, after.settings);
  const fallback = changed[0] !== undefined ? `settings.${changed[0]}` : before.app.name !== after.app.name ? 'application' : 'settings';
  const moves = [...targets].map((to) => ({ field: settingField(after.settings, (url) => url.origin === to, changed) ?? fallback, to }));
  const stored = (storedCredentials ?? {}) as Record<string, unknown>;
  const given = (field: string) => requestCredentials?.[field] !== undefined && requestCredentials[field] !== MASK;
  // The secrets either version knows: a version whose schema lists fewer must not let the others travel unasked.
  const secrets = new Set([...secretFields(before.app, stored), ...secretFields(after.app, stored)]);
  const missing = [...secrets].filter((field) => stored[field] !== undefined && !given(field));
  return { moves, missing, newAuthorizationServer };
}

function changedKeys(before: unknown, after: unknown): string[] {
  const a = (before ?? {}) as Record<string, unknown>;
  const b = (after ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
}

/** 409: the change would carry secrets to another origin; nothing was changed. */
export function credentialsMustBeGiven(move: CredentialMove): ConflictException {
  const where = move.moves.map((m) => `${m.field} moves the channel to ${m.to}`).join('; ');
  const fields = move.missing.map((field) => `credentials.${field}`);
  return new ConflictException({
    statusCode: HttpStatus.CONFLICT,
    error: 'Conflict',
    message: `${where}; give ${fields.join(', ')} again in the same request`,
    issues: fields.map((field) => ({ field, message: `give it again: ${where}` })),
    moves: move.moves,
  });
}
