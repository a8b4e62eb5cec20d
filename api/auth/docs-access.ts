/**
 * /docs and /docs-json are served by SwaggerModule straight from Express, outside the guard. They
 * describe the API and hold no data, so they are public unless DOCS_PUBLIC=false; then they need
 * a key like any read route.
 */
import type { NextFunction, Request, Response } from 'express';
import { authenticationOf } from './principal';

export function requireKeyForDocs(req: Request, res: Response, next: NextFunction): void {
  const authentication = authenticationOf(req);
  if (authentication.kind === 'key' && !authentication.principal.codecOnly) return next();
  res.status(401).setHeader('www-authenticate', 'Bearer realm="management"');
  res.json({ statusCode: 401, error: 'Unauthorized', message: authentication.kind === 'invalid' ? authentication.reason : 'DOCS_PUBLIC=false: the API documentation needs an API key' });
}
