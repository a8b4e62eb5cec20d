/**
 * A worker of a test's own for workflows that are no flows of the engine, with the engine's real
 * activities on the test system's store: the test's workflows call connectors as flows do.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { ConnectorRegistry } from '../../connectors/registry';
import { temporalAddress, type TestSystem } from './system';

export interface TestWorker {
  stop(): Promise<void>;
}

export async function startTestWorker(system: TestSystem, options: { taskQueue: string; workflowsPath: string }): Promise<TestWorker> {
  const connection = await NativeConnection.connect({ address: temporalAddress() });
  const { store } = system;
  const worker = await Worker.create({
    connection,
    namespace: system.settings.namespace,
    taskQueue: options.taskQueue,
    workflowsPath: options.workflowsPath,
    activities: createActivities({ channels: store.channels, tokens: store.tokens, cursors: store.cursors, subscriptions: store.subscriptions, registry: new ConnectorRegistry(store.imported) }),
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
