/**
 * One JSON log line per answered request (pino): method, route pattern, status, duration, and the
 * run it started or touched (workflow id, run id, flow, channel) when a handler recorded one in
 * `res.locals.run`. Never headers or bodies: those may carry signatures, tokens or personal data.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

export interface LoggedRun {
  workflowId: string;
  runId: string;
  flow?: string;
  channelId?: string;
}

export function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      const run = res.locals.run as LoggedRun | undefined;
      const line = { method: req.method, route: route ? `${req.baseUrl}${route}` : undefined, path: req.path, status: res.statusCode, durationMs: Math.round(performance.now() - started), ...run };
      if (res.statusCode >= 500) log.error(line, 'request failed');
      else log.info(line, 'request');
    });
    next();
  };
}
