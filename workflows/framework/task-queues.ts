/**
 * Connector calls run on a task queue per application group (`<flows queue>.<group>`), next to the
 * flows' own queue. That lets an application's rate limit hold across all workers (Temporal
 * enforces `maxTaskQueueActivitiesPerSecond` per queue) and keeps one slow service from taking
 * every activity slot. Workflow-safe.
 */
export function connectorTaskQueue(flowsTaskQueue: string, group: string): string {
  return `${flowsTaskQueue}.${group}`;
}

/** `demoCrm.listContacts` -> `demoCrm`. */
export function connectorGroup(connectorKey: string): string {
  return connectorKey.split('.')[0] ?? connectorKey;
}
