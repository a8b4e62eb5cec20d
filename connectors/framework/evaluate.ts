/**
 * Default response evaluation: status code -> output or typed error. A connector can replace it,
 * e.g. for APIs that answer 200 with an error in the body.
 */
import { z } from 'zod';
import { NonRetryableConnectorError, RateLimitedConnectorError, RetryableConnectorError, type ConnectorError } from './errors';
import { retryAfterMs } from './retry-after';

export interface ConnectorResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body was JSON, else the text ('' for no body). */
  body: unknown;
  text: string;
  /** The body's bytes as received (binary downloads, or checking a signature over them). */
  raw?: Buffer;
  /** Where the answer came from, after redirects: relative links resolve against it. */
  url?: string;
}

const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** An error for a non-2xx answer, classified by status and rate-limit headers. */
export function errorForStatus(connector: string, response: ConnectorResponse): ConnectorError {
  const message = `HTTP ${response.status}${response.text ? `: ${excerpt(response.text)}` : ''}`;
  const waitMs = retryAfterMs(response.headers);
  if (response.status === 429 || (waitMs !== undefined && RETRYABLE_STATUSES.has(response.status))) {
    return new RateLimitedConnectorError(connector, message, waitMs ?? 1_000, response.status);
  }
  if (RETRYABLE_STATUSES.has(response.status) || response.status >= 500) {
    return new RetryableConnectorError(connector, message, `HttpStatus${response.status}`, response.status);
  }
  return new NonRetryableConnectorError(connector, message, `HttpStatus${response.status}`, response.status);
}

/** Names the failing fields of a zod error: `items.0.email: Invalid email address`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`).join('; ');
}

export function parseOutput<O extends z.ZodType>(connector: string, schema: O, body: unknown): z.output<O> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new NonRetryableConnectorError(connector, `response does not match the output schema: ${describeIssues(parsed.error)}`, 'InvalidResponse');
  }
  return parsed.data;
}
