/**
 * Runs one connector for one channel as a workflow of its own: the API's "try this action"
 * (POST /applications/:app/actions/:action/run), with the same activity, retries and history as
 * any flow.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ConnectorCall } from '../activities/connector-call';
import { defaultConnectorActivityOptions } from './framework/connectors';
import { connectorTaskQueue } from './framework/task-queues';

export async function runAction(call: ConnectorCall): Promise<unknown> {
  // A person is waiting for the answer: give up sooner than a flow would.
  const options = { ...defaultConnectorActivityOptions, retry: { ...defaultConnectorActivityOptions.retry, maximumAttempts: 3 } };
  const { runConnector } = proxyActivities<Activities>(options);
  const taskQueue = connectorTaskQueue(workflowInfo().taskQueue, call.connector);
  return runConnector.executeWithOptions({ ...options, taskQueue, summary: call.connector }, [call]);
}
