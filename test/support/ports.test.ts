import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort, freePortBetween } from './ports';

describe('freePort', () => {
  it('gives distinct ports below the range the kernel hands out on its own, each one bindable', async () => {
    const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) expect(port).toBeLessThan(ephemeralLow);
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(ports[0], '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });

  it('never gives a port a server is listening on', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const taken = typeof address === 'object' && address ? address.port : 0;
    try {
      await expect(freePortBetween(taken, taken)).rejects.toThrow(`no free port between ${taken} and ${taken}`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await freePortBetween(taken, taken)).toBe(taken);
  });
});
