/**
 * Errors raised before a controller runs (body-parser: body too large, malformed JSON, unsupported
 * charset) carry their HTTP status; answer with it instead of letting them become 500s. A
 * rate-limited answer carries Retry-After.
 */
import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RateLimitedException } from '../auth/edge-rate-limits';

interface HttpError extends Error {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
}

@Catch()
export class ClientErrorFilter extends BaseExceptionFilter implements ExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (exception instanceof RateLimitedException) host.switchToHttp().getResponse<ServerResponse>().setHeader('retry-after', String(exception.retryAfterSeconds));
    const error = exception as HttpError;
    const status = error?.status ?? error?.statusCode;
    if (!(exception instanceof HttpException) && error?.expose && typeof status === 'number' && status >= 400 && status < 500) {
      const message = error.type === 'entity.too.large' ? `request body is larger than the limit` : error.message;
      if (error.type === 'entity.too.large') {
        // The rest of the body is still on its way: read it away and close the connection, so the
        // client sees the 413 instead of hanging on a full socket.
        const http = host.switchToHttp();
        const request = http.getRequest<IncomingMessage>();
        http.getResponse<ServerResponse>().setHeader('connection', 'close');
        request.resume();
      }
      return super.catch(new HttpException({ statusCode: status, error: error.type ?? 'Bad Request', message }, status), host);
    }
    return super.catch(exception, host);
  }
}
