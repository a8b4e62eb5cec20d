/** The Temporal header that carries the API request id into a run and its activities (runtime/request-context.ts). Workflow-safe. */
export const REQUEST_ID_HEADER = 'engine-request-id';
