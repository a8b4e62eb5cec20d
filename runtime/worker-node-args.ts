import { VARIABLES } from './config/environment';

/**
 * The Node flags a worker process starts with, wherever this project starts one (`npm start`,
 * `npm run dev`, the benches and the tests that run the built worker).
 *
 * A V8 heap limit, because with V8's own on a machine with memory to spare (a quarter of it, up to
 * 4 GB) its collector lets a heap grow to about four times what is live before a full collection:
 * through a sync the worker's RSS climbed with garbage while what was live stayed flat. Measured
 * (bench/RESULTS.md, polling-sync, 100,000 records, BENCH_LIVE_HEAP=1): the live heap after a full
 * collection is 48 MB on the main thread and 21 MB on the workflow thread from 10k records to the
 * end, and RSS grew 48 MB (peak 454) with V8's limit, −14 MB (peak 303) with 1 GB, at the same
 * records per second. Below 2 GB V8 grows the heap by 1.3–2× instead of 4×.
 *
 * What it costs: the SDK sizes its workflow cache from the limit ((limit − 200 MB) × 600 per GB:
 * about 500 runs at the default, against about 2,300 with V8's 4 GB), so a worker with more runs
 * waiting at once than that replays the others from history on their next task; and a worker whose
 * live heap passes the limit stops with an out-of-memory error (under `npm start` that stops the
 * system, as any crash of its processes does; in production a process manager restarts it and
 * Temporal retries what it was running). Raise WORKER_HEAP_MB for either.
 *
 * On the command line, so it wins over a `--max-old-space-size` in NODE_OPTIONS.
 */
export function workerNodeArgs(heapMb: number): string[] {
  return [`--max-old-space-size=${heapMb}`];
}

/** The same flags for a worker whose environment has not been through the whole configuration (the benches and tests that spawn one). */
export function workerNodeArgsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return workerNodeArgs(VARIABLES.WORKER_HEAP_MB.schema.parse(env.WORKER_HEAP_MB));
}

/** Whether a process's V8 heap limit is what `--max-old-space-size=<heapMb>` gives (V8 adds its young generation, tens of MB). */
export function hasHeapLimit(heapMb: number, heapSizeLimitMb: number): boolean {
  return heapSizeLimitMb >= heapMb && heapSizeLimitMb < heapMb + 128;
}
