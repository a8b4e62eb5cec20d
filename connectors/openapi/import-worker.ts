/**
 * The worker thread an import runs in (started by worker-runner.ts from the compiled file): it
 * processes the document given as workerData and posts back the result, or the error as plain
 * data (an ImportError keeps its issues). It touches no store: the main thread writes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ImportError } from './errors';
import { processDocument, type ProcessedDocument, type ProcessRequest } from './process-document';
import type { ImportIssue } from './spec';

export type WorkerReply =
  | { ok: true; result: ProcessedDocument }
  | { ok: false; error: { kind: 'import'; message: string; issues: ImportIssue[] } | { kind: 'depth'; message: string } | { kind: 'internal'; message: string; stack?: string } };

function errorOf(err: unknown): Extract<WorkerReply, { ok: false }>['error'] {
  if (err instanceof ImportError) return { kind: 'import', message: err.message, issues: err.issues };
  // The recursive parts (the parser's dereferencing, structured cloning) give up on absurd nesting.
  if (err instanceof RangeError && /call stack/i.test(err.message)) return { kind: 'depth', message: 'the document is nested too deeply to process' };
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined };
}

async function main(): Promise<void> {
  let reply: WorkerReply;
  try {
    reply = { ok: true, result: await processDocument(workerData as ProcessRequest) };
  } catch (err) {
    reply = { ok: false, error: errorOf(err) };
  }
  parentPort!.postMessage(reply);
}

void main();
