/**
 * The live heap of a Node process and of each of its worker threads, read over the inspector
 * protocol: a full garbage collection in each isolate, then its heap in use. RSS and the
 * heap-in-use metric also count garbage V8 has not collected yet (with a large heap limit it lets
 * a heap grow to several times its live size before a full collection), so they cannot tell a
 * leak from a lazy collector; the size after a forced full collection can. The process must run
 * with `--inspect=127.0.0.1:<port>`. Bench-only: forcing collections changes what it measures.
 */
import { WebSocket } from 'undici';

export interface LiveHeap {
  /** The main thread's heap in use after a full collection, MB. */
  mainMb: number;
  /** Each worker thread's (the SDK's workflow thread), by its title. */
  threads: Array<{ title: string; mb: number }>;
}

interface Reply {
  id?: number;
  method?: string;
  params?: { sessionId?: string; workerInfo?: { title: string }; message?: string };
  result?: { usedSize?: number };
  error?: { message?: string };
}

interface Waiter {
  method: string;
  resolve: (reply: Reply) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

const MB = 1024 * 1024;
const CALL_TIMEOUT_MS = 30_000;

export class LiveHeapProbe {
  private nextId = 0;
  private readonly waiting = new Map<number, Waiter>();
  private readonly threads = new Map<string, string>(); // session id → title

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => this.receive(JSON.parse(String(event.data)) as Reply));
    socket.addEventListener('close', () => this.failAll(new Error('the inspector closed the connection')));
  }

  /** Connects to the inspector on `port`, waiting up to `timeoutMs` for it to listen. */
  static async connect(port: number, timeoutMs = 30_000): Promise<LiveHeapProbe> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let socket: WebSocket | undefined;
      try {
        const [target] = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
        const opening = new WebSocket(target!.webSocketDebuggerUrl);
        socket = opening;
        await new Promise<void>((resolve, reject) => {
          opening.addEventListener('open', () => resolve(), { once: true });
          opening.addEventListener('error', () => reject(new Error(`inspector on port ${port} refused the connection`)), { once: true });
        });
        const probe = new LiveHeapProbe(opening);
        await probe.call('NodeWorker.enable', { waitForDebuggerOnStart: false });
        return probe;
      } catch (err) {
        socket?.close();
        if (Date.now() > deadline) throw new Error(`no inspector on port ${port}: ${(err as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /** Collects garbage in every isolate, then reads what is left. */
  async measure(): Promise<LiveHeap> {
    await this.call('HeapProfiler.collectGarbage');
    const main = await this.call('Runtime.getHeapUsage');
    const threads: LiveHeap['threads'] = [];
    for (const [sessionId, title] of this.threads) {
      await this.callThread(sessionId, 'HeapProfiler.enable');
      await this.callThread(sessionId, 'HeapProfiler.collectGarbage');
      threads.push({ title, mb: usedMb(await this.callThread(sessionId, 'Runtime.getHeapUsage')) });
    }
    return { mainMb: usedMb(main), threads };
  }

  /** Disconnects; a process started with `--inspect` waits for that before it exits. */
  close(): void {
    this.socket.close();
    this.failAll(new Error('the probe was closed'));
  }

  private receive(reply: Reply): void {
    if (reply.method === 'NodeWorker.attachedToWorker' && reply.params?.sessionId) this.threads.set(reply.params.sessionId, reply.params.workerInfo?.title ?? 'worker');
    if (reply.method === 'NodeWorker.detachedFromWorker' && reply.params?.sessionId) this.threads.delete(reply.params.sessionId);
    // A worker thread's replies arrive wrapped in the main session's event.
    const inner = reply.method === 'NodeWorker.receivedMessageFromWorker' && reply.params?.message ? (JSON.parse(reply.params.message) as Reply) : reply;
    const waiter = inner.id === undefined ? undefined : this.waiting.get(inner.id);
    if (!waiter) return;
    this.waiting.delete(inner.id!);
    clearTimeout(waiter.timer);
    if (inner.error) waiter.reject(new Error(`${waiter.method}: ${inner.error.message ?? 'refused'}`));
    else waiter.resolve(inner);
  }

  private call(method: string, params: object = {}): Promise<Reply> {
    const id = ++this.nextId;
    const reply = this.expect(id, method);
    this.socket.send(JSON.stringify({ id, method, params }));
    return reply;
  }

  private callThread(sessionId: string, method: string): Promise<Reply> {
    const id = ++this.nextId;
    const reply = this.expect(id, method);
    // The relay's own answer carries nothing; the thread's (awaited) has its own time limit.
    this.call('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params: {} }) }).catch(() => undefined);
    return reply;
  }

  private expect(id: number, method: string): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${method}: no answer within ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      this.waiting.set(id, { method, resolve, reject, timer });
    });
  }

  private failAll(err: Error): void {
    for (const waiter of this.waiting.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(err);
    }
    this.waiting.clear();
  }
}

function usedMb(reply: Reply): number {
  const used = reply.result?.usedSize;
  if (used === undefined) throw new Error('Runtime.getHeapUsage answered without usedSize');
  return used / MB;
}
