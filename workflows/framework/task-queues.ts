/**
 * Where a connector call runs. By default on the flow's own task queue: the activity is then
 * dispatched eagerly to the worker that runs the flow, which is the fastest path. An application
 * with a rate limit gets a queue of its own (`<flows queue>.<group>`), and so does a connector
 * that declares its own (`<flows queue>.slack.listUsers`), where the worker sets
 * Temporal's `maxTaskQueueActivitiesPerSecond`, so the limit holds across all workers. Calls
 * there carry their channel as Temporal's fairness key: a per-channel limit is Temporal's rate
 * limit per fairness key on that queue, and other limits still share the queue fairly.
 * Workflow-safe.
 */
import { rateLimitedGroups } from '../generated/connector-manifest';

export function rateLimitedTaskQueue(flowsTaskQueue: string, group: string): string {
  return `${flowsTaskQueue}.${group}`;
}

/** Every task queue connector calls run on: the flows' own, then one per rate-limited application. */
export function connectorTaskQueues(flowsTaskQueue: string): string[] {
  return [flowsTaskQueue, ...rateLimitedGroups.map((group) => rateLimitedTaskQueue(flowsTaskQueue, group))];
}

/**
 * The group a call's rate limit is kept in: the catalog key (`demoCrm`), or an imported
 * application's name without its version (`inventory@v2.listItems` → `inventory`), so its
 * versions share one budget, as they share the service.
 */
export function rateLimitGroup(connectorKey: string): string {
  return (connectorKey.split('.')[0] ?? connectorKey).replace(/@v\d+$/, '');
}

/**
 * The task queue for a call of `demoCrm.listContacts`, `demoErp.listProducts` or `petstore@v1.getPet`:
 * the connector's own when it declares a limit (`slack.listUsers`), else its application's, else the flows'.
 */
export function connectorTaskQueue(flowsTaskQueue: string, connectorKey: string): string {
  const group = [connectorKey, rateLimitGroup(connectorKey)].find((candidate) => rateLimitedGroups.includes(candidate));
  return group === undefined ? flowsTaskQueue : rateLimitedTaskQueue(flowsTaskQueue, group);
}

/**
 * Where a connector call runs and, on a rate-limited queue, the channel as its fairness key.
 * `override` is a task queue the caller chose; the fairness key stays.
 */
export function connectorPlacement(flowsTaskQueue: string, connectorKey: string, channelId: string, override?: string): { taskQueue: string; priority?: { fairnessKey: string } } {
  const own = connectorTaskQueue(flowsTaskQueue, connectorKey);
  const taskQueue = override ?? own;
  return own === flowsTaskQueue ? { taskQueue } : { taskQueue, priority: { fairnessKey: channelId } };
}
