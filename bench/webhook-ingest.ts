/**
 * Webhook ingest: N valid webhooks through the API (each until its 202) against N bare
 * `client.workflow.start` calls, same concurrency, same Temporal, no worker (only acceptance is
 * measured). The API is the built one in its own process (`dist/api/main.js`, as `npm start` runs
 * it), so the load generator's work is not counted as the API's: measured from outside, as the
 * issue measured it. Ratio = API throughput / bare throughput. A third path, bare starts carrying the
 * same run metadata as the API's (search attributes, summary, details, reuse policy), tells the
 * API layer's cost apart from what Temporal pays to index that metadata.
 */
import { randomUUID } from 'node:crypto';
import { RunStarter } from '../workflows/framework/run-starter';
import { flows } from '../workflows/flows';
import { orderPlacedExample } from '../workflows/order-placed.schema';
import { startApiProcess } from './support/api-process';
import { percentile, runConcurrently } from './support/harness';
import type { BenchContext } from './run';

export async function webhookIngest(ctx: BenchContext, n = Number(process.env.BENCH_WEBHOOKS ?? 1000), concurrency = 50) {
  const api = await startApiProcess({ address: ctx.address, taskQueue: ctx.idleTaskQueue, crmUrl: ctx.crmUrl, crmApiKey: ctx.crmApiKey });
  try {
    return await measure(ctx, api.url, n, concurrency);
  } finally {
    await api.stop();
  }
}

async function measure(ctx: BenchContext, apiUrl: string, n: number, concurrency: number) {
  const body = JSON.stringify(orderPlacedExample);
  const viaApi = async () => {
    const res = await fetch(`${apiUrl}/webhooks/demo-crm/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-delivery-id': randomUUID() }, body });
    if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer().catch(() => undefined);
  };
  // A provider redelivering one delivery over and over (as after an outage): every copy is a duplicate.
  const redelivered = async () => {
    const res = await fetch(`${apiUrl}/webhooks/demo-crm/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-delivery-id': 'bench-redelivered' }, body });
    if (res.status !== 202) throw new Error(`redelivered webhook answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer().catch(() => undefined);
  };
  const bare = async () => {
    await ctx.client.workflow.start('orderPlaced', {
      taskQueue: ctx.idleTaskQueue,
      workflowId: `bare/${randomUUID()}`,
      args: [{ channelId: 'demo-crm-default', deliveryId: randomUUID(), body: orderPlacedExample }],
    });
  };
  const orderFlow = flows.webhooksAt('demo-crm/orders')[0]!;
  const starter = new RunStarter(ctx.client, ctx.idleTaskQueue);
  const bareWithMetadata = async () => {
    await ctx.client.workflow.start('orderPlaced', starter.webhookStartOptions(orderFlow, 'demo-crm-default', randomUUID(), orderPlacedExample));
  };
  // Warm up every path, then measure each twice and keep its better run. The order is
  // bare, metadata, API, API, metadata, bare: every run leaves n more open workflows behind (no
  // worker runs them), so a fixed order would always hand one path the larger Temporal database.
  await runConcurrently(100, concurrency, viaApi);
  await runConcurrently(100, concurrency, bareWithMetadata);
  await runConcurrently(100, concurrency, bare);
  await runConcurrently(100, concurrency, redelivered);
  type Run = Awaited<ReturnType<typeof runConcurrently>>;
  const runs = { api: [] as Run[], bare: [] as Run[], meta: [] as Run[], dup: [] as Run[] };
  runs.bare.push(await runConcurrently(n, concurrency, bare));
  runs.meta.push(await runConcurrently(n, concurrency, bareWithMetadata));
  runs.api.push(await runConcurrently(n, concurrency, viaApi));
  runs.dup.push(await runConcurrently(n, concurrency, redelivered));
  runs.dup.push(await runConcurrently(n, concurrency, redelivered));
  runs.api.push(await runConcurrently(n, concurrency, viaApi));
  runs.meta.push(await runConcurrently(n, concurrency, bareWithMetadata));
  runs.bare.push(await runConcurrently(n, concurrency, bare));
  const best = (list: typeof runs.api) => list.reduce((a, b) => (a.seconds < b.seconds ? a : b));
  const viaApiBest = best(runs.api);
  const baseline = best(runs.bare);
  const withMetadata = best(runs.meta);
  const duplicates = best(runs.dup);
  const rate = (r: typeof viaApiBest) => n / r.seconds;
  return {
    rows: [
      {
        path: 'POST /webhooks (the API in its own process)',
        'req/s': rate(viaApiBest).toFixed(0),
        'p50 ms': percentile(viaApiBest.latencies, 50).toFixed(1),
        'p99 ms': percentile(viaApiBest.latencies, 99).toFixed(1),
      },
      { path: 'client.workflow.start (bare)', 'req/s': rate(baseline).toFixed(0), 'p50 ms': percentile(baseline.latencies, 50).toFixed(1), 'p99 ms': percentile(baseline.latencies, 99).toFixed(1) },
      {
        path: `bare + the API's run metadata (API ÷ this: ${(rate(viaApiBest) / rate(withMetadata)).toFixed(2)})`,
        'req/s': rate(withMetadata).toFixed(0),
        'p50 ms': percentile(withMetadata.latencies, 50).toFixed(1),
        'p99 ms': percentile(withMetadata.latencies, 99).toFixed(1),
      },
      {
        path: `POST /webhooks, the same delivery redelivered (÷ new: ${(rate(duplicates) / rate(viaApiBest)).toFixed(2)}, target ≥ 1)`,
        'req/s': rate(duplicates).toFixed(0),
        'p50 ms': percentile(duplicates.latencies, 50).toFixed(1),
        'p99 ms': percentile(duplicates.latencies, 99).toFixed(1),
      },
    ],
    result: {
      n,
      concurrency,
      apiPerSecond: rate(viaApiBest),
      barePerSecond: rate(baseline),
      ratio: rate(viaApiBest) / rate(baseline),
      target: 0.95,
      redeliveredPerSecond: rate(duplicates),
      redeliveredToNew: rate(duplicates) / rate(viaApiBest),
      redeliveredP99: percentile(duplicates.latencies, 99),
      bareWithMetadataPerSecond: rate(withMetadata),
      ratioToBareWithMetadata: rate(viaApiBest) / rate(withMetadata),
      apiP50: percentile(viaApiBest.latencies, 50),
      apiP99: percentile(viaApiBest.latencies, 99),
      bareP50: percentile(baseline.latencies, 50),
      bareP99: percentile(baseline.latencies, 99),
    },
  };
}
