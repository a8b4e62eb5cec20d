/**
 * Structured logs: one JSON line per event (pino). Anything that could carry a secret is redacted
 * by path as a second line of defence; the first is never to log credentials at all.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export function createLogger(service: string, destination?: DestinationStream): Logger {
  return pino(
    {
      base: { service },
      level: process.env.LOG_LEVEL ?? 'info',
      redact: { paths: ['credentials', '*.credentials', 'tokens', '*.tokens', 'headers.authorization', '*.headers.authorization', 'accessToken', 'refreshToken', 'clientSecret'], censor: '[redacted]' },
    },
    destination,
  );
}
