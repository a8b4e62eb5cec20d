/**
 * Runs one connector for one channel as a workflow of its own: the API's "try this action"
 * (POST /applications/:app/actions/:action/run), with the same activity, retries and history as
 * any flow.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ConnectorCall } from '../activities/connector-call';
import { callScope, defaultConnectorActivityOptions } from './framework/connectors';
import { connectorPlacement } from './framework/task-queues';

export async function runAction(call: ConnectorCall): Promise<unknown> {
  // A person is waiting for the answer: give up sooner than a flow would.
  const options = { ...defaultConnectorActivityOptions, retry: { ...defaultConnectorActivityOptions.retry, maximumAttempts: 3 } };
  const { runConnector } = proxyActivities<Activities>(options);
  return runConnector.executeWithOptions({ ...options, ...connectorPlacement(workflowInfo().taskQueue, call.connector, call.channelId), summary: call.connector }, [{ ...call, ...callScope() }]);
}
