/**
 * The worker's build and Worker Versioning settings (./deployment.ts): how the environment is
 * read, and, on the tests' real dev server, that a versioned worker runs flows once its version is
 * current and that the run records the version and its behavior.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { eventually, quietWorkerLogs, temporalAddress } from '../test/support/system';
import { orderPlaced } from '../workflows/order-placed';
import { UNVERSIONED_DEPLOYMENT, workerDeploymentFromEnv } from './deployment';

describe('workerDeploymentFromEnv', () => {
  it('is off without WORKER_BUILD_ID', () => {
    expect(workerDeploymentFromEnv({})).toBeUndefined();
  });

  it('records a build id alone without routing by it', () => {
    expect(workerDeploymentFromEnv({ WORKER_BUILD_ID: 'abc123' })).toEqual({ version: { deploymentName: UNVERSIONED_DEPLOYMENT, buildId: 'abc123' }, useWorkerVersioning: false });
  });

  it('versions the worker with a deployment name, auto-upgrading by default', () => {
    expect(workerDeploymentFromEnv({ WORKER_BUILD_ID: 'abc123', WORKER_DEPLOYMENT_NAME: 'engine' })).toEqual({
      version: { deploymentName: 'engine', buildId: 'abc123' },
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'AUTO_UPGRADE',
    });
    expect(workerDeploymentFromEnv({ WORKER_BUILD_ID: 'abc123', WORKER_DEPLOYMENT_NAME: 'engine', WORKER_VERSIONING_BEHAVIOR: 'PINNED' })).toMatchObject({ defaultVersioningBehavior: 'PINNED' });
  });

  it('refuses settings that would be silently ignored or are misspelt, naming the variable', () => {
    expect(() => workerDeploymentFromEnv({ WORKER_DEPLOYMENT_NAME: 'engine' })).toThrow(/WORKER_BUILD_ID/);
    expect(() => workerDeploymentFromEnv({ WORKER_BUILD_ID: 'abc123', WORKER_VERSIONING_BEHAVIOR: 'PINNED' })).toThrow(/WORKER_DEPLOYMENT_NAME/);
    expect(() => workerDeploymentFromEnv({ WORKER_BUILD_ID: 'abc123', WORKER_DEPLOYMENT_NAME: 'engine', WORKER_VERSIONING_BEHAVIOR: 'pinned' })).toThrow(/WORKER_VERSIONING_BEHAVIOR=pinned/);
  });
});

it('a versioned worker gets tasks once its version is current, and the run is pinned to it', async () => {
  quietWorkerLogs();
  const address = temporalAddress();
  const deploymentName = `engine-test-${randomUUID()}`;
  const buildId = 'build-1';
  const deployment = workerDeploymentFromEnv({ WORKER_DEPLOYMENT_NAME: deploymentName, WORKER_BUILD_ID: buildId, WORKER_VERSIONING_BEHAVIOR: 'PINNED' })!;
  const taskQueue = `deployment-test-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  try {
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../workflows/order-placed'),
      activities: { runConnector: async () => ({ id: 'x', firstName: 'Known' }) },
      workerDeploymentOptions: deployment,
    });
    await worker.runUntil(async () => {
      // What `temporal worker deployment set-current-version` does; the version exists once its worker has polled.
      await eventually(
        () =>
          connection.workflowService
            .setWorkerDeploymentCurrentVersion({ namespace: 'default', deploymentName, buildId, identity: 'deployment-test' })
            .then(() => true)
            .catch(() => undefined),
        30_000,
        'the version to be made current',
      );
      const handle = await client.workflow.start(orderPlaced, {
        taskQueue,
        workflowId: `orderPlaced/test/${randomUUID()}`,
        args: [{ channelId: 'c', deliveryId: 'd', body: { orderId: 'o', customerEmail: 'a@example.com', total: 1, currency: 'EUR' } }],
      });
      await handle.result();
      const versioning = (await handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
      expect(versioning?.behavior).toBe(temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED);
      expect(versioning?.deploymentVersion).toMatchObject({ deploymentName, buildId });
    });
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
});
