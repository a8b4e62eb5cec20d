/**
 * Typed calls of imported (OpenAPI) actions inside workflows. `Actions` is the interface that
 * `npm run openapi:types` generated; the calls are the same `runConnector` activity as any other.
 */
import { proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { callScope, defaultConnectorActivityOptions } from './connectors';
import { connectorPlacement } from './task-queues';

type ActionShape = { input: unknown; output: unknown };

export type ImportedClient<Actions> = {
  readonly [Name in keyof Actions]: Actions[Name] extends ActionShape ? (channelId: string, input: Actions[Name]['input']) => Promise<Actions[Name]['output']> : never;
};

/** `application` is the imported application with its version, e.g. `petstore@v1`. */
export function useImportedConnectors<Actions>(application: string, options: ActivityOptions = {}): ImportedClient<Actions> {
  const merged: ActivityOptions = { ...defaultConnectorActivityOptions, ...options };
  const { runConnector } = proxyActivities<Activities>(merged);
  return new Proxy({} as ImportedClient<Actions>, {
    get: (_target, name) => {
      if (typeof name !== 'string') return undefined;
      const connector = `${application}.${name}`;
      return (channelId: string, input: unknown) =>
        runConnector.executeWithOptions({ ...merged, ...connectorPlacement(workflowInfo().taskQueue, connector, channelId, merged.taskQueue), summary: connector }, [
          { channelId, connector, input, ...callScope() },
        ]);
    },
  });
}
