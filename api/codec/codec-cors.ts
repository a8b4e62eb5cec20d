/**
 * The Web UI calls the codec server from the browser: allow its origin (CODEC_CORS_ORIGIN, else the
 * Web UI URL this API knows) on /codec only, including the preflight.
 */
import type { NextFunction, Request, Response } from 'express';

export function codecCors(origin: string | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
      res.setHeader('access-control-allow-headers', 'content-type, x-namespace, authorization');
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}
