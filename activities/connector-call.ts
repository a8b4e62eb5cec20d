/**
 * What a workflow sends to the generic connector activity: a channel reference, never secrets.
 * Workflow-safe (types only).
 */
export interface ConnectorCall {
  channelId: string;
  /** `<group>.<name>` in connectors/catalog.ts, e.g. `demoCrm.listContacts`. */
  connector: string;
  input: unknown;
  /**
   * The calling run's originalExecutionRunId, which a reset keeps: default idempotency keys are
   * derived from it rather than from the run id, so a run retried through POST /runs/:id/retry
   * sends the writes that had succeeded with the keys they had. Absent (an older workflow): the run id.
   */
  originalRunId?: string;
  /**
   * Set for a call made as a local activity: how many calls of this connector with this same input
   * the run made before it. A local activity's results reach the history only when its workflow
   * task completes, so a worker that dies mid-task has the next worker run the task again, and
   * what the calls return may then take the flow another way (a contact created the first time is
   * found the second), shifting activity ids. The idempotency key comes from the content and this
   * count instead, which the re-run gives the same write.
   */
  occurrence?: number;
}

/** A call for one page of a paginated connector; `page` comes from the previous page's result. */
export interface ConnectorPageCall extends ConnectorCall {
  page?: { input: unknown; url?: string };
}

/** Many calls of one connector for one channel, in one activity: e.g. a page of records to write. */
export interface ConnectorBatchCall {
  channelId: string;
  connector: string;
  inputs: unknown[];
  /** As in ConnectorCall. */
  originalRunId?: string;
}
