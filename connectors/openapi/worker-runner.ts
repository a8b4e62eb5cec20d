/**
 * Runs processDocument in a worker thread, off the API's event loop, with a time limit
 * (IMPORT_TIMEOUT_MS, default 10 s) and a memory limit (IMPORT_MEMORY_MB, default 256, the
 * worker's old-generation heap). Over either, the worker is terminated and the import refused
 * with an ImportLimitError saying which. At most IMPORT_CONCURRENCY (default 2) documents are
 * processed at once, so hostile imports cannot take more than that many limits of memory.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ImportError, ImportLimitError } from './errors';
import type { WorkerReply } from './import-worker';
import type { ProcessedDocument, ProcessRequest } from './process-document';
import type { Env } from '../../runtime/config/environment';

export interface ImportLimits {
  timeoutMs: number;
  memoryMb: number;
  /** IMPORT_CONCURRENCY: documents processed at once in this process (default 2). */
  concurrency?: number;
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${name}: must be a positive number, got "${value}"`);
  return number;
}

/** From the checked environment (the API's, handed in); `{}` gives the defaults. */
export function importLimits(env: Env): ImportLimits {
  return {
    timeoutMs: positive(env.IMPORT_TIMEOUT_MS, 10_000, 'IMPORT_TIMEOUT_MS'),
    memoryMb: positive(env.IMPORT_MEMORY_MB, 256, 'IMPORT_MEMORY_MB'),
    concurrency: positive(env.IMPORT_CONCURRENCY, 2, 'IMPORT_CONCURRENCY'),
  };
}

/**
 * The worker's file. A worker thread runs JavaScript, not TypeScript. Built, this module is
 * dist/connectors/openapi/worker-runner.js and the compiled worker sits next to it. Under ts-jest
 * this module is the .ts source (tests start the API in-process from sources), so the worker is
 * the compiled counterpart in dist/: `npm test` builds before running jest, and a targeted jest
 * run needs `npx tsc -p tsconfig.build.json` first. Missing, it is a clear error, not a hang.
 */
export function workerFile(): string {
  const here = __filename.endsWith('.ts') ? join(resolve(__dirname, '..', '..'), 'dist', relative(resolve(__dirname, '..', '..'), __dirname)) : __dirname;
  const file = join(here, 'import-worker.js');
  if (!existsSync(file)) throw new Error(`the OpenAPI import worker ${file} does not exist: build first (npm run build)`);
  return file;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

function runOnce(request: ProcessRequest, limits: ImportLimits): Promise<ProcessedDocument> {
  return new Promise((resolvePromise, reject) => {
    // execArgv: none of the parent's flags (a test runner's, an inspector) belong in the worker.
    const worker = new Worker(workerFile(), { workerData: request, resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb }, execArgv: [] });
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      action();
      void worker.terminate();
    };
    const timer = setTimeout(() => settle(() => reject(new ImportLimitError(`the document took longer than ${seconds(limits.timeoutMs)} to process (IMPORT_TIMEOUT_MS)`, 'time'))), limits.timeoutMs);
    worker.once('message', (reply: WorkerReply) =>
      settle(() => {
        if (reply.ok) return resolvePromise(reply.result);
        const { error } = reply;
        if (error.kind === 'import') return reject(new ImportError(error.message, error.issues));
        if (error.kind === 'depth') return reject(new ImportLimitError(error.message, 'depth'));
        reject(Object.assign(new Error(`OpenAPI import failed: ${error.message}`), { stack: error.stack }));
      }),
    );
    worker.once('error', (err: Error & { code?: string }) =>
      settle(() =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new ImportLimitError(`the document ran out of the ${limits.memoryMb} MB memory limit while being processed (IMPORT_MEMORY_MB)`, 'memory') : err,
        ),
      ),
    );
    worker.once('exit', (code) => settle(() => reject(new Error(`the OpenAPI import worker stopped (exit code ${code}) without an answer`))));
  });
}

let running = 0;
const waiting: Array<() => void> = [];

async function slot(max: number): Promise<() => void> {
  // A finished import hands its slot straight to the next waiting one, so `running` never overshoots.
  if (running >= max) await new Promise<void>((ready) => waiting.push(ready));
  else running++;
  return () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
}

/** processDocument in a worker thread, within `limits`. The time limit counts from the worker's start, not from the wait for a slot. */
export async function processInWorker(request: ProcessRequest, limits: ImportLimits = importLimits({})): Promise<ProcessedDocument> {
  const release = await slot(limits.concurrency ?? 2);
  try {
    return await runOnce(request, limits);
  } finally {
    release();
  }
}
