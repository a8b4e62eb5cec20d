import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { freePort } from '../test/support/ports';
import { waitForPort } from './wait-for-port';

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

it('answers true once something listens on the port, even if it starts listening later', async () => {
  const port = await freePort();
  const server = createServer((socket) => socket.destroy());
  const started = Date.now();
  setTimeout(() => void listen(server, port), 150);
  try {
    expect(await waitForPort(port, { timeoutMs: 5_000, intervalMs: 10 })).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  } finally {
    server.close();
  }
});

it('answers false when nothing listens before the time runs out', async () => {
  const port = await freePort();
  const started = Date.now();
  expect(await waitForPort(port, { timeoutMs: 200, intervalMs: 10 })).toBe(false);
  expect(Date.now() - started).toBeGreaterThanOrEqual(200);
});

it('stops waiting as soon as it is cancelled', async () => {
  const port = await freePort();
  let stop = false;
  setTimeout(() => (stop = true), 50);
  const started = Date.now();
  expect(await waitForPort(port, { timeoutMs: 10_000, intervalMs: 10, cancelled: () => stop })).toBe(false);
  expect(Date.now() - started).toBeLessThan(2_000);
});
