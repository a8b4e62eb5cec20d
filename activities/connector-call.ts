/**
 * What a workflow sends to the generic connector activity: a channel reference, never secrets.
 * Workflow-safe (types only).
 */
export interface ConnectorCall {
  channelId: string;
  /** `<group>.<name>` in connectors/catalog.ts, e.g. `demoCrm.listContacts`. */
  connector: string;
  input: unknown;
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
}
