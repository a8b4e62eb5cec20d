/** What the framework reports about every HTTP call a connector makes (for logs and metrics). */
import type { ConnectorErrorClass } from './errors';

export interface CallRecord {
  connector: string;
  method: string;
  /** Without credentials: no user info, auth query parameters redacted. */
  url: string;
  /** HTTP status, or null when no answer came (network error, timeout). */
  status: number | null;
  outcome: 'ok' | ConnectorErrorClass;
  reason?: string;
  durationMs: number;
}

export type CallObserver = (record: CallRecord) => void;
