/**
 * The request id that follows a delivery from the API's request line to the connector calls of
 * the run it started. The API's request log (api/common/request-log.ts) takes a well-formed
 * incoming `x-request-id` or makes one, answers with it, and runs the request inside
 * `requestContext`; the client interceptor below puts it in a Temporal header of every workflow
 * the request starts; the workflow interceptor (workflows/framework/request-id-interceptors.ts)
 * hands it on to the run's activities, and the activity interceptor below runs each activity inside
 * `requestContext` again, where the connector-call lines pick it up (activities/run-connector.ts).
 *
 * A header, not the memo: headers are not payload-encoded (PAYLOAD_CODEC_KEYS), and activities see
 * headers but no memo. Only starts carry it: signalWithStart on an entity's long-lived run does not,
 * since that run serves many deliveries (follow those by the workflow id on the request line).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { REQUEST_ID_HEADER } from '../workflows/framework/request-id-header';

export { REQUEST_ID_HEADER };

/** The HTTP header, in and out. */
export const REQUEST_ID_HTTP_HEADER = 'x-request-id';
/** What an incoming id may look like to be kept: a proxy's or a client's id (UUIDs, ULIDs, trace-like ids). */
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RequestContext {
  requestId: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

/** The incoming id when it is well-formed (one value, allowed characters, at most 128), else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? undefined : header?.trim();
  return value && WELL_FORMED.test(value) ? value : randomUUID();
}

/** On the API's client: a workflow started while serving a request carries the request's id. */
export function requestIdClientInterceptor(): WorkflowClientInterceptor {
  return {
    async start(input, next) {
      const requestId = currentRequestId();
      return next(requestId ? { ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId) } } : input);
    },
  };
}

function requestIdOf(headers: Record<string, unknown>): string | undefined {
  const payload = headers[REQUEST_ID_HEADER];
  if (!payload) return undefined;
  try {
    const value: unknown = defaultPayloadConverter.fromPayload(payload as Parameters<typeof defaultPayloadConverter.fromPayload>[0]);
    return typeof value === 'string' && WELL_FORMED.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** On the worker: an activity scheduled by a run a request started runs inside that request's context. */
export const requestIdActivityInterceptor: ActivityInterceptorsFactory = () => {
  let requestId: string | undefined;
  return {
    inbound: {
      execute(input, next) {
        requestId = requestIdOf(input.headers);
        return requestId ? requestContext.run({ requestId }, () => next(input)) : next(input);
      },
    },
    // The activity's own `log` (Context.current().log) gets it too.
    outbound: {
      getLogAttributes(input, next) {
        return next(requestId ? { ...input, requestId } : input);
      },
    },
  };
};
