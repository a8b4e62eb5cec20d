/**
 * Start-up: `npm start`'s entry (dist/runtime/start.js, fresh data folder) until GET /health
 * answers 200 (the goal's measure), and on until its status is `ok` (a worker polls the flows'
 * queue: what "ready" waits for), against the Temporal dev server alone until it serves. Best of
 * three each.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from '../runtime/dev-server';
import { npmStartEnv } from './support/npm-start-env';
import { ensureTemporalCli } from '../runtime/temporal-cli';
import { freePort } from '../test/support/ports';

async function wholeSystem(): Promise<{ answeredMs: number; workerMs: number }> {
  const { env, apiPort } = await npmStartEnv('start');
  const started = performance.now();
  const child = spawn(process.execPath, [join(__dirname, '..', 'runtime', 'start.js')], { env, stdio: 'ignore' });
  let answeredMs: number | undefined;
  try {
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${apiPort}/health`);
        if (response.status === 200) {
          answeredMs ??= performance.now() - started;
          if (((await response.json()) as { status: string }).status === 'ok') return { answeredMs, workerMs: performance.now() - started };
        }
      } catch {
        // not up yet
      }
      if (performance.now() - started > 120_000) throw new Error('no /health ok within 120 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }
}

async function devServerAlone(): Promise<number> {
  const started = performance.now();
  const server = await startDevServer({ cliPath: ensureTemporalCli(), dbFile: join(mkdtempSync(join(tmpdir(), 'engine-bench-dev-')), 't.sqlite'), port: await freePort(), readyTimeoutMs: 120_000 });
  const ms = performance.now() - started;
  await server.stop();
  return ms;
}

export async function startup() {
  const system: number[] = [];
  const worker: number[] = [];
  const alone: number[] = [];
  for (let i = 0; i < 3; i++) {
    alone.push(await devServerAlone());
    const run = await wholeSystem();
    system.push(run.answeredMs);
    worker.push(run.workerMs);
  }
  const best = (list: number[]) => Math.min(...list);
  return {
    rows: [
      { start: 'npm start (dev server + demo + worker + API) to /health 200', 'best of 3 (ms)': best(system).toFixed(0) },
      { start: "npm start to /health status ok (a worker polls the flows' queue)", 'best of 3 (ms)': best(worker).toFixed(0) },
      { start: 'temporal server start-dev alone, to serving', 'best of 3 (ms)': best(alone).toFixed(0) },
    ],
    result: { systemMs: system, workerReadyMs: worker, devServerMs: alone, ratio: best(system) / best(alone), targetAtMost: 1.5, workerReadyRatio: best(worker) / best(alone) },
  };
}
