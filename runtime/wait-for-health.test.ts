import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitForWorker, type HealthAnswer } from './wait-for-health';

/** A stand-in /health: answers what `next` says, and records the keys it was sent. */
async function healthServer(next: (authorization: string | undefined) => { status: number; body?: HealthAnswer }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const { status, body } = next(req.headers.authorization);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`, server };
}

const queues = (workflowPollers: number) => ({ taskQueues: [{ name: 'engine', workflowPollers, activityPollers: workflowPollers }] });

it('waits past 200 "degraded" until the worker polls, asking with the key', async () => {
  let calls = 0;
  const keys: (string | undefined)[] = [];
  const { url, server } = await healthServer((authorization) => {
    keys.push(authorization);
    calls += 1;
    if (calls <= 2) return { status: 503, body: { status: 'unavailable' } };
    return { status: 200, body: calls <= 5 ? { status: 'degraded', worker: queues(0) } : { status: 'ok', worker: queues(1) } };
  });
  try {
    const ready = await waitForWorker(url, { apiKey: 'eng_k', pollMs: 10 });
    expect(ready).toEqual({ status: 'ok', answer: { status: 'ok', worker: queues(1) } });
    expect(calls).toBe(6);
    expect(new Set(keys)).toEqual(new Set(['Bearer eng_k']));
  } finally {
    server.close();
  }
});

it('drops a key the listener refuses: the status is public', async () => {
  const { url, server } = await healthServer((authorization) => (authorization ? { status: 401 } : { status: 200, body: { status: 'ok' } }));
  try {
    expect((await waitForWorker(url, { apiKey: 'eng_other', pollMs: 10 })).status).toBe('ok');
  } finally {
    server.close();
  }
});

it('gives up waiting for the worker after workerMs, and says the system is degraded', async () => {
  const { url, server } = await healthServer(() => ({ status: 200, body: { status: 'degraded', worker: queues(0) } }));
  try {
    expect(await waitForWorker(url, { workerMs: 100, pollMs: 10 })).toEqual({ status: 'degraded', answer: { status: 'degraded', worker: queues(0) } });
  } finally {
    server.close();
  }
});

it('fails when the API never answers 200', async () => {
  const { url, server } = await healthServer(() => ({ status: 503, body: { status: 'unavailable' } }));
  try {
    await expect(waitForWorker(url, { answerMs: 100, pollMs: 10 })).rejects.toThrow(`${url} did not answer 200 within 100 ms`);
  } finally {
    server.close();
  }
});
