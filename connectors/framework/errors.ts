/**
 * What can go wrong when a connector calls its service, in the three classes Temporal cares
 * about. The activity layer maps each class onto an ApplicationFailure.
 */
export type ConnectorErrorClass = 'retryable' | 'non-retryable' | 'rate-limited';

export abstract class ConnectorError extends Error {
  abstract readonly errorClass: ConnectorErrorClass;

  constructor(
    readonly connector: string,
    message: string,
    /** Short, machine-readable reason, e.g. `HttpStatus404`, `InvalidInput`, `Timeout`. */
    readonly reason: string,
    readonly status?: number,
  ) {
    super(`${connector}: ${message}`);
    this.name = new.target.name;
  }
}

/** Retrying the same request can succeed: network errors, timeouts, 5xx, 408, 425. */
export class RetryableConnectorError extends ConnectorError {
  readonly errorClass = 'retryable' as const;
}

/** Retrying cannot help: bad input, 4xx, a response that breaks the output schema. */
export class NonRetryableConnectorError extends ConnectorError {
  readonly errorClass = 'non-retryable' as const;
}

/** The service asked us to wait: 429, or 503 with Retry-After. */
export class RateLimitedConnectorError extends ConnectorError {
  readonly errorClass = 'rate-limited' as const;

  constructor(
    connector: string,
    message: string,
    readonly retryAfterMs: number,
    status?: number,
  ) {
    super(connector, message, 'RateLimited', status);
  }
}
