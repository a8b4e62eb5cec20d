/**
 * Flow overhead: K flows each calling three connectors against a loopback CRM, against bare
 * workflows whose three activities call `fetch` directly. Same Temporal, same worker process,
 * same concurrency. Ratio = connector flows/s / bare flows/s.
 */
import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import * as baseline from './baseline-activities';
import { runConcurrently } from './support/harness';
import type { BenchContext } from './run';

export async function flowOverhead(ctx: BenchContext, k = Number(process.env.BENCH_FLOWS ?? 300), concurrency = 30) {
  const taskQueue = `bench-flows-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: ctx.address });
  // One worker, as the engine runs: flows, connector activities and the baseline's activities.
  const activities = {
    ...baseline,
    ...createActivities({ channels: ctx.store.channels, tokens: ctx.store.tokens, cursors: ctx.store.cursors, subscriptions: ctx.store.subscriptions, registry: ctx.registry }),
  };
  const flowsWorker = await Worker.create({ connection, taskQueue, workflowsPath: require.resolve('./workflows'), activities });
  const running = flowsWorker.run();
  try {
    const connectors = () => ctx.client.workflow.execute('threeConnectorCalls', { taskQueue, workflowId: `bench/c/${randomUUID()}`, args: [{ channelId: 'demo-crm-default' }] }).then(() => undefined);
    const bare = () =>
      ctx.client.workflow.execute('threeBareFetches', { taskQueue, workflowId: `bench/b/${randomUUID()}`, args: [{ baseUrl: ctx.crmUrl, apiKey: ctx.crmApiKey }] }).then(() => undefined);
    await runConcurrently(30, concurrency, connectors);
    await runConcurrently(30, concurrency, bare);
    const runs = { connectors: [] as number[], bare: [] as number[] };
    for (let round = 0; round < 2; round++) {
      runs.bare.push((await runConcurrently(k, concurrency, bare)).seconds);
      runs.connectors.push((await runConcurrently(k, concurrency, connectors)).seconds);
    }
    const perSecond = (seconds: number[]) => k / Math.min(...seconds);
    const ratio = perSecond(runs.connectors) / perSecond(runs.bare);
    return {
      rows: [
        { flows: 'three connector calls (engine)', 'flows/s': perSecond(runs.connectors).toFixed(1) },
        { flows: 'three bare fetch activities', 'flows/s': perSecond(runs.bare).toFixed(1) },
      ],
      result: { k, concurrency, enginePerSecond: perSecond(runs.connectors), barePerSecond: perSecond(runs.bare), ratio, target: 0.9 },
    };
  } finally {
    flowsWorker.shutdown();
    await running;
    await connection.close();
  }
}
