/**
 * Typed connector calls inside workflows: `connectors.demoCrm.listContacts(channelId, input)`.
 * Each call is the one generic `runConnector` activity; the types come from type-only imports,
 * so nothing but @temporalio/workflow enters the workflow bundle.
 */
import { proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { Catalog } from '../../connectors/catalog';
import type { ConnectorInput, ConnectorOutput } from '../../connectors/framework/connector';
import { connectorTaskQueue } from './task-queues';

export type ConnectorClient<C> = {
  readonly [Group in keyof C]: {
    readonly [Name in keyof C[Group]]: (channelId: string, input: ConnectorInput<C[Group][Name]>) => Promise<ConnectorOutput<C[Group][Name]>>;
  };
};

/** Retries for transient failures; non-retryable ones (4xx, bad input) stop at once. */
export const defaultConnectorActivityOptions: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
};

export function useConnectors(options: ActivityOptions = {}): ConnectorClient<Catalog> {
  const merged: ActivityOptions = { ...defaultConnectorActivityOptions, ...options };
  const { runConnector } = proxyActivities<Activities>(merged);
  const groupProxy = (group: string) =>
    new Proxy(
      {},
      {
        get: (_target, name) => {
          if (typeof name !== 'string') return undefined;
          const connector = `${group}.${name}`;
          return (channelId: string, input: unknown) =>
            runConnector.executeWithOptions({ ...merged, taskQueue: merged.taskQueue ?? connectorTaskQueue(workflowInfo().taskQueue, group), summary: connector }, [{ channelId, connector, input }]);
        },
      },
    );
  return new Proxy({} as ConnectorClient<Catalog>, {
    get: (_target, group) => (typeof group === 'string' ? groupProxy(group) : undefined),
  });
}
