/**
 * `npm run bench -- peers`: the order webhook end to end on the engine and on n8n 2.8.4 (regular
 * mode on SQLite; queue mode with Redis and PostgreSQL), same machine, same demo CRM, same load
 * generator and concurrency, alternating rounds. Per side: accepted per second (until every
 * request is answered), finished per second (until every flow it accepted has finished), accept
 * p50/p99, CPU per flow over all of the side's processes, and how many of the sent requests ended
 * as recorded, successful runs. Never part of CI: n8n is installed on first use (n8n-install.ts).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { projectRoot } from '../../runtime/temporal-cli';
import { startTestPostgres } from '../../test/support/postgres';
import { orderPlacedExample } from '../../workflows/order-placed.schema';
import { percentile, runConcurrently } from '../support/harness';
import { startEngine } from './engine-system';
import { ensureN8n } from './n8n-install';
import { startN8n } from './n8n-server';
import { treeCpuByProgram } from './process-cpu';
import { startRedis } from './redis';

interface Side {
  name: string;
  webhookUrl: string;
  /** Successful and failed flows so far. */
  finished(): Promise<{ ok: number; failed: number }>;
  pids(): number[];
}

interface Round {
  side: string;
  acceptedPerSecond: number;
  finishedPerSecond: number;
  p50: number;
  p99: number;
  cpuMsPerFlow: number;
  /** CPU per flow by program: where the side's time goes. */
  cpuMsPerFlowBy: Record<string, number>;
  sent: number;
  answered2xx: number;
  recorded: number;
  failed: number;
}

const log = (line: string) => console.log(`[peers] ${line}`);

async function round(side: Side, n: number, concurrency: number): Promise<Round> {
  const before = await side.finished();
  const cpuBefore = treeCpuByProgram(side.pids());
  let answered2xx = 0;
  const started = performance.now();
  const sent = await runConcurrently(n, concurrency, async (i) => {
    const res = await fetch(side.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-delivery-id': randomUUID() },
      body: JSON.stringify({ ...orderPlacedExample, orderId: `ord_peer_${i}_${randomUUID().slice(0, 8)}` }),
    });
    await res.arrayBuffer();
    if (res.ok) answered2xx += 1;
  });
  let after = await side.finished();
  const deadline = Date.now() + 10 * 60_000;
  while (after.ok + after.failed - before.ok - before.failed < answered2xx && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    after = await side.finished();
  }
  const finishedSeconds = (performance.now() - started) / 1000;
  const recorded = after.ok - before.ok;
  const cpuBy = Object.fromEntries([...treeCpuByProgram(side.pids())].map(([program, ms]) => [program, (ms - (cpuBefore.get(program) ?? 0)) / Math.max(1, recorded)]));
  const cpu = Object.values(cpuBy).reduce((sum, ms) => sum + ms, 0) * Math.max(1, recorded);
  return {
    side: side.name,
    acceptedPerSecond: n / sent.seconds,
    finishedPerSecond: recorded / finishedSeconds,
    p50: percentile(sent.latencies, 50),
    p99: percentile(sent.latencies, 99),
    cpuMsPerFlow: cpu / Math.max(1, recorded),
    cpuMsPerFlowBy: cpuBy,
    sent: n,
    answered2xx,
    recorded,
    failed: after.failed - before.failed,
  };
}

export async function peers(n = Number(process.env.BENCH_PEER_WEBHOOKS ?? 600), concurrency = Number(process.env.BENCH_PEER_CONCURRENCY ?? 16), rounds = 2) {
  const bin = ensureN8n(log);
  log('starting the engine, n8n (regular), Redis, PostgreSQL and n8n (queue)');
  // Whatever started is stopped again, also when a later start fails.
  const stops: Array<() => Promise<void>> = [];
  const started = async <T extends { stop(): Promise<void> }>(what: Promise<T>): Promise<T> => {
    const service = await what;
    stops.unshift(() => service.stop());
    return service;
  };
  try {
    const engine = await started(startEngine());
    const [redis, postgres] = await Promise.all([started(startRedis(log)), started(startTestPostgres(join(projectRoot, 'test', 'support', 'postgres-server.mjs')))]);
    const crm = { crmUrl: engine.crmUrl, crmApiKey: engine.crmApiKey };
    const regular = await started(startN8n({ bin, ...crm }));
    const queue = await started(startN8n({ bin, ...crm, queue: { redisPort: redis.port, postgresUrl: postgres.url, workerConcurrency: 10 } }));
    const sides: Side[] = [
      { name: 'engine (npm start)', webhookUrl: engine.webhookUrl, pids: engine.pids, finished: async () => engine.runs().then((r) => ({ ok: r.completed, failed: r.failed })) },
      { name: `n8n regular, SQLite`, webhookUrl: regular.webhookUrl, pids: regular.pids, finished: async () => regular.executions().then((e) => ({ ok: e.success, failed: e.error })) },
      {
        name: `n8n queue, Redis + PostgreSQL`,
        webhookUrl: queue.webhookUrl,
        pids: () => [...queue.pids(), redis.pid, ...(postgres.pid ? [postgres.pid] : [])],
        finished: async () => queue.executions().then((e) => ({ ok: e.success, failed: e.error })),
      },
    ];
    return await measure(sides, n, concurrency, rounds);
  } finally {
    for (const stop of stops) await stop().catch((err: Error) => log(`stopping: ${err.message}`));
  }
}

async function measure(sides: Side[], n: number, concurrency: number, rounds: number) {
  // Warm-up: every side's first flows pay for caches, JIT and connections.
  for (const side of sides) await round(side, 50, concurrency);
  const results: Round[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
      const result = await round(side, n, concurrency);
      const by = Object.entries(result.cpuMsPerFlowBy)
        .filter(([, ms]) => ms >= 0.5)
        .sort((a, b) => b[1] - a[1])
        .map(([program, ms]) => `${program} ${ms.toFixed(1)}`);
      log(`${side.name}: ${result.finishedPerSecond.toFixed(1)} finished/s, ${result.cpuMsPerFlow.toFixed(0)} ms CPU per flow (${by.join(', ')})`);
      results.push(result);
    }
  }
  const best = (name: string) => results.filter((r) => r.side === name).reduce((a, b) => (a.finishedPerSecond > b.finishedPerSecond ? a : b));
  const [ours, theirs, theirsQueued] = sides.map((side) => best(side.name)) as [Round, Round, Round];
  return {
    rows: [ours, theirs, theirsQueued].map((r) => ({
      side: r.side,
      'accepted/s': r.acceptedPerSecond.toFixed(1),
      'p50 ms': r.p50.toFixed(0),
      'p99 ms': r.p99.toFixed(0),
      'finished/s': r.finishedPerSecond.toFixed(1),
      'CPU ms/flow': r.cpuMsPerFlow.toFixed(0),
      'recorded runs': `${r.recorded} of ${r.sent}${r.failed ? ` (${r.failed} failed)` : ''}`,
    })),
    result: {
      n,
      concurrency,
      rounds: results,
      ratio: ours.finishedPerSecond / theirs.finishedPerSecond,
      target: 2,
      finishedToN8nQueue: ours.finishedPerSecond / theirsQueued.finishedPerSecond,
      cpuPerFlowToN8n: ours.cpuMsPerFlow / theirs.cpuMsPerFlow,
      cpuTarget: 1,
      acceptedToN8n: ours.acceptedPerSecond / theirs.acceptedPerSecond,
    },
    otherGoals: [{ label: 'CPU per flow', ratio: ours.cpuMsPerFlow / theirs.cpuMsPerFlow, targetAtMost: 1 }],
  };
}
