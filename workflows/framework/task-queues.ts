/**
 * Connector calls run on a task queue per application group (`<flows queue>.<group>`), next to the
 * flows' own queue. That lets an application's rate limit hold across all workers (Temporal
 * enforces `maxTaskQueueActivitiesPerSecond` per queue) and keeps one slow service from taking
 * every activity slot. Workflow-safe.
 */
export function connectorTaskQueue(flowsTaskQueue: string, group: string): string {
  return `${flowsTaskQueue}.${group}`;
}

/** Connectors imported from OpenAPI documents (`petstore@v1.getPet`) share one queue: they can be imported while workers run. */
export const IMPORTED_GROUP = 'imported';

/** `demoCrm.listContacts` -> `demoCrm`; `petstore@v1.getPet` -> `imported`. */
export function connectorGroup(connectorKey: string): string {
  const group = connectorKey.split('.')[0] ?? connectorKey;
  return group.includes('@v') ? IMPORTED_GROUP : group;
}
