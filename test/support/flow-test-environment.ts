/**
 * Runs one flow on Temporal's TestWorkflowEnvironment (@temporalio/testing), as the Temporal
 * samples test their workflows, with the engine's real activities: the flow's connector calls go
 * through `runConnector` to the channel's service, which in a test is a loopback fake. What
 * `npm run new -- flow` scaffolds beside each flow uses it; so can a hand-written flow's test.
 *
 * The environment is the test run's Temporal dev server (jest's global setup starts one) when
 * there is one, else a local dev server on the `temporal` CLI already installed: nothing is
 * downloaded. Flows that wait for days want the time-skipping server instead
 * (./time-skipping-server.ts). Channels live in a store of the test's own (SQLite in a temp folder).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { Application } from '../../applications/framework/application';
import { initialAuthStatus } from '../../channels/auth-status';
import { ConnectorRegistry } from '../../connectors/registry';
import { ensureTemporalCli } from '../../runtime/temporal-cli';
import { generateKey } from '../../store/credential-cipher';
import { openStore, type Store } from '../../store/open-store';
import { connectorTaskQueues } from '../../workflows/framework/task-queues';
import { quietWorkerLogs } from './system';

export interface TestChannel {
  /** Default: `<application>-test`. */
  id?: string;
  application: Application;
  /** Parsed by the application's settings schema, as the API does. */
  settings: unknown;
  credentials: unknown;
  /** For an OAuth 2.0 application: the access token its connectors send (valid for an hour). */
  accessToken?: string;
}

export interface FlowTestEnvironment {
  env: TestWorkflowEnvironment;
  /** The flow's task queue; rate-limited applications' calls run on queues of their own beside it, with workers too. */
  taskQueue: string;
  store: Store;
  /** Stores the channel (credentials sealed, as the API stores them); returns its id. */
  addChannel(channel: TestChannel): Promise<string>;
  /** Runs the workflow to its end, with `input` as its one argument, and returns its result. */
  execute<I, R>(workflow: (input: I) => Promise<R>, input: I): Promise<R>;
  stop(): Promise<void>;
}

async function createEnvironment(): Promise<TestWorkflowEnvironment> {
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  if (address) return TestWorkflowEnvironment.createFromExistingServer({ address });
  return TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: ensureTemporalCli() } } });
}

/** `workflowsPath`: the flow's file (`require.resolve('./my-flow')`); the worker bundles it and what it imports. */
export async function startFlowTestEnvironment(options: { workflowsPath: string }): Promise<FlowTestEnvironment> {
  quietWorkerLogs();
  const env = await createEnvironment();
  const dataDir = mkdtempSync(join(tmpdir(), 'engine-flow-test-'));
  const store = await openStore(dataDir, () => undefined, { CREDENTIALS_KEYS: generateKey('test') });
  const taskQueue = `flow-test-${randomUUID()}`;
  const activities = createActivities({
    channels: store.channels,
    tokens: store.tokens,
    cursors: store.cursors,
    subscriptions: store.subscriptions,
    registry: new ConnectorRegistry(store.imported),
  });
  const workers = await Promise.all(
    connectorTaskQueues(taskQueue).map((queue) =>
      Worker.create({
        connection: env.nativeConnection,
        namespace: env.namespace ?? 'default',
        taskQueue: queue,
        activities,
        ...(queue === taskQueue ? { workflowsPath: options.workflowsPath } : {}),
      }),
    ),
  );
  const running = workers.map((worker) => worker.run());

  return {
    env,
    taskQueue,
    store,
    async addChannel(channel) {
      const app = channel.application;
      const id = channel.id ?? `${app.name}-test`;
      await store.channels.upsert({
        id,
        application: app.name,
        name: `${app.title} (test)`,
        enabled: true,
        settings: app.settings.parse(channel.settings),
        credentials: app.credentials.parse(channel.credentials),
        authStatus: channel.accessToken ? 'authorized' : initialAuthStatus(app, channel.credentials),
      });
      if (channel.accessToken) await store.tokens.save(id, { accessToken: channel.accessToken, tokenType: 'Bearer' }, new Date(Date.now() + 3_600_000));
      return id;
    },
    async execute(workflow, input) {
      const channelId = (input as { channelId?: string } | undefined)?.channelId ?? 'no-channel';
      // By the workflow's type name, as the engine starts flows; the worker runs the function of that name.
      return env.client.workflow.execute(workflow.name, { taskQueue, workflowId: `${workflow.name}/${channelId}/test-${randomUUID()}`, args: [input] }) as Promise<
        Awaited<ReturnType<typeof workflow>>
      >;
    },
    async stop() {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await Promise.allSettled(running);
      await store.close();
      await env.teardown();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
