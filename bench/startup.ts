/**
 * Start-up: `npm start`'s entry (dist/runtime/start.js, fresh data folder) until GET /health
 * answers 200, against the Temporal dev server alone until it serves. Best of three each.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from '../runtime/dev-server';
import { npmStartEnv } from './support/npm-start-env';
import { ensureTemporalCli } from '../runtime/temporal-cli';
import { freePort } from '../test/support/ports';

async function wholeSystem(): Promise<number> {
  const { env, apiPort } = await npmStartEnv('start');
  const started = performance.now();
  const child = spawn(process.execPath, [join(__dirname, '..', 'runtime', 'start.js')], { env, stdio: 'ignore' });
  try {
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${apiPort}/health`)).status === 200) return performance.now() - started;
      } catch {
        // not up yet
      }
      if (performance.now() - started > 120_000) throw new Error('no /health 200 within 120 s');
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
  const alone: number[] = [];
  for (let i = 0; i < 3; i++) {
    alone.push(await devServerAlone());
    system.push(await wholeSystem());
  }
  const best = (list: number[]) => Math.min(...list);
  return {
    rows: [
      { start: 'npm start (dev server + demo + worker + API) to /health 200', 'best of 3 (ms)': best(system).toFixed(0) },
      { start: 'temporal server start-dev alone, to serving', 'best of 3 (ms)': best(alone).toFixed(0) },
    ],
    result: { systemMs: system, devServerMs: alone, ratio: best(system) / best(alone) },
  };
}
