/**
 * One JSON log line per answered request (pino): its request id, method, route pattern, status,
 * duration, and the run it started or touched (workflow id, run id, flow, channel) when a handler
 * recorded one in `res.locals.run`. Never other headers or bodies: those may carry signatures,
 * tokens or personal data.
 *
 * The request id is the incoming `x-request-id` when it is well-formed (1-128 of letters, digits
 * and . _ : -), else a new UUID; the answer carries it back in `x-request-id`, and the request is
 * served inside `requestContext`, so the runs it starts carry it to their connector calls
 * (runtime/request-context.ts).
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { REQUEST_ID_HTTP_HEADER, requestContext, requestIdFrom } from '../../runtime/request-context';

export interface LoggedRun {
  workflowId: string;
  runId: string;
  flow?: string;
  channelId?: string;
}

export function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HTTP_HEADER]);
    res.setHeader(REQUEST_ID_HTTP_HEADER, requestId);
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      const run = res.locals.run as LoggedRun | undefined;
      const line = {
        requestId,
        method: req.method,
        route: route ? `${req.baseUrl}${route}` : undefined,
        path: req.path,
        status: res.statusCode,
        durationMs: Math.round(performance.now() - started),
        ...run,
      };
      if (res.statusCode >= 500) log.error(line, 'request failed');
      else log.info(line, 'request');
    });
    requestContext.run({ requestId }, next);
  };
}
