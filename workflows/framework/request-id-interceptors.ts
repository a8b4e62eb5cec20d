/**
 * Workflow interceptors (part of the workflow bundle, registered by worker/create-worker.ts): the
 * request id a run was started with (a Temporal header, runtime/request-context.ts) goes on to
 * every activity, local activity, child and continue-as-new of the run, and the workflow's own
 * `log` lines carry it with the flow and channel (the SDK adds workflow id, run id and type).
 * Headers only: no command of the run changes, so histories replay the same with or without it.
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { REQUEST_ID_HEADER } from './request-id-header';
import { ChannelIdAttribute } from './search-attributes';

export const interceptors: WorkflowInterceptorsFactory = () => {
  let requestId: Payload | undefined;
  const withRequestId = <T extends { headers: Record<string, Payload> }>(input: T): T => (requestId ? { ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: requestId } } : input);
  return {
    inbound: [
      {
        execute(input, next) {
          requestId = input.headers[REQUEST_ID_HEADER];
          return next(input);
        },
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next(withRequestId(input)),
        scheduleLocalActivity: (input, next) => next(withRequestId(input)),
        startChildWorkflowExecution: (input, next) => next(withRequestId(input)),
        continueAsNew: (input, next) => next(withRequestId(input)),
        getLogAttributes(input, next) {
          const info = workflowInfo();
          const channelId = info.typedSearchAttributes.get(ChannelIdAttribute);
          let id: unknown;
          try {
            id = requestId && defaultPayloadConverter.fromPayload(requestId);
          } catch {
            id = undefined;
          }
          return next({ ...input, flow: info.workflowType, ...(channelId ? { channelId } : {}), ...(typeof id === 'string' ? { requestId: id } : {}) });
        },
      },
    ],
  };
};
