/**
 * Every connector call as one structured log line and as metrics: requests by status, errors by
 * class, latency. The worker serves the metrics at GET /metrics on its metrics port.
 */
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { CallRecord } from '../connectors/framework/call-record';

export interface CallContext {
  attempt: number;
  workflowId?: string;
  runId?: string;
  /** The workflow type: the flow's name, or a system workflow's. */
  flow?: string;
  channelId: string;
  /** The API request that started the run (x-request-id), when one did. */
  requestId?: string;
}

export class ConnectorTelemetry {
  readonly registry: Registry;
  private readonly requests: Counter<'connector' | 'status'>;
  private readonly errors: Counter<'connector' | 'class'>;
  private readonly egressRefused: Counter<'connector'>;
  private readonly latency: Histogram<'connector'>;

  /** `registry`: where the metrics go, when they share one with a process's other metrics (the API's worker); a new one by default. */
  constructor(
    private readonly logger: Logger,
    options: { processMetrics?: boolean; registry?: Registry } = {},
  ) {
    const registers = [(this.registry = options.registry ?? new Registry())];
    this.requests = new Counter({
      name: 'connector_requests_total',
      help: 'HTTP calls made by connectors, by connector and status ("none" when no answer came)',
      labelNames: ['connector', 'status'],
      registers,
    });
    this.errors = new Counter({ name: 'connector_errors_total', help: 'Failed connector calls, by connector and error class', labelNames: ['connector', 'class'], registers });
    this.egressRefused = new Counter({
      name: 'connector_egress_refused_total',
      help: 'Connector calls the egress policy refused before any packet was sent, by connector',
      labelNames: ['connector'],
      registers,
    });
    this.latency = new Histogram({
      name: 'connector_request_duration_seconds',
      help: 'Duration of connector HTTP calls',
      labelNames: ['connector'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  record(call: CallRecord, context: CallContext): void {
    this.requests.inc({ connector: call.connector, status: call.status === null ? 'none' : String(call.status) });
    if (call.outcome !== 'ok') this.errors.inc({ connector: call.connector, class: call.outcome });
    if (call.reason === 'EgressRefused') this.egressRefused.inc({ connector: call.connector });
    this.latency.observe({ connector: call.connector }, call.durationMs / 1000);
    this.logger[call.outcome === 'ok' ? 'info' : 'warn'](
      {
        event: 'connector_call',
        connector: call.connector,
        method: call.method,
        url: call.url,
        status: call.status,
        outcome: call.outcome,
        reason: call.reason,
        durationMs: call.durationMs,
        ...context,
      },
      `${call.method} ${call.url} -> ${call.status ?? call.reason}`,
    );
  }
}
