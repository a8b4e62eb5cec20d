/**
 * Who may call a route. Every route is a management route unless marked `@Public()`; a
 * management route needs an API key whose scopes cover the route's scope. Without `@RequireScope`,
 * a GET needs `read` and anything else `admin`, so a route someone forgets to mark is the most
 * guarded, never the least. Both marks also go into the Swagger document (`security`,
 * `x-required-scope`), so the document and the guard cannot disagree.
 */
import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Scope } from './scope-order';

export { covers, defaultScope, SCOPES, type Scope } from './scope-order';

export const PUBLIC_ROUTE = 'auth:public';
export const ROUTE_SCOPE = 'auth:scope';
export const CODEC_TOKEN_ACCEPTED = 'auth:codec-token';
export interface PublicRoute {
  optionalKey: boolean;
}

/**
 * Reachable without a key (webhooks, the OAuth callback and connect links, /health).
 * `optionalKey`: a key, when sent, is checked and its principal attached (e.g. /health details).
 */
export const Public = (options: { optionalKey?: boolean } = {}) =>
  applyDecorators(SetMetadata(PUBLIC_ROUTE, { optionalKey: options.optionalKey ?? false } satisfies PublicRoute), ApiExtension('x-public', true));

/** The scope a management route needs, when the default (GET → read, else admin) is not it. */
export const RequireScope = (scope: Scope) => applyDecorators(SetMetadata(ROUTE_SCOPE, scope), ApiExtension('x-required-scope', scope));

/** The codec routes also take CODEC_AUTH_TOKEN, a token good for nothing else. */
export const AcceptsCodecToken = () => SetMetadata(CODEC_TOKEN_ACCEPTED, true);
