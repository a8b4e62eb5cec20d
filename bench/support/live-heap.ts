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
}

const MB = 1024 * 1024;

export class LiveHeapProbe {
  private nextId = 0;
  private readonly waiting = new Map<number, (reply: Reply) => void>();
  private readonly threads = new Map<string, string>(); // session id → title

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => this.receive(JSON.parse(String(event.data)) as Reply));
  }

  /** Connects to the inspector on `port`, waiting up to `timeoutMs` for it to listen. */
  static async connect(port: number, timeoutMs = 30_000): Promise<LiveHeapProbe> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const [target] = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
        const socket = new WebSocket(target!.webSocketDebuggerUrl);
        await new Promise<void>((resolve, reject) => {
          socket.addEventListener('open', () => resolve(), { once: true });
          socket.addEventListener(
            'error',
            () => {
              socket.close();
              reject(new Error(`inspector on port ${port} refused the connection`));
            },
            { once: true },
          );
        });
        const probe = new LiveHeapProbe(socket);
        await probe.call('NodeWorker.enable', { waitForDebuggerOnStart: false });
        return probe;
      } catch (err) {
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
      const usage = await this.callThread(sessionId, 'Runtime.getHeapUsage');
      threads.push({ title, mb: (usage.result?.usedSize ?? Number.NaN) / MB });
    }
    return { mainMb: (main.result?.usedSize ?? Number.NaN) / MB, threads };
  }

  /** Disconnects; a process started with `--inspect` waits for that before it exits. */
  close(): void {
    this.socket.close();
  }

  private receive(reply: Reply): void {
    if (reply.method === 'NodeWorker.attachedToWorker' && reply.params?.sessionId) this.threads.set(reply.params.sessionId, reply.params.workerInfo?.title ?? 'worker');
    if (reply.method === 'NodeWorker.detachedFromWorker' && reply.params?.sessionId) this.threads.delete(reply.params.sessionId);
    // A worker thread's replies arrive wrapped in the main session's event.
    const inner = reply.method === 'NodeWorker.receivedMessageFromWorker' && reply.params?.message ? (JSON.parse(reply.params.message) as Reply) : reply;
    if (inner.id !== undefined) {
      this.waiting.get(inner.id)?.(inner);
      this.waiting.delete(inner.id);
    }
  }

  private call(method: string, params: object = {}): Promise<Reply> {
    const id = ++this.nextId;
    return this.send(id, JSON.stringify({ id, method, params }));
  }

  private callThread(sessionId: string, method: string): Promise<Reply> {
    const id = ++this.nextId;
    const message = JSON.stringify({ id, method, params: {} });
    const reply = this.send(id, null);
    // Its own answer carries nothing; the thread's, awaited above, has its own time limit.
    this.call('NodeWorker.sendMessageToWorker', { sessionId, message }).catch(() => undefined);
    return reply;
  }

  private send(id: number, text: string | null): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`the inspector did not answer call ${id}`));
      }, 30_000);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      if (text !== null) this.socket.send(text);
    });
  }
}
