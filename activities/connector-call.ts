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
