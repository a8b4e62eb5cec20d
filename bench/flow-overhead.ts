/**
 * Flow overhead: K flows each calling three connectors against a loopback CRM, against bare
 * workflows whose three activities call `fetch` directly. Same Temporal, same worker process,
 * same concurrency. Ratio = connector flows/s / bare flows/s.
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
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
    const localConnectors = () =>
      ctx.client.workflow.execute('threeConnectorCalls', { taskQueue, workflowId: `bench/l/${randomUUID()}`, args: [{ channelId: 'demo-crm-default', local: true }] }).then(() => undefined);
    // Eager start: the client shares the worker's connection, so the server hands the run's first
    // workflow task back in its answer to the start, without matching and a poll.
    const eagerClient = new Client({ connection, namespace: ctx.client.options.namespace });
    const eagerLocalConnectors = async () => {
      const handle = await eagerClient.workflow.start('threeConnectorCalls', {
        taskQueue,
        workflowId: `bench/e/${randomUUID()}`,
        args: [{ channelId: 'demo-crm-default', local: true }],
        requestEagerStart: true,
      });
      if (handle.eagerlyStarted) eagerlyStarted += 1;
      await handle.result();
    };
    let eagerlyStarted = 0;
    const bare = () =>
      ctx.client.workflow.execute('threeBareFetches', { taskQueue, workflowId: `bench/b/${randomUUID()}`, args: [{ baseUrl: ctx.crmUrl, apiKey: ctx.crmApiKey }] }).then(() => undefined);
    await runConcurrently(30, concurrency, connectors);
    await runConcurrently(30, concurrency, bare);
    await runConcurrently(30, concurrency, localConnectors);
    await runConcurrently(30, concurrency, eagerLocalConnectors);
    const runs = { connectors: [] as number[], bare: [] as number[], local: [] as number[], eager: [] as number[] };
    for (let round = 0; round < 2; round++) {
      runs.bare.push((await runConcurrently(k, concurrency, bare)).seconds);
      runs.connectors.push((await runConcurrently(k, concurrency, connectors)).seconds);
      runs.local.push((await runConcurrently(k, concurrency, localConnectors)).seconds);
      runs.eager.push((await runConcurrently(k, concurrency, eagerLocalConnectors)).seconds);
    }
    const perSecond = (seconds: number[]) => k / Math.min(...seconds);
    const ratio = perSecond(runs.connectors) / perSecond(runs.bare);
    // Temporal's work per flow: one run of each kind, its history events and workflow tasks.
    const work = async (prefix: string) => {
      const [execution] = await collect(ctx.client.workflow.list({ query: `WorkflowId STARTS_WITH '${prefix}' AND ExecutionStatus = 'Completed'`, pageSize: 1 }), 1);
      const events = (await ctx.client.workflow.getHandle(execution!.workflowId, execution!.runId).fetchHistory()).events ?? [];
      return { events: events.length, workflowTasks: events.filter((event) => event.workflowTaskCompletedEventAttributes).length };
    };
    const [connectorsWork, localWork, eagerWork, bareWork] = [await work('bench/c/'), await work('bench/l/'), await work('bench/e/'), await work('bench/b/')];
    const row = (flows: string, rate: number, w: { events: number; workflowTasks: number }) => ({ flows, 'flows/s': rate.toFixed(1), 'history events': w.events, 'workflow tasks': w.workflowTasks });
    return {
      rows: [
        row('three connector calls (engine)', perSecond(runs.connectors), connectorsWork),
        row('three connector calls as local activities', perSecond(runs.local), localWork),
        row(`the same, started eagerly (${eagerlyStarted} of ${30 + 2 * k} eager)`, perSecond(runs.eager), eagerWork),
        row('three bare fetch activities', perSecond(runs.bare), bareWork),
      ],
      result: {
        k,
        concurrency,
        enginePerSecond: perSecond(runs.connectors),
        localPerSecond: perSecond(runs.local),
        barePerSecond: perSecond(runs.bare),
        ratio,
        target: 0.9,
        localToActivities: perSecond(runs.local) / perSecond(runs.connectors),
        eagerPerSecond: perSecond(runs.eager),
        eagerToLocal: perSecond(runs.eager) / perSecond(runs.local),
        eagerlyStarted,
        temporalWork: { activities: connectorsWork, local: localWork, eager: eagerWork, bare: bareWork },
      },
    };
  } finally {
    flowsWorker.shutdown();
    await running;
    await connection.close();
  }
}

async function collect<T>(items: AsyncIterable<T>, most: number): Promise<T[]> {
  const found: T[] = [];
  for await (const item of items) {
    found.push(item);
    if (found.length >= most) break;
  }
  return found;
}
