import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';

/**
 * The lowest port the kernel hands out on its own (to `listen(0)` and to every outgoing
 * connection). A port taken from that range can be taken again by anyone between the moment it
 * is found free and the moment its server binds it: the dev server's own internal listeners, or an
 * outgoing connection's local port, once made the Temporal UI fail with "address already in use".
 */
function readEphemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 11_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

/** Read once: the range is a kernel setting, not something that changes under a test run. */
const ephemeralLow = readEphemeralLow();

/** Ports this process has handed out already, so that two servers of one test never get the same one. */
const handedOut = new Set<number>();

/**
 * A port that was free a moment ago on 127.0.0.1, for servers that cannot listen on port 0. It is
 * below the kernel's ephemeral range, so nothing the kernel assigns can take it before its server binds it.
 */
export function freePort(): Promise<number> {
  return freePortBetween(10_000, ephemeralLow - 1);
}

function isFree(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port on 127.0.0.1 in [low, high]: for a server that stores its port as a smallint (Temporal's cluster membership). */
export async function freePortBetween(low: number, high: number): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (handedOut.has(port)) continue;
    // Reserved before the check, so that callers running at once (Promise.all) never share a port.
    handedOut.add(port);
    if (await isFree(port)) return port;
    handedOut.delete(port);
  }
  throw new Error(`no free port between ${low} and ${high}`);
}
