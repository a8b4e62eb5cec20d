/**
 * A loopback proxy in front of a service that misbehaves at random for the requests it is told to
 * disturb: 500s, 429s with Retry-After, answers slower than the caller's timeout (the request is
 * still applied, late), and dropped connections (before or after applying the request). It logs
 * every disturbed request, so a test can check what arrived when. Seeded: a run can be repeated.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'none' | 'status-500' | 'rate-limited' | 'slow' | 'drop-before' | 'drop-after';

export interface ChaosEvent {
  /** When the request arrived (ms, performance.now()). */
  at: number;
  /** What identifies the request across retries, e.g. its idempotency key. */
  key: string;
  fault: Fault;
  /** For `rate-limited`: the Retry-After sent, in ms. */
  retryAfterMs?: number;
}

export interface ChaosOptions {
  target: string;
  seed: number;
  /** Share of disturbed requests that fail. */
  failureRate: number;
  /** Which requests to disturb, and the key to log them under (undefined: pass through untouched). */
  disturb: (req: IncomingMessage) => string | undefined;
  /** How long a slow answer takes; past the caller's timeout. */
  slowMs: number;
  /** At most this many slow answers (each costs the caller a whole timeout). */
  maxSlow: number;
}

export interface ChaosProxy {
  url: string;
  events: ChaosEvent[];
  close(): Promise<void>;
}

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startChaosProxy(options: ChaosOptions): Promise<ChaosProxy> {
  const random = seededRandom(options.seed);
  const events: ChaosEvent[] = [];
  let slowSoFar = 0;
  const pending = new Set<Promise<unknown>>();

  const pickFault = (): Fault => {
    if (random() >= options.failureRate) return 'none';
    const faults: Fault[] = slowSoFar < options.maxSlow ? ['status-500', 'rate-limited', 'drop-before', 'drop-after', 'slow'] : ['status-500', 'rate-limited', 'drop-before', 'drop-after'];
    return faults[Math.floor(random() * faults.length)]!;
  };

  const server = createServer((req, res) => {
    const work = handle(req, res).catch(() => res.destroy());
    pending.add(work);
    void work.finally(() => pending.delete(work));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const key = options.disturb(req);
    if (key === undefined) return forward(req, body, res);
    const fault = pickFault();
    const event: ChaosEvent = { at: performance.now(), key, fault };
    events.push(event);
    switch (fault) {
      case 'none':
        return forward(req, body, res);
      case 'status-500':
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"chaos: internal error"}');
        return;
      case 'rate-limited': {
        const seconds = 1 + Math.floor(random() * 2);
        event.retryAfterMs = seconds * 1000;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(seconds) }).end('{"error":"chaos: slow down"}');
        return;
      }
      case 'slow':
        slowSoFar += 1;
        await new Promise((resolve) => setTimeout(resolve, options.slowMs));
        return forward(req, body, res); // applied, but the caller gave up long ago
      case 'drop-before':
        req.socket.destroy();
        return;
      case 'drop-after':
        await forward(req, body, undefined);
        req.socket.destroy();
        return;
    }
  }

  /** Sends the request on to the target; answers `res` with the target's answer when given. */
  function forward(req: IncomingMessage, body: Buffer, res: ServerResponse | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: new URL(options.target).host };
      const upstream = httpRequest(new URL(req.url ?? '/', options.target), { method: req.method, headers, agent: false }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          if (res && !res.destroyed) res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(chunks));
          resolve();
        });
        answer.on('error', reject);
      });
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...pending]);
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
