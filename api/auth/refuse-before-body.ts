/**
 * In front of a large body parser (imports take up to 50 MB): a caller that the guard would refuse
 * anyway is refused before the body is read, so neither an anonymous caller nor a read key nor
 * the public listener can make the API parse a large body. Same answers as the guard's.
 */
import type { NextFunction, Request, Response } from 'express';
import { authenticationOf } from './principal';
import { covers, type Scope } from './scopes';
import type { SecurityConfig } from './security-config';
import { cameInOnAdminListener } from './surface';

export function refuseBeforeBody(config: SecurityConfig, needed: Scope) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const refuse = (status: number, message: string) => {
      // Read nothing of the body; close, so the client stops sending it.
      res.setHeader('connection', 'close');
      if (status === 401) res.setHeader('www-authenticate', 'Bearer realm="management"');
      res.status(status).json({ statusCode: status, message });
    };
    if (config.separateAdminListener && !cameInOnAdminListener(req)) return refuse(404, `Cannot ${req.method} ${req.path}`);
    const authentication = authenticationOf(req);
    if (authentication.kind !== 'key') return refuse(401, authentication.kind === 'invalid' ? authentication.reason : 'this route needs an API key: Authorization: Bearer <key>');
    const { principal } = authentication;
    if (principal.codecOnly || !covers(principal.scopes, needed)) return refuse(403, `this route needs a key with scope "${needed}"`);
    next();
  };
}
