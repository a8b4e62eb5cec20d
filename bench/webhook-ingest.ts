/**
 * Webhook ingest: N valid webhooks through the API (each until its 202) against N bare
 * `client.workflow.start` calls, same concurrency, same Temporal, no worker (only acceptance is
 * measured). Ratio = API throughput / bare throughput.
 */
import { randomUUID } from 'node:crypto';
import { orderPlacedExample } from '../workflows/order-placed.schema';
import { percentile, runConcurrently } from './support/harness';
import type { BenchContext } from './run';

export async function webhookIngest(ctx: BenchContext, n = Number(process.env.BENCH_WEBHOOKS ?? 1000), concurrency = 50) {
  const { system } = ctx;
  const body = JSON.stringify(orderPlacedExample);
  const viaApi = async () => {
    const res = await fetch(`${system.apiUrl}/webhooks/demo-crm/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-delivery-id': randomUUID() }, body });
    if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer().catch(() => undefined);
  };
  const bare = async () => {
    await system.client.workflow.start('orderPlaced', { taskQueue: ctx.idleTaskQueue, workflowId: `bare/${randomUUID()}`, args: [{ channelId: 'demo-crm-default', deliveryId: randomUUID(), body: orderPlacedExample }] });
  };
  // Warm up both paths, then measure them alternately twice and keep the better run of each.
  await runConcurrently(100, concurrency, viaApi);
  await runConcurrently(100, concurrency, bare);
  const runs = { api: [] as Awaited<ReturnType<typeof runConcurrently>>[], bare: [] as Awaited<ReturnType<typeof runConcurrently>>[] };
  for (let round = 0; round < 2; round++) {
    runs.bare.push(await runConcurrently(n, concurrency, bare));
    runs.api.push(await runConcurrently(n, concurrency, viaApi));
  }
  const best = (list: typeof runs.api) => list.reduce((a, b) => (a.seconds < b.seconds ? a : b));
  const api = best(runs.api);
  const baseline = best(runs.bare);
  const rate = (r: typeof api) => n / r.seconds;
  return {
    rows: [
      { path: 'POST /webhooks (API)', 'req/s': rate(api).toFixed(0), 'p50 ms': percentile(api.latencies, 50).toFixed(1), 'p99 ms': percentile(api.latencies, 99).toFixed(1) },
      { path: 'client.workflow.start (bare)', 'req/s': rate(baseline).toFixed(0), 'p50 ms': percentile(baseline.latencies, 50).toFixed(1), 'p99 ms': percentile(baseline.latencies, 99).toFixed(1) },
    ],
    result: { n, concurrency, apiPerSecond: rate(api), barePerSecond: rate(baseline), ratio: rate(api) / rate(baseline), target: 0.85, apiP50: percentile(api.latencies, 50), apiP99: percentile(api.latencies, 99), bareP50: percentile(baseline.latencies, 50), bareP99: percentile(baseline.latencies, 99) },
  };
}
