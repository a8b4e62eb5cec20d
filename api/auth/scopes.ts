/**
 * Who may call a route. Every route is a management route unless marked `@Public()`; a
 * management route needs an API key whose scopes cover the route's scope. Without `@RequireScope`,
 * a GET needs `read` and anything else `admin`, so a route someone forgets to mark is the most
 * guarded, never the least.
 */
import { SetMetadata } from '@nestjs/common';

/** Ordered: each scope includes the ones before it (an `admin` key can do what an `operate` key can). */
export const SCOPES = ['read', 'operate', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export function covers(granted: readonly Scope[], needed: Scope): boolean {
  const rank = SCOPES.indexOf(needed);
  return granted.some((scope) => SCOPES.indexOf(scope) >= rank);
}

export const PUBLIC_ROUTE = 'auth:public';
export const ROUTE_SCOPE = 'auth:scope';

/**
 * Reachable without a key (webhooks, the OAuth callback and connect links, /health).
 * `optionalKey`: a key, when sent, is checked and its principal attached (e.g. /health details).
 */
export const Public = (options: { optionalKey?: boolean } = {}) => SetMetadata(PUBLIC_ROUTE, { optionalKey: options.optionalKey ?? false });

/** The scope a management route needs, when the default (GET → read, else admin) is not it. */
export const RequireScope = (scope: Scope) => SetMetadata(ROUTE_SCOPE, scope);
