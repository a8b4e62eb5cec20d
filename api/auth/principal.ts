import type { Request } from 'express';
import type { Scope } from './scopes';

/** Who a management call comes from: a stored key, the bootstrap key, or the codec token. */
export interface Principal {
  keyId: string;
  name: string;
  scopes: readonly Scope[];
  /** The codec token: good for the codec routes and nothing else. */
  codecOnly?: true;
}

/** What the early authentication found in `Authorization`, before any body was read. */
export type Authentication = { kind: 'none' } | { kind: 'invalid'; reason: string } | { kind: 'key'; principal: Principal };

const AUTHENTICATION = Symbol('authentication');
type WithAuthentication = Request & { [AUTHENTICATION]?: Authentication };

export function setAuthentication(req: Request, authentication: Authentication): void {
  (req as WithAuthentication)[AUTHENTICATION] = authentication;
}

export function authenticationOf(req: Request): Authentication {
  return (req as WithAuthentication)[AUTHENTICATION] ?? { kind: 'none' };
}

/** The caller's principal on a route the guard let through with a key; undefined on an anonymous public call. */
export function principalOf(req: Request): Principal | undefined {
  const authentication = authenticationOf(req);
  return authentication.kind === 'key' ? authentication.principal : undefined;
}
