import type { NextFunction, Request, Response } from 'express';
import { authenticationOf } from './principal';

/** In front of a large body parser: an anonymous caller is refused before the body is read. */
export function requireKeyBeforeBody(req: Request, res: Response, next: NextFunction): void {
  if (authenticationOf(req).kind === 'key') return next();
  // Read nothing of the body; close, so the client stops sending it.
  res.setHeader('connection', 'close');
  res.status(401).setHeader('www-authenticate', 'Bearer realm="management"');
  res.json({ statusCode: 401, error: 'Unauthorized', message: 'this route needs an API key: Authorization: Bearer <key>' });
}
