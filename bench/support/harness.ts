/**
 * What every benchmark needs: its own real Temporal dev server (found or installed the same way as
 * `npm start`), a place to write results, and percentiles.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { startDevServer, type DevServer } from '../../runtime/dev-server';
import { ensureTemporalCli, projectRoot } from '../../runtime/temporal-cli';
import { freePort } from '../../test/support/ports';

export async function benchTemporal(): Promise<DevServer> {
  const dir = mkdtempSync(join(tmpdir(), 'engine-bench-'));
  return startDevServer({ cliPath: ensureTemporalCli(), dbFile: join(dir, 'temporal.sqlite'), port: await freePort() });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight; returns each one's latency in ms. */
export async function runConcurrently(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await task(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export function writeResult(name: string, result: unknown): string {
  const dir = join(projectRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ machine: machine(), at: new Date().toISOString(), ...(result as object) }, null, 2)}\n`);
  return file;
}

export function table(rows: Array<Record<string, string | number>>): string {
  const keys = Object.keys(rows[0] ?? {});
  const width = (k: string) => Math.max(k.length, ...rows.map((r) => String(r[k]).length));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(width(keys[i]!))).join(' | ')} |`;
  return [line(keys), line(keys.map((k) => '-'.repeat(width(k)))), ...rows.map((r) => line(keys.map((k) => String(r[k]))))].join('\n');
}
