/** Sending the webhook fuzz's requests: each byte for byte on a connection of its own, a pool at a time. */
import { request, type ClientRequest, type OutgoingHttpHeaders } from 'node:http';
import type { FuzzRequest } from './types';

const REQUEST_TIMEOUT_MS = 20_000;

export interface Answer {
  /** 0 when no status line came back. */
  status: number;
  text: string;
  error?: string;
  ms: number;
}

/** One request on its own connection (node:http, no keep-alive), the target sent byte for byte. */
export function send(port: number, r: FuzzRequest): Promise<Answer> {
  return new Promise((resolve) => {
    const started = Date.now();
    let status = 0;
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      resolve({ status, text: Buffer.concat(chunks).toString('utf8').slice(0, 2_000), ms: Date.now() - started, ...(error ? { error } : {}) });
    };
    const headers: OutgoingHttpHeaders = { ...r.headers };
    if (!r.chunked) headers['content-length'] = r.body.length;
    let req: ClientRequest;
    try {
      req = request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent: false, timeout: REQUEST_TIMEOUT_MS }, (res) => {
        status = res.statusCode ?? 0;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => finish());
        res.on('error', (err) => finish(err.message));
      });
    } catch (err) {
      finish(`the client refused to send it: ${(err as Error).message}`);
      return;
    }
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    // An error after the status line (the server closed while a huge body was still going out) still counts as answered.
    req.on('error', (err) => finish(err.message));
    if (r.chunked) {
      for (let at = 0; at < r.body.length; at += 64 * 1024) req.write(r.body.subarray(at, at + 64 * 1024));
      req.end();
    } else {
      req.end(r.body);
    }
  });
}

/** Runs `work` over `items`, `limit` at a time, keeping the order of the results. */
export async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
