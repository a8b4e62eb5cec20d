/**
 * Polling sync: N records (default 100,000) paged from a loopback CRM's change feed through the
 * `syncContactsToMailingList` flow into a loopback target, by the real worker process (as `npm
 * start` runs it), against a plain script doing the same paging and the same writes (10 at a time)
 * with no Temporal. Reports records/s and their ratio, the worker's RSS at 10,000 and at N records,
 * and the largest history of any run in the continue-as-new chain. The worker gets npm start's Node
 * flags (its heap limit, WORKER_HEAP_MB); BENCH_LIVE_HEAP=1 adds what is live after a full collection.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoCrm, type DemoCrm } from '../demo/crm-server';
import { workerNodeArgsFromEnv } from '../runtime/worker-node-args';
import { generateKey } from '../store/credential-cipher';
import { freePort } from '../test/support/ports';
import type { BenchContext } from './run';
import { LiveHeapProbe, type LiveHeap } from './support/live-heap';

const API_KEY = 'bench-polling-key';

/** The worker's V8 heap in use, from its own Prometheus metrics (prom-client's default process metrics). */
async function heapUsedMb(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const value = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1];
  return value ? Number(value) / 1024 / 1024 : Number.NaN;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.replace(/\D+/g, '')) / 1024 : Number.NaN;
}

interface LiveAfterGc {
  rssMb: number;
  heap: LiveHeap;
}

async function liveAfterGc(probe: LiveHeapProbe, pid: number): Promise<LiveAfterGc> {
  const heap = await probe.measure();
  return { heap, rssMb: rssMb(pid) };
}

/** A row of the table that carries a figure in words rather than a sync's records and rate. */
function note(text: string) {
  return { sync: text, records: '', seconds: '', 'records/s': '' };
}

function liveRows(at10k: LiveHeap, atEnd: LiveHeap) {
  const row = (what: string, before: number | undefined, after: number | undefined) => note(`  ${what} live heap: ${before?.toFixed(1) ?? '?'} → ${after?.toFixed(1) ?? '?'}`);
  return [row('main thread', at10k.mainMb, atEnd.mainMb), ...atEnd.threads.map((t) => row(`workflow thread ${t.title}`, at10k.threads.find((b) => b.title === t.title)?.mb, t.mb))];
}

/** The plain script: page the change feed, write each page 10 at a time, no Temporal. */
async function plainSync(source: DemoCrm, target: DemoCrm): Promise<void> {
  const headers = { 'x-api-key': API_KEY, 'content-type': 'application/json' };
  let after = '0';
  for (;;) {
    const page = (await (await fetch(`${source.url}/api/contacts/changes?after=${after}&limit=100`, { headers })).json()) as {
      items: Array<{ id: string; email: string; firstName: string; lastName: string; updatedAt: string }>;
      nextCursor: string;
      hasMore: boolean;
    };
    for (let i = 0; i < page.items.length; i += 10) {
      await Promise.all(
        page.items.slice(i, i + 10).map(async (c) => {
          const res = await fetch(`${target.url}/api/mailing-list/members/${encodeURIComponent(c.email)}`, {
            method: 'PUT',
            headers: { ...headers, 'idempotency-key': `${c.id}@${c.updatedAt}` },
            body: JSON.stringify({ firstName: c.firstName, lastName: c.lastName, sourceId: c.id }),
          });
          if (!res.ok) throw new Error(`PUT ${res.status}`);
        }),
      );
    }
    after = page.nextCursor;
    if (!page.hasMore) return;
  }
}

export async function pollingSync(ctx: BenchContext, records = Number(process.env.BENCH_RECORDS ?? 100_000)) {
  // Baseline first, on a CRM of its own.
  const baselineCrm = await startDemoCrm({ apiKey: API_KEY, contacts: records });
  const baselineStart = performance.now();
  await plainSync(baselineCrm, baselineCrm);
  const baselineSeconds = (performance.now() - baselineStart) / 1000;
  if (baselineCrm.mailingList.size !== records) throw new Error(`baseline wrote ${baselineCrm.mailingList.size} of ${records}`);
  await baselineCrm.close();

  const crm = await startDemoCrm({ apiKey: API_KEY, contacts: records });
  const taskQueue = `bench-polling-${randomUUID()}`;
  const metricsPort = await freePort();
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  // BENCH_WORKER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (Node refuses --cpu-prof in NODE_OPTIONS).
  // The worker's own flags first (as npm start gives them); V8 takes the last of a repeated flag.
  const nodeArgs = [...workerNodeArgsFromEnv(process.env), ...(process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
  // BENCH_LIVE_HEAP=1: also the heap left after a forced full collection, at 10k and at the end
  // (over the inspector), which tells garbage not yet collected from memory still held.
  const inspectPort = process.env.BENCH_LIVE_HEAP === '1' ? await freePort() : undefined;
  if (inspectPort) nodeArgs.push(`--inspect=127.0.0.1:${inspectPort}`);
  const worker = spawn(process.execPath, [...nodeArgs, join(__dirname, '..', 'worker', 'main.js')], {
    env: {
      ...process.env,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'engine-bench-polling-')),
      CREDENTIALS_KEYS: generateKey('bench'),
      TEMPORAL_ADDRESS: ctx.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKER_METRICS_PORT: String(metricsPort),
      WORKER_SDK_METRICS_PORT: String(await freePort()),
      DEMO_SYNC_EVERY: '1h',
      LOG_LEVEL: 'warn',
      CHANNEL_DEMO_CRM_SETTINGS: JSON.stringify({ baseUrl: crm.url }),
      CHANNEL_DEMO_CRM_CREDENTIALS: JSON.stringify({ apiKey: API_KEY }),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const scheduleId = 'syncContactsToMailingList/demo-crm-default';
  let probe: LiveHeapProbe | undefined;
  try {
    if (inspectPort) probe = await LiveHeapProbe.connect(inspectPort);
    const samples: Array<{ written: number; rssMb: number }> = [];
    let firstWriteAt = 0;
    let heapAt10k = Number.NaN;
    let liveAt10k: LiveAfterGc | undefined;
    while (crm.mailingList.size < records) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (!firstWriteAt && crm.mailingList.size > 0) firstWriteAt = performance.now();
      samples.push({ written: crm.mailingList.size, rssMb: rssMb(worker.pid!) }); // before the probe's collection
      if (Number.isNaN(heapAt10k) && crm.mailingList.size >= Math.min(10_000, records)) {
        heapAt10k = await heapUsedMb(metricsUrl);
        if (probe) liveAt10k = await liveAfterGc(probe, worker.pid!);
      }
      if (worker.exitCode !== null) throw new Error(`worker exited with ${worker.exitCode}`);
    }
    const engineSeconds = (performance.now() - firstWriteAt) / 1000;
    const before = samples.find((s) => s.written > 0)?.rssMb ?? Number.NaN;
    const at10k = samples.find((s) => s.written >= Math.min(10_000, records))?.rssMb ?? Number.NaN;
    const atEnd = samples.at(-1)!.rssMb;
    const peak = Math.max(...samples.map((s) => s.rssMb));
    // RSS counts what V8 and the Rust core hold; the heap in use tells whether JavaScript objects pile up.
    const heapAtEnd = await heapUsedMb(metricsUrl);
    const liveAtEnd = probe ? await liveAfterGc(probe, worker.pid!) : undefined;

    const { workflow } = (await ctx.client.schedule.getHandle(scheduleId).describe()).info.recentActions[0]!.action;
    await ctx.client.workflow.getHandle(workflow.workflowId).result();
    let largestHistory = 0;
    let runs = 0;
    for await (const run of ctx.client.workflow.list({ query: `WorkflowId = "${workflow.workflowId}"` })) {
      runs += 1;
      largestHistory = Math.max(largestHistory, run.historyLength);
    }
    const engineRate = records / engineSeconds;
    const baselineRate = records / baselineSeconds;
    const doubled = [...crm.mailingListWrites.values()].filter((n) => n !== 1).length;
    return {
      rows: [
        { sync: 'engine (polling flow, worker process)', records, seconds: engineSeconds.toFixed(1), 'records/s': engineRate.toFixed(0) },
        { sync: 'plain script (no Temporal)', records, seconds: baselineSeconds.toFixed(1), 'records/s': baselineRate.toFixed(0) },
        note(`worker RSS MB: first write ${before.toFixed(0)}, at 10k ${at10k.toFixed(0)}, at ${records} ${atEnd.toFixed(0)}, peak ${peak.toFixed(0)}`),
        // Issue 18's memory goals: under 250 MB at the first write, under 20 MB of growth from 10k to the end.
        note(`  goals: first write < 250 (${before < 250 ? 'met' : 'missed'}), growth from 10k ${(atEnd - at10k).toFixed(0)} < 20 (${atEnd - at10k < 20 ? 'met' : 'missed'})`),
        note(`worker V8 heap used MB: at 10k ${heapAt10k.toFixed(0)}, at ${records} ${heapAtEnd.toFixed(0)}`),
        ...(liveAt10k && liveAtEnd
          ? [note(`after a full GC, MB at 10k → at ${records}: RSS ${liveAt10k.rssMb.toFixed(0)} → ${liveAtEnd.rssMb.toFixed(0)}`), ...liveRows(liveAt10k.heap, liveAtEnd.heap)]
          : []),
        note(`largest history ${largestHistory} events over ${runs} runs; records written twice: ${doubled}`),
      ],
      result: {
        records,
        engineSeconds,
        baselineSeconds,
        enginePerSecond: engineRate,
        baselinePerSecond: baselineRate,
        ratio: engineRate / baselineRate,
        target: 0.8, // issue 18: at least 0.8× the plain script
        rssMb: { firstWrite: before, at10k, atEnd, peak, growth10kToEnd: atEnd - at10k },
        heapUsedMb: { at10k: heapAt10k, atEnd: heapAtEnd },
        ...(liveAt10k && liveAtEnd ? { afterFullGc: { at10k: liveAt10k, atEnd: liveAtEnd } } : {}),
        largestHistoryEvents: largestHistory,
        runs,
        doubled,
      },
    };
  } finally {
    probe?.close(); // a process started with --inspect waits for its debugger to leave before it exits
    await ctx.client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
    if (worker.exitCode === null) {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
    }
    await crm.close();
  }
}
