/**
 * The batch activity: one connector for a page of records, as one Temporal activity, resuming
 * from the records its earlier attempts heartbeated as done (see batch-progress.ts).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { ensureApplicationFailure } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { BatchProgress } from './batch-progress';
import type { ConnectorBatchCall } from './connector-call';
import { reportingRedacted, resolveTarget, runOnTarget, type RunConnectorDeps, type Target } from './run-connector';

/** Calls at once within one batch: enough to hide latency, few enough to be polite to the remote. */
const BATCH_CONCURRENCY = 10;

/**
 * The same connector for many inputs (a page of records to write), as one activity: Temporal
 * schedules one task instead of one per record. Which records are done is heartbeated after every
 * chunk, so a retry (after a crash or a failed record) sends only the records still missing; one
 * sent twice anyway applies once when the connector derives idempotency keys from its records.
 * A failed record does not stop the others, except that a rate limit or a non-retryable failure
 * stops sending at once: the service asked us to wait, or the batch cannot succeed.
 */
export function createRunConnectorBatchActivity(deps: RunConnectorDeps) {
  return async function runConnectorBatch(call: ConnectorBatchCall): Promise<unknown[]> {
    const context = Context.current();
    // Resolved once for the whole batch: the channel read (and its decryption) is not per record.
    // Each record's key adds its own index and input to this one (see keyFor).
    const target = await resolveTarget(call, { connector: call.connector }, deps);
    return reportingRedacted(target, deps, () => runBatch(target, call, context));
  };
}

/** The batch's records not yet done, a chunk at a time, heartbeating which are done after each. */
async function runBatch(target: Target, call: ConnectorBatchCall, context: Context): Promise<unknown[]> {
  const progress = BatchProgress.start(call.inputs.length, context.info.heartbeatDetails);
  const outputs: unknown[] = new Array(call.inputs.length).fill(null);
  const pending = progress.pending();
  const failures: unknown[] = [];
  let attempted = 0;
  for (let start = 0; start < pending.length; start += BATCH_CONCURRENCY) {
    const chunk = pending.slice(start, start + BATCH_CONCURRENCY);
    const settled = await Promise.allSettled(chunk.map((index) => runOnTarget(target, call.inputs[index], undefined, index)));
    settled.forEach((result, i) => {
      if (result.status === 'rejected') return void failures.push(result.reason);
      outputs[chunk[i]!] = result.value.output;
      progress.markDone(chunk[i]!);
    });
    attempted += chunk.length;
    context.heartbeat(progress.toDetails());
    if (failures.some(stopsTheBatch)) break;
  }
  // Cancelled: report the cancellation itself, so Temporal sees a cancelled activity, not a failed one.
  if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason;
  if (failures.length > 0) throw batchFailure(failures, attempted);
  return outputs;
}

function stopsTheBatch(failure: unknown): boolean {
  return !(failure instanceof ApplicationFailure) || failure.nonRetryable || failure.nextRetryDelay != null;
}

/**
 * The failure the batch reports, so that Temporal's retry does the right thing: a cancellation or
 * a non-retryable failure as it is; else the longest wait a service asked for; else the first.
 */
function batchFailure(failures: unknown[], attempted: number): unknown {
  const unexpected = failures.findIndex((f) => !(f instanceof ApplicationFailure));
  if (unexpected >= 0) return ensureApplicationFailure(failures[unexpected]);
  const applicationFailures = failures as ApplicationFailure[];
  const fatal = applicationFailures.find((f) => f.nonRetryable);
  if (fatal) return fatal;
  const waits = applicationFailures.filter((f) => f.nextRetryDelay != null);
  const chosen = waits.length > 0 ? waits.reduce((a, b) => (msToNumber(b.nextRetryDelay!) > msToNumber(a.nextRetryDelay!) ? b : a)) : applicationFailures[0]!;
  return ApplicationFailure.create({
    message: `${failures.length} of ${attempted} records failed (the others are done and are not sent again): ${chosen.message}`,
    type: chosen.type ?? undefined,
    details: chosen.details ?? undefined,
    nextRetryDelay: chosen.nextRetryDelay ?? undefined,
    cause: chosen,
  });
}
