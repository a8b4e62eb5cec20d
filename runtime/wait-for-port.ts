/**
 * Waits until something accepts TCP connections on a port: how `npm start` tells that the API
 * listens without loading an HTTP client, and without asking it anything.
 */
import { connect } from 'node:net';

export interface PortWait {
  host?: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** Checked between attempts: true stops the wait (the start is being stopped). */
  cancelled?: () => boolean;
}

/** True once a connection is accepted; false when the time runs out or the wait is cancelled. */
export async function waitForPort(port: number, options: PortWait = {}): Promise<boolean> {
  const { host = '127.0.0.1', timeoutMs = 120_000, intervalMs = 25, cancelled = () => false } = options;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !cancelled()) {
    if (await accepts(host, port)) return true;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return false;
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
