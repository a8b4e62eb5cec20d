/**
 * Where a connector call runs. By default on the flow's own task queue: the activity is then
 * dispatched eagerly to the worker that runs the flow, which is the fastest path. An application
 * with a rate limit gets a queue of its own (`<flows queue>.<group>`), where the worker sets
 * Temporal's `maxTaskQueueActivitiesPerSecond`, so the limit holds across all workers.
 * Workflow-safe.
 */
import { rateLimitedGroups } from '../../connectors/rate-limited-groups';

export function rateLimitedTaskQueue(flowsTaskQueue: string, group: string): string {
  return `${flowsTaskQueue}.${group}`;
}

/** The task queue for a call of `demoCrm.listContacts`, `demoErp.listProducts` or `petstore@v1.getPet`. */
export function connectorTaskQueue(flowsTaskQueue: string, connectorKey: string): string {
  const group = connectorKey.split('.')[0] ?? connectorKey;
  return rateLimitedGroups.includes(group) ? rateLimitedTaskQueue(flowsTaskQueue, group) : flowsTaskQueue;
}
